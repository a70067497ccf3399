// The few statements MySQL and SQLite spell differently.
import { type Kysely, MysqlAdapter, SqliteAdapter } from 'kysely';
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
