// Multi-table inserts in one transaction, for the journal's group commits: the gateway's hot
// path, written below kysely on purpose. Building and compiling a kysely query per commit, and
// on SQLite preparing its SQL anew each time, was a large share of a commit's CPU. Each dialect
// does it its own cheapest way: MySQL in one round trip (mysql-bulk-insert.ts), SQLite with one
// cached prepared statement per table, run once per row.
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Rows for one table, each row's values in `columns` order. */
export interface InsertSet {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** Set to skip rows whose unique key exists (any column of that key), and only those. */
  readonly skipDuplicatesOf?: string;
}

export interface BulkInserter {
  /** Inserts every set in one transaction: all of the rows are stored, or none. */
  insert(sets: readonly InsertSet[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * `db` is the kysely instance over the same `database`: its one connection is held for each
 * insert, so that the insert never runs inside a kysely transaction left open across an await
 * (better-sqlite3 would nest it there, and that transaction's rollback would take it along).
 */
export function createSqliteBulkInserter(database: BetterSqlite3.Database, db: Kysely<Database>): BulkInserter {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statementFor = (set: InsertSet): BetterSqlite3.Statement => {
    const skip = set.skipDuplicatesOf === undefined ? '' : ' ON CONFLICT DO NOTHING';
    const sql = `INSERT INTO ${set.table} (${set.columns.join(', ')}) VALUES (${set.columns.map(() => '?').join(', ')})${skip}`;
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const insertAll = database.transaction((sets: readonly InsertSet[]) => {
    for (const set of sets) {
      if (set.rows.length === 0) continue;
      const statement = statementFor(set);
      for (const row of set.rows) statement.run(row);
    }
  });
  return {
    async insert(sets) {
      await db.connection().execute(async () => {
        if (database.inTransaction) throw new Error('storage: a transaction is open on the SQLite connection');
        insertAll(sets);
      });
    },
    close: async () => undefined,
  };
}
