// The journal: raw frames, content-deduplicated tx messages and protocol anomalies, written by
// group commits (app/journal-writer.ts). This is the gateway's hot path: each commit is one
// database transaction of a few multi-row inserts, whatever the number of frames.
import type { Insertable, Kysely } from 'kysely';
import type { JournalBatch, JournalQuery, JournalStore, TxMessage } from '../app/ports.js';
import { chunkRows, type ChunkLimits } from './chunks.js';
import { skipDuplicates, sqlDialectOf } from './dialect.js';
import { guard } from './errors.js';
import { anomalyRow, frameRow, toAnomaly, toFrame, toTxMessage, txRow } from './journal-rows.js';
import type { Database, TxMessagesTable } from './schema.js';

// 500 rows keep a statement's parameters far below SQLite's cap; a budget of 1 Mi characters
// stays below MySQL's smallest common max_allowed_packet (4 MiB) even when every character
// takes three bytes. Larger statements were not faster on MySQL.
const LIMITS: ChunkLimits = { maxRows: 500, maxSize: 1024 * 1024 };
const ROW_OVERHEAD = 200;
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

function limitOf(query: JournalQuery): number {
  const { limit } = query;
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(Math.max(Math.floor(limit), 0), MAX_LIMIT);
}

/**
 * Time windows are half-open: fromMs ≤ t < toMs. Results are oldest first (ties by id; for tx
 * messages by journal id) and at most `limit` long (default 1000, at most 10000).
 */
export function createKyselyJournalStore(db: Kysely<Database>): JournalStore {
  const dialect = sqlDialectOf(db);
  return {
    commit: (batch: JournalBatch) =>
      guard('journal.commit', async () => {
        if (batch.frames.length + batch.txMessages.length + batch.anomalies.length === 0) return;
        // Rows are built before the transaction so that it holds its connection only to write.
        const frames = chunkRows(batch.frames.map(frameRow), LIMITS, (r) => r.raw.length + ROW_OVERHEAD);
        const txMessages = chunkRows(uniqueTxRows(batch.txMessages), LIMITS, (r) => r.payload.length + ROW_OVERHEAD);
        const anomalies = chunkRows(batch.anomalies.map(anomalyRow), LIMITS, (r) => r.detail.length + ROW_OVERHEAD);
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
        return rows.map(toFrame);
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
