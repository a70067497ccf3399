// Whole transactions in one round trip on MySQL, for the journal's group commits. Through
// kysely a commit is BEGIN, one INSERT per table and COMMIT: four round trips, and under load
// each waited for the busy event loop to come back to its answer, which made up most of a
// commit's time. Here the statements travel as one multi-statement packet (several if they
// outgrow the packet budget), on a pool of their own: the only connections that accept
// multiple statements, fed only by storage code with `?` placeholders.
import { createPool, type Pool, type PoolConnection } from 'mysql2';

/** One statement with its `?` placeholders' values; `size` is its estimated text length. */
export interface Statement {
  readonly sql: string;
  readonly values: readonly unknown[];
  readonly size: number;
}

export interface MysqlScripts {
  /** Runs the statements as one transaction: all of them are committed, or none. */
  transaction(statements: readonly Statement[]): Promise<void>;
  close(): Promise<void>;
}

interface Packet {
  sql: string;
  values: unknown[];
  size: number;
}

/** Joins statements into packets of at most `budget` characters; a larger one travels alone. */
export function packStatements(statements: readonly Statement[], budget: number): Packet[] {
  const packets: Packet[] = [];
  let current: Packet | undefined;
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
export function createMysqlScripts(url: string, connections: number, budget: number): MysqlScripts {
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
    async transaction(statements) {
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
