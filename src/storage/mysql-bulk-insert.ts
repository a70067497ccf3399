// BulkInserter on MySQL: a whole transaction in one round trip. Through kysely a commit was
// BEGIN, one INSERT per table and COMMIT: four round trips, and under load each waited for the
// busy event loop to come back to its answer, which made up most of a commit's time. Here the
// statements travel as one multi-statement packet (several if they outgrow the packet budget),
// on a pool of their own: the only connections that accept multiple statements, fed only by
// this file. The SQL text is written here rather than by mysql2's `?` formatting, whose general
// escaper walked every character of every JSON frame (a JSON `"` needs no escape inside a
// MySQL string; it escaped them all).
import { createPool, type Pool, type PoolConnection } from 'mysql2';
import type { BulkInserter, InsertSet } from './bulk-insert.js';
import { chunkRows } from './chunks.js';

interface Statement {
  readonly sql: string;
  readonly size: number;
}

// A statement's rows: 500 at most (larger statements were not faster), and `budget` characters.
const MAX_ROWS = 500;

// What a string literal must escape when backslashes escape (the connection makes sure they
// do): quote and backslash, plus NUL and Ctrl-Z, which some tools mishandle in SQL text.
const SPECIAL = /[\0\x1a'\\]/;
const SPECIALS = /[\0\x1a'\\]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\0': '\\0', '\x1a': '\\Z', "'": "\\'", '\\': '\\\\' };
const escapeChar = (c: string): string => ESCAPES[c] ?? c;

/** A journal value as a MySQL literal: rows hold strings, finite numbers and nulls only. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return SPECIAL.test(value) ? `'${value.replace(SPECIALS, escapeChar)}'` : `'${value}'`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new TypeError(`storage: cannot write ${typeof value} ${String(value)} as a journal column value`);
}

function rowText(row: readonly unknown[]): string {
  let text = '(';
  for (let i = 0; i < row.length; i++) text += (i > 0 ? ',' : '') + sqlLiteral(row[i]);
  return `${text})`;
}

function statementsOf(set: InsertSet, budget: number): Statement[] {
  // Not INSERT IGNORE: that also turns data errors (a too long value) into warnings and stores
  // the row truncated, where SQLite would refuse it; the no-op update skips duplicates only.
  const skip =
    set.skipDuplicatesOf === undefined
      ? ''
      : ` ON DUPLICATE KEY UPDATE ${set.skipDuplicatesOf} = ${set.skipDuplicatesOf}`;
  const head = `INSERT INTO ${set.table} (${set.columns.join(', ')}) VALUES `;
  const rows = set.rows.map(rowText);
  return chunkRows(rows, { maxRows: MAX_ROWS, maxSize: budget }, (text) => text.length + 1).map((chunk) => ({
    sql: `${head}${chunk.rows.join(',')}${skip}`,
    size: head.length + chunk.size + skip.length,
  }));
}

/** Joins statements, between BEGIN and COMMIT, into packets of at most `budget` characters. */
function packStatements(statements: readonly Statement[], budget: number): string[] {
  const packets: Statement[] = [];
  for (const s of [{ sql: 'BEGIN', size: 5 }, ...statements, { sql: 'COMMIT', size: 6 }]) {
    const last = packets.at(-1);
    if (last !== undefined && last.size + s.size + 2 <= budget) {
      packets[packets.length - 1] = { sql: `${last.sql};\n${s.sql}`, size: last.size + s.size + 2 };
    } else {
      packets.push(s);
    }
  }
  return packets.map((p) => p.sql);
}

function query(connection: PoolConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.query(sql, (error) => (error ? reject(error) : resolve()));
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
    // The SQL arrives complete; mysql2 would otherwise scan all of it for `?` placeholders.
    queryFormat: (sql: string) => sql,
  });
  // sqlLiteral escapes with backslashes, which NO_BACKSLASH_ESCAPES would store as written.
  // Queued on the new connection, so it runs before the connection's first insert.
  // A connection that cannot be set so is closed; the insert that gets it then fails.
  pool.on('connection', (connection) => {
    connection.query("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')", (error) => {
      if (error) connection.destroy();
    });
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
        for (const packet of packStatements(statements, budget)) await query(connection, packet);
      } catch (error) {
        // The server stops a packet at its first failing statement, leaving the transaction
        // open; a connection that cannot roll back is not given back to the pool.
        await query(connection, 'ROLLBACK').then(
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
