// The journal: raw frames, content-deduplicated tx messages and protocol anomalies, written by
// group commits (app/journal-writer.ts). This is the gateway's hot path: each commit is one
// database transaction of a few multi-row inserts, whatever the number of frames. On MySQL the
// inserts are written out here and sent in one round trip (mysql-scripts.ts); on SQLite,
// which has no round trips, they go through kysely.
import type { Insertable, Kysely } from 'kysely';
import type { JournalBatch, JournalQuery, JournalStore, TxMessage } from '../app/ports.js';
import { chunkRows, type ChunkLimits } from './chunks.js';
import { skipDuplicates, sqlDialectOf } from './dialect.js';
import { guard } from './errors.js';
import {
  ANOMALY_COLUMNS,
  anomalyRow,
  FRAME_COLUMNS,
  frameRow,
  toAnomaly,
  toFrames,
  toTxMessage,
  TX_COLUMNS,
  txRow,
} from './journal-rows.js';
import type { MysqlScripts, Statement } from './mysql-scripts.js';
import type { Database, JournalTable, ProtocolAnomaliesTable, TxMessagesTable } from './schema.js';

// 500 rows keep a statement's parameters far below SQLite's cap; a budget of 1 Mi characters
// stays below MySQL's smallest common max_allowed_packet (4 MiB) even when every character
// takes three bytes. Larger statements were not faster on MySQL.
const LIMITS: ChunkLimits = { maxRows: 500, maxSize: 1024 * 1024 };
const ROW_OVERHEAD = 200;

// A row's estimated length in SQL text: its one long column plus room for the rest.
const frameSize = (row: Insertable<JournalTable>) => row.raw.length + ROW_OVERHEAD;
const txSize = (row: Insertable<TxMessagesTable>) => row.payload.length + ROW_OVERHEAD;
const anomalySize = (row: Insertable<ProtocolAnomaliesTable>) => row.detail.length + ROW_OVERHEAD;
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

/** One row per (pile, kind, dedupeKey), the first one seen, in key order. */
function uniqueTxRows(messages: readonly TxMessage[]): Insertable<TxMessagesTable>[] {
  const byKey = new Map<string, Insertable<TxMessagesTable>>();
  for (const m of messages) {
    const key = `${m.pileId}\u0000${m.kind}\u0000${m.dedupeKey}`;
    if (!byKey.has(key)) byKey.set(key, txRow(m));
  }
  // Two nodes inserting overlapping keys in the same order wait for each other instead of
  // deadlocking (InnoDB locks keys as it inserts them).
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** A MySQL multi-row insert of `rows`, their values in `columns` order. */
function mysqlInsert<R>(
  table: string,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
  sizeOf: (row: R) => number,
  tail = '',
): Statement {
  let size = 0;
  const values = rows.map((row) => {
    size += sizeOf(row);
    return columns.map((column) => row[column]);
  });
  return { sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ?${tail}`, values: [values], size };
}

function limitOf(query: JournalQuery): number {
  const { limit } = query;
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(Math.max(Math.floor(limit), 0), MAX_LIMIT);
}

/**
 * Time windows are half-open: fromMs ≤ t < toMs. Results are oldest first (ties by id; for tx
 * messages by journal id) and at most `limit` long (default 1000, at most 10000).
 */
export function createKyselyJournalStore(db: Kysely<Database>, scripts?: MysqlScripts): JournalStore {
  const dialect = sqlDialectOf(db);
  return {
    commit: (batch: JournalBatch) =>
      guard('journal.commit', async () => {
        if (batch.frames.length + batch.txMessages.length + batch.anomalies.length === 0) return;
        // Rows are built before the transaction so that it holds its connection only to write.
        const frames = chunkRows(batch.frames.map(frameRow), LIMITS, frameSize);
        const txMessages = chunkRows(uniqueTxRows(batch.txMessages), LIMITS, txSize);
        const anomalies = chunkRows(batch.anomalies.map(anomalyRow), LIMITS, anomalySize);
        if (scripts !== undefined) {
          return scripts.transaction([
            ...frames.map((rows) => mysqlInsert('journal', FRAME_COLUMNS, rows, frameSize)),
            ...txMessages.map((rows) =>
              mysqlInsert('tx_messages', TX_COLUMNS, rows, txSize, ' ON DUPLICATE KEY UPDATE dedupe_key = dedupe_key'),
            ),
            ...anomalies.map((rows) => mysqlInsert('protocol_anomalies', ANOMALY_COLUMNS, rows, anomalySize)),
          ]);
        }
        await db.transaction().execute(async (trx) => {
          for (const rows of frames) await trx.insertInto('journal').values(rows).execute();
          for (const rows of txMessages) {
            await skipDuplicates(trx.insertInto('tx_messages').values(rows), dialect, 'dedupe_key').execute();
          }
          for (const rows of anomalies) await trx.insertInto('protocol_anomalies').values(rows).execute();
        });
      }),
    frames: (query) =>
      guard('journal.frames', async () => {
        const rows = await db
          .selectFrom('journal')
          .selectAll()
          .where('pile_id', '=', query.pileId)
          .$if(query.fromMs !== undefined, (qb) => qb.where('received_at', '>=', query.fromMs ?? 0))
          .$if(query.toMs !== undefined, (qb) => qb.where('received_at', '<', query.toMs ?? 0))
          .orderBy('received_at')
          .orderBy('id')
          .limit(limitOf(query))
          .execute();
        return rows.flatMap(toFrames).slice(0, limitOf(query));
      }),
    txMessages: (query) =>
      guard('journal.txMessages', async () => {
        const rows = await db
          .selectFrom('tx_messages')
          .selectAll()
          .where('pile_id', '=', query.pileId)
          .$if(query.fromMs !== undefined, (qb) => qb.where('received_at', '>=', query.fromMs ?? 0))
          .$if(query.toMs !== undefined, (qb) => qb.where('received_at', '<', query.toMs ?? 0))
          .orderBy('received_at')
          .orderBy('journal_id')
          .orderBy('kind')
          .orderBy('dedupe_key')
          .limit(limitOf(query))
          .execute();
        return rows.map(toTxMessage);
      }),
    anomalies: (query) =>
      guard('journal.anomalies', async () => {
        const rows = await db
          .selectFrom('protocol_anomalies')
          .selectAll()
          .where('pile_id', '=', query.pileId)
          .$if(query.fromMs !== undefined, (qb) => qb.where('detected_at', '>=', query.fromMs ?? 0))
          .$if(query.toMs !== undefined, (qb) => qb.where('detected_at', '<', query.toMs ?? 0))
          .orderBy('detected_at')
          .orderBy('id')
          .limit(limitOf(query))
          .execute();
        return rows.map(toAnomaly);
      }),
  };
}
