// The journal: raw frames, content-deduplicated tx messages and protocol anomalies, written by
// group commits (app/journal-writer.ts). This is the gateway's hot path: each commit is one
// database transaction, whatever the number of frames, written by the dialect's BulkInserter
// (bulk-insert.ts); reads go through kysely.
import type { Insertable, Kysely } from 'kysely';
import type { JournalBatch, JournalQuery, JournalStore, TxMessage } from '../app/ports.js';
import type { BulkInserter } from './bulk-insert.js';
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
import type { Database, JournalTable, ProtocolAnomaliesTable, TxMessagesTable } from './schema.js';

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

/** A row's values in `columns` order. */
function valuesOf<R>(columns: readonly (keyof R & string)[]): (row: R) => unknown[] {
  return (row) => columns.map((column) => row[column]);
}
const frameValues = valuesOf<Insertable<JournalTable>>(FRAME_COLUMNS);
const txValues = valuesOf<Insertable<TxMessagesTable>>(TX_COLUMNS);
const anomalyValues = valuesOf<Insertable<ProtocolAnomaliesTable>>(ANOMALY_COLUMNS);

function limitOf(query: JournalQuery): number {
  const { limit } = query;
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(Math.max(Math.floor(limit), 0), MAX_LIMIT);
}

/**
 * Time windows are half-open: fromMs ≤ t < toMs. Results are oldest first (ties by id; for tx
 * messages by journal id) and at most `limit` long (default 1000, at most 10000).
 */
export function createKyselyJournalStore(db: Kysely<Database>, bulk: BulkInserter): JournalStore {
  return {
    commit: (batch: JournalBatch) =>
      guard('journal.commit', () =>
        bulk.insert([
          { table: 'journal', columns: FRAME_COLUMNS, rows: batch.frames.map((f) => frameValues(frameRow(f))) },
          {
            table: 'tx_messages',
            columns: TX_COLUMNS,
            rows: uniqueTxRows(batch.txMessages).map(txValues),
            skipDuplicatesOf: 'dedupe_key',
          },
          {
            table: 'protocol_anomalies',
            columns: ANOMALY_COLUMNS,
            rows: batch.anomalies.map((a) => anomalyValues(anomalyRow(a))),
          },
        ]),
      ),
    frames: (query) =>
      guard('journal.frames', async () => {
        if (query.actions?.length === 0) return [];
        const rows = await db
          .selectFrom('journal')
          .selectAll()
          .where('pile_id', '=', query.pileId)
          .$if(query.fromMs !== undefined, (qb) => qb.where('received_at', '>=', query.fromMs ?? 0))
          .$if(query.toMs !== undefined, (qb) => qb.where('received_at', '<', query.toMs ?? 0))
          .$if(query.actions !== undefined, (qb) => qb.where('action', 'in', query.actions ?? []))
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
    pilesWithTxMessagesSince: (fromMs) =>
      guard('journal.pilesWithTxMessagesSince', async () => {
        const rows = await db
          .selectFrom('tx_messages')
          .select('pile_id')
          .distinct()
          .where('received_at', '>=', fromMs)
          .orderBy('pile_id')
          .execute();
        return rows.map((r) => r.pile_id);
      }),
    anomalies: (query) =>
      guard('journal.anomalies', async () => {
        if (query.kinds?.length === 0) return [];
        const rows = await db
          .selectFrom('protocol_anomalies')
          .selectAll()
          .where('pile_id', '=', query.pileId)
          .$if(query.fromMs !== undefined, (qb) => qb.where('detected_at', '>=', query.fromMs ?? 0))
          .$if(query.toMs !== undefined, (qb) => qb.where('detected_at', '<', query.toMs ?? 0))
          .$if(query.kinds !== undefined, (qb) => qb.where('kind', 'in', query.kinds ?? []))
          .orderBy('detected_at')
          .orderBy('id')
          .limit(limitOf(query))
          .execute();
        return rows.map(toAnomaly);
      }),
  };
}
