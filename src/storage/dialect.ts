// The few statements MySQL and SQLite spell differently.
import { type InsertQueryBuilder, type Kysely, MysqlAdapter, SqliteAdapter, sql } from 'kysely';
import type { Database } from './schema.js';

export type SqlDialect = 'mysql' | 'sqlite';

/**
 * Which SQL the database behind `db` speaks, so adapters need only the Kysely instance.
 * kysely marks getExecutor() internal, but its adapter is the one public trace of the dialect.
 */
export function sqlDialectOf(db: Kysely<Database>): SqlDialect {
  const { adapter } = db.getExecutor();
  if (adapter instanceof MysqlAdapter) return 'mysql';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new Error(`storage: unsupported kysely dialect adapter ${adapter.constructor.name}`);
}

/**
 * Makes an insert skip rows whose unique key exists, and only those. Not `insert ignore`:
 * MySQL's IGNORE also turns data errors (a too long value) into warnings and stores the row
 * truncated, where SQLite would store it whole; the no-op update fails on them like SQLite.
 * `keyColumn` is any column of the conflicting key.
 */
export function skipDuplicates<TB extends keyof Database, O>(
  insert: InsertQueryBuilder<Database, TB, O>,
  dialect: SqlDialect,
  keyColumn: string,
): InsertQueryBuilder<Database, TB, O> {
  return dialect === 'mysql'
    ? insert.modifyEnd(sql`on duplicate key update ${sql.ref(keyColumn)} = ${sql.ref(keyColumn)}`)
    : insert.onConflict((oc) => oc.doNothing());
}
