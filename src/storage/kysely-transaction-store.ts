import type { Kysely, Selectable } from 'kysely';
import type { AuthorizationStatus } from '../core/authorization.js';
import type { NewTransaction, Transaction, TransactionStore } from '../app/ports.js';
import { guard, isUniqueViolation } from './errors.js';
import type { Database, TransactionsTable } from './schema.js';

function toTransaction(r: Selectable<TransactionsTable>): Transaction {
  return {
    id: r.id,
    pileId: r.pile_id,
    connectorId: r.connector_id,
    idTag: r.id_tag,
    authStatus: r.auth_status as AuthorizationStatus,
    meterStartWh: r.meter_start_wh,
    startTimestamp: r.start_timestamp,
    startedAt: r.started_at,
    receivedAt: r.received_at,
    journalId: r.journal_id,
  };
}

/**
 * Transaction ids are the table's autoincrement key: unique across piles and never reused
 * (AUTOINCREMENT on SQLite; InnoDB keeps its counter across restarts since MySQL 8 and
 * MariaDB 10.2). `list` is newest first.
 */
export function createKyselyTransactionStore(db: Kysely<Database>): TransactionStore {
  async function find(pileId: string, dedupeKey: string): Promise<Transaction | undefined> {
    const row = await db
      .selectFrom('transactions')
      .selectAll()
      .where('pile_id', '=', pileId)
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirst();
    return row === undefined ? undefined : toTransaction(row);
  }

  return {
    start: (tx: NewTransaction) =>
      guard('transactions.start', async () => {
        const { dedupeKey, ...transaction } = tx;
        try {
          const result = await db
            .insertInto('transactions')
            .values({
              pile_id: tx.pileId,
              connector_id: tx.connectorId,
              id_tag: tx.idTag,
              auth_status: tx.authStatus,
              meter_start_wh: tx.meterStartWh,
              start_timestamp: tx.startTimestamp,
              started_at: tx.startedAt,
              received_at: tx.receivedAt,
              journal_id: tx.journalId,
              dedupe_key: dedupeKey,
            })
            .executeTakeFirstOrThrow();
          return { transaction: { ...transaction, id: Number(result.insertId) }, created: true };
        } catch (error) {
          // A resend of the same StartTransaction, maybe racing the first copy on another
          // connection: the unique (pile_id, dedupe_key) index lets exactly one insert win.
          if (!isUniqueViolation(error)) throw error;
          const existing = await find(tx.pileId, dedupeKey);
          if (existing === undefined) throw error;
          return { transaction: existing, created: false };
        }
      }),
    get: (pileId, id) =>
      guard('transactions.get', async () => {
        const row = await db
          .selectFrom('transactions')
          .selectAll()
          .where('id', '=', id)
          .where('pile_id', '=', pileId)
          .executeTakeFirst();
        return row === undefined ? undefined : toTransaction(row);
      }),
    list: (pileId, limit) =>
      guard('transactions.list', async () => {
        const rows = await db
          .selectFrom('transactions')
          .selectAll()
          .where('pile_id', '=', pileId)
          .orderBy('id', 'desc')
          .limit(limit)
          .execute();
        return rows.map(toTransaction);
      }),
  };
}
