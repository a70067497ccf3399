// Opens the database: MySQL when a URL is configured, else an embedded SQLite file, so that
// `npm start` needs nothing else (DESIGN.md §7).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, type LogEvent, MysqlDialect, SqliteDialect, type Dialect } from 'kysely';
import { createPool } from 'mysql2';
import type { SqlDialect } from './dialect.js';
import { createSqliteBulkInserter, type BulkInserter } from './bulk-insert.js';
import { createMysqlBulkInserter } from './mysql-bulk-insert.js';
import type { Database } from './schema.js';

/** The subset of a pino logger this file uses. */
export interface DatabaseLogger {
  debug(fields: object, message: string): void;
}

export interface DatabaseOptions {
  /** mysql://user:password@host:port/database; when absent or empty, SQLite at `sqlitePath`. */
  readonly mysqlUrl?: string;
  /** A file path, or ':memory:' for a private in-memory database. */
  readonly sqlitePath: string;
  readonly logger?: DatabaseLogger;
}

export interface SqlDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** The journal's group commits, below kysely (bulk-insert.ts). */
  readonly bulk: BulkInserter;
  /** How many journal group commits should run at once (see app/journal-writer.ts). */
  readonly commitsInFlight: number;
  close(): Promise<void>;
}

// Enough for group commits of the journal plus API reads; each gateway node has its own pool,
// so the server sees nodes × this many connections.
const MYSQL_CONNECTION_LIMIT = 10;
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
// SQLite commits in this thread, one at a time. On MySQL two overlap one commit's round trip
// and fsync with the next; four were slower (measured with `npm run bench:gateway`).
const SQLITE_COMMITS_IN_FLIGHT = 1;
const MYSQL_COMMITS_IN_FLIGHT = 2;
// Packets of the journal's transactions: below MySQL's smallest common max_allowed_packet
// (4 MiB) even when every character takes three bytes.
const MYSQL_PACKET_BUDGET = 1024 * 1024;

interface OpenedDialect {
  readonly dialect: Dialect;
  /** Made once the kysely instance over the dialect exists. */
  bulk(db: Kysely<Database>): BulkInserter;
  /** Frees what kysely's destroy() does not. */
  release(): void;
}

function mysqlDialect(url: string): OpenedDialect {
  const pool = createPool({
    uri: url,
    connectionLimit: MYSQL_CONNECTION_LIMIT,
    enableKeepAlive: true,
    // BIGINT epoch ms come back as numbers; a value past 2^53 would come back as a string
    // rather than silently lose digits.
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
  // A pool holds no connection before its first query, and kysely ends it after one.
  return {
    dialect: new MysqlDialect({ pool }),
    bulk: () => createMysqlBulkInserter(url, MYSQL_COMMITS_IN_FLIGHT, MYSQL_PACKET_BUDGET),
    release: () => undefined,
  };
}

function sqliteDialect(path: string): OpenedDialect {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  // WAL lets API reads run beside the journal's writes; synchronous=FULL makes every commit
  // durable before the gateway replies to the pile (DESIGN.md §1 principle 1).
  if (!inMemory) database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  // Kysely opens its driver on the first query and closes only what it opened; a database
  // closed before any query would keep the file open.
  return {
    dialect: new SqliteDialect({ database }),
    bulk: (db) => createSqliteBulkInserter(database, db),
    release: () => database.open && database.close(),
  };
}

function queryLog(logger: DatabaseLogger): (event: LogEvent) => void {
  return (event) => {
    // Parameters stay out of the log: they carry password hashes and token hashes.
    const fields = { sql: event.query.sql.slice(0, 500), durationMs: Math.round(event.queryDurationMillis) };
    if (event.level === 'query') logger.debug(fields, 'query');
    else logger.debug({ ...fields, error: String(event.error) }, 'query failed');
  };
}

export function createDatabase(options: DatabaseOptions): SqlDatabase {
  const { mysqlUrl } = options;
  const dialect: SqlDialect = mysqlUrl ? 'mysql' : 'sqlite';
  const opened = mysqlUrl ? mysqlDialect(mysqlUrl) : sqliteDialect(options.sqlitePath);
  const db = new Kysely<Database>({
    dialect: opened.dialect,
    ...(options.logger === undefined ? {} : { log: queryLog(options.logger) }),
  });
  const bulk = opened.bulk(db);
  async function close(): Promise<void> {
    await db.destroy();
    await bulk.close();
    opened.release();
  }
  const commitsInFlight = mysqlUrl ? MYSQL_COMMITS_IN_FLIGHT : SQLITE_COMMITS_IN_FLIGHT;
  return Object.freeze({ db, dialect, bulk, commitsInFlight, close });
}
