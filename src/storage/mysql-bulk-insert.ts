// BulkInserter on MySQL: a whole transaction in one round trip. Through kysely a commit was
// BEGIN, one INSERT per table and COMMIT: four round trips, and under load each waited for the
// busy event loop to come back to its answer, which made up most of a commit's time. Here the
// statements travel as one multi-statement packet (several if they outgrow the packet budget),
// on a pool of their own: the only connections that accept multiple statements, fed only by
// this file, with `?` placeholders.
import { createPool, type Pool, type PoolConnection } from 'mysql2';
import type { BulkInserter, InsertSet } from './bulk-insert.js';
import { chunkRows } from './chunks.js';

interface Statement {
  readonly sql: string;
  readonly values: unknown[];
  readonly size: number;
}

// A statement's rows: 500 at most (larger statements were not faster), and `budget` characters.
const MAX_ROWS = 500;
const ROW_OVERHEAD = 20;

/** A row's estimated length in SQL text: its strings plus room for the rest. */
function rowSize(row: readonly unknown[]): number {
  let size = ROW_OVERHEAD;
  for (const value of row) size += typeof value === 'string' ? value.length : 8;
  return size;
}

function statementsOf(set: InsertSet, budget: number): Statement[] {
  // Not INSERT IGNORE: that also turns data errors (a too long value) into warnings and stores
  // the row truncated, where SQLite would refuse it; the no-op update skips duplicates only.
  const skip =
    set.skipDuplicatesOf === undefined
      ? ''
      : ` ON DUPLICATE KEY UPDATE ${set.skipDuplicatesOf} = ${set.skipDuplicatesOf}`;
  const sql = `INSERT INTO ${set.table} (${set.columns.join(', ')}) VALUES ?${skip}`;
  return chunkRows(set.rows, { maxRows: MAX_ROWS, maxSize: budget }, rowSize).map((chunk) => ({
    sql,
    values: [chunk.rows],
    size: sql.length + chunk.size,
  }));
}

/** Joins statements, between BEGIN and COMMIT, into packets of at most `budget` characters. */
function packStatements(statements: readonly Statement[], budget: number): Statement[] {
  const packets: { sql: string; values: unknown[]; size: number }[] = [];
  let current: (typeof packets)[number] | undefined;
  for (const s of [{ sql: 'BEGIN', values: [], size: 5 }, ...statements, { sql: 'COMMIT', values: [], size: 6 }]) {
    if (current !== undefined && current.size + s.size <= budget) {
      current.sql += `;\n${s.sql}`;
      current.values.push(...s.values);
      current.size += s.size;
    } else {
      current = { sql: s.sql, values: [...s.values], size: s.size };
      packets.push(current);
    }
  }
  return packets;
}

function query(connection: PoolConnection, sql: string, values: unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.query(sql, values, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * `connections` should match the number of transactions the caller runs at once. `budget` is the
 * largest packet in characters: below the server's max_allowed_packet even when every
 * character takes three bytes.
 */
export function createMysqlBulkInserter(url: string, connections: number, budget: number): BulkInserter {
  const pool: Pool = createPool({
    uri: url,
    connectionLimit: connections,
    enableKeepAlive: true,
    multipleStatements: true,
  });
  const connect = () =>
    new Promise<PoolConnection>((resolve, reject) =>
      pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))),
    );

  return {
    async insert(sets) {
      const statements = sets.flatMap((set) => statementsOf(set, budget));
      if (statements.length === 0) return;
      const connection = await connect();
      try {
        for (const packet of packStatements(statements, budget)) await query(connection, packet.sql, packet.values);
      } catch (error) {
        // The server stops a packet at its first failing statement, leaving the transaction
        // open; a connection that cannot roll back is not given back to the pool.
        await query(connection, 'ROLLBACK', []).then(
          () => connection.release(),
          () => connection.destroy(),
        );
        throw error;
      }
      connection.release();
    },
    close: () => new Promise<void>((resolve, reject) => pool.end((error) => (error ? reject(error) : resolve()))),
  };
}
