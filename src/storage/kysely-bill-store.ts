// Bills as immutable versions (DESIGN.md §1 principle 6). A version is inserted once and never
// changed; the bill's row names the latest one and moves on by compare-and-set, so two writers
// that both built version n + 1 cannot both win: one gets false and nothing of its is stored.
import type { Kysely } from 'kysely';
import type { BillFilter, BillStore, BillVersion, CodeCombinationCount } from '../app/ports.js';
import { billRow, codeSetPattern, latestColumns, toBillVersion, versionRow } from './bill-rows.js';
import { guard, isUniqueViolation } from './errors.js';
import type { Database } from './schema.js';

/** Thrown inside the transaction to roll it back when the compare-and-set finds a newer version. */
class LostRace extends Error {}

/**
 * Session windows are half-open: fromMs ≤ start < toMs. `list` is by session start, oldest
 * first (ties by bill number); without a limit it returns every match.
 */
export function createKyselyBillStore(db: Kysely<Database>): BillStore {
  const latest = () =>
    db
      .selectFrom('bills as b')
      .innerJoin('bill_versions as v', (join) =>
        join.onRef('v.bill_no', '=', 'b.bill_no').onRef('v.version', '=', 'b.latest_version'),
      )
      .selectAll('v')
      .select(['b.pile_id', 'b.session_key']);

  async function list(filter: BillFilter): Promise<readonly BillVersion[]> {
    let query = latest();
    if (filter.pileId !== undefined) query = query.where('b.pile_id', '=', filter.pileId);
    if (filter.stationId !== undefined) query = query.where('b.station_id', '=', filter.stationId);
    if (filter.fromMs !== undefined) query = query.where('b.start_at', '>=', filter.fromMs);
    if (filter.toMs !== undefined) query = query.where('b.start_at', '<', filter.toMs);
    if (filter.code !== undefined) query = query.where('b.code_set', 'like', codeSetPattern(filter.code));
    if (filter.status !== undefined) query = query.where('b.status', '=', filter.status);
    query = query.orderBy('b.start_at').orderBy('b.bill_no');
    if (filter.limit !== undefined) query = query.limit(Math.max(0, Math.floor(filter.limit)));
    return (await query.execute()).map(toBillVersion);
  }

  async function append(version: BillVersion): Promise<boolean> {
    // Built first: a figure that is not whole fen or Wh is a broken invariant, not a storage error.
    const row = versionRow(version);
    const bill = billRow(version);
    return guard('bills.append', async () => {
      try {
        await db.transaction().execute(async (trx) => {
          if (version.version === 1) {
            // A bill of this number, or of this pile's session under another number, exists:
            // the unique keys refuse it.
            await trx.insertInto('bills').values(bill).execute();
          } else {
            // The pile and session must be the bill's own; a version of another session is
            // refused like a lost race rather than filed under the wrong bill.
            const moved = await trx
              .updateTable('bills')
              .set(latestColumns(version))
              .where('bill_no', '=', version.billNo)
              .where('latest_version', '=', version.version - 1)
              .where('pile_id', '=', version.pileId)
              .where('session_key', '=', version.sessionKey)
              .executeTakeFirst();
            // mysql2 counts matched rows (CLIENT_FOUND_ROWS), so the count means "the CAS held".
            if (moved.numUpdatedRows === 0n) throw new LostRace();
          }
          await trx.insertInto('bill_versions').values(row).execute();
        });
        return true;
      } catch (error) {
        if (error instanceof LostRace || isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }

  return {
    latestOfPile: (pileId) => guard('bills.latestOfPile', () => list({ pileId })),
    append,
    versions: (billNo) =>
      guard('bills.versions', async () => {
        const rows = await db
          .selectFrom('bill_versions as v')
          .innerJoin('bills as b', 'b.bill_no', 'v.bill_no')
          .selectAll('v')
          .select(['b.pile_id', 'b.session_key'])
          .where('v.bill_no', '=', billNo)
          .orderBy('v.version')
          .execute();
        return rows.map(toBillVersion);
      }),
    list: (filter) => guard('bills.list', () => list(filter)),
    overlappingOfIdTag: (idTag, { fromMs, toMs, startedFromMs }) =>
      guard('bills.overlappingOfIdTag', async () => {
        // An empty window meets nothing, not even a session that runs on.
        if (toMs <= fromMs) return [];
        // On the version's own columns, so that bill_versions_id_tag_start (0007) serves it.
        const rows = await latest()
          .where('v.id_tag', '=', idTag)
          .where('v.start_at', '>=', startedFromMs)
          .where('v.start_at', '<', toMs)
          .where((eb) => eb.or([eb('v.stop_at', 'is', null), eb('v.stop_at', '>', fromMs)]))
          .orderBy('v.start_at')
          .orderBy('v.bill_no')
          .execute();
        return rows.map(toBillVersion);
      }),
    codeCombinations: ({ fromMs, toMs, stationId }) =>
      guard('bills.codeCombinations', async () => {
        let query = db
          .selectFrom('bills')
          .select((eb) => ['codes', eb.fn.countAll<number | string>().as('bills')])
          .where('start_at', '>=', fromMs)
          .where('start_at', '<', toMs)
          .where('codes', '<>', '');
        if (stationId !== undefined) query = query.where('station_id', '=', stationId);
        const rows = await query.groupBy('codes').orderBy('bills', 'desc').orderBy('codes').execute();
        // COUNT is a BIGINT: mysql2 may hand it over as a string.
        return rows.map((r): CodeCombinationCount => ({ codes: r.codes, bills: Number(r.bills) }));
      }),
  };
}
