import type { Kysely } from 'kysely';
import type { OfflineLog } from '../app/ports.js';
import { guard } from './errors.js';
import type { Database } from './schema.js';

/** `list` is newest first. */
export function createKyselyOfflineLog(db: Kysely<Database>): OfflineLog {
  return {
    open: (pileId, atMs, cause) =>
      guard('offlineLog.open', () =>
        db.transaction().execute(async (trx) => {
          // A socket close and the silence watchdog (maybe on another node) can notice the same
          // outage together. Locking the pile's row makes them take turns, and the second one
          // then reads the first one's interval (InnoDB takes its snapshot at the first plain
          // read, after the lock). "insert … select … where not exists" would be one statement,
          // but InnoDB deadlocks those against each other, even across piles. An unregistered
          // pile has no row to lock; the gateway never tracks one.
          await trx
            .updateTable('piles')
            .set((eb) => ({ id: eb.ref('id') }))
            .where('id', '=', pileId)
            .execute();
          const open = await trx
            .selectFrom('offline_intervals')
            .select('id')
            .where('pile_id', '=', pileId)
            .where('ended_at', 'is', null)
            .executeTakeFirst();
          if (open !== undefined) return;
          await trx
            .insertInto('offline_intervals')
            .values({ pile_id: pileId, started_at: atMs, ended_at: null, cause })
            .execute();
        }),
      ),
    close: (pileId, atMs) =>
      guard('offlineLog.close', async () => {
        await db
          .updateTable('offline_intervals')
          .set({ ended_at: atMs })
          .where('pile_id', '=', pileId)
          .where('ended_at', 'is', null)
          .execute();
      }),
    list: (pileId, limit) =>
      guard('offlineLog.list', async () => {
        const rows = await db
          .selectFrom('offline_intervals')
          .select(['pile_id', 'started_at', 'ended_at', 'cause'])
          .where('pile_id', '=', pileId)
          .orderBy('started_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .execute();
        return rows.map((r) => ({ pileId: r.pile_id, startedAt: r.started_at, endedAt: r.ended_at, cause: r.cause }));
      }),
  };
}
