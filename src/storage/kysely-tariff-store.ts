import type { Kysely, Selectable } from 'kysely';
import type { TariffBinding, TariffStore } from '../app/ports.js';
import { guard, isUniqueViolation } from './errors.js';
import type { Database, StationTariffsTable } from './schema.js';
import { toTariffRow, toTariffVersion } from './tariff-rows.js';

// Each attempt that loses the race for a version number lets another writer win, so with fewer
// concurrent writers of one tariff than this, every writer gets a number.
const MAX_NUMBERING_ATTEMPTS = 32;

function toBinding(r: Selectable<StationTariffsTable>): TariffBinding {
  return { stationId: r.station_id, tariffId: r.tariff_id, effectiveFrom: r.effective_from, boundAt: r.bound_at };
}

/**
 * Version numbers come from the primary key (tariff_id, version): a writer takes the latest
 * number plus one and inserts; when another writer took that number first, the insert fails
 * on the key and it tries the next one. Nothing else is written, so no transaction is needed.
 */
export function createKyselyTariffStore(db: Kysely<Database>): TariffStore {
  return {
    createVersion: (tariffId, terms, createdAt) =>
      guard('tariffs.createVersion', async () => {
        for (let attempt = 1; ; attempt += 1) {
          const latest = await db
            .selectFrom('tariff_versions')
            .select((eb) => eb.fn.max('version').as('latest'))
            .where('tariff_id', '=', tariffId)
            .executeTakeFirst();
          const row = toTariffRow(tariffId, Number(latest?.latest ?? 0) + 1, terms, createdAt);
          try {
            await db.insertInto('tariff_versions').values(row).execute();
            return toTariffVersion(row);
          } catch (error) {
            if (!isUniqueViolation(error) || attempt === MAX_NUMBERING_ATTEMPTS) throw error;
          }
        }
      }),
    versions: (tariffId) =>
      guard('tariffs.versions', async () => {
        const rows = await db
          .selectFrom('tariff_versions')
          .selectAll()
          .where('tariff_id', '=', tariffId)
          .orderBy('version')
          .execute();
        return rows.map(toTariffVersion);
      }),
    tariffs: () =>
      guard('tariffs.tariffs', async () => {
        const rows = await db
          .selectFrom('tariff_versions')
          .select((eb) => ['tariff_id', eb.fn.max('version').as('latest'), eb.fn.max('created_at').as('updated')])
          .groupBy('tariff_id')
          .orderBy('tariff_id')
          .execute();
        return rows.map((r) => ({
          tariffId: r.tariff_id,
          latestVersion: Number(r.latest),
          updatedAt: Number(r.updated),
        }));
      }),
    bind: (binding) =>
      guard('tariffs.bind', async () => {
        try {
          await db
            .insertInto('station_tariffs')
            .values({
              station_id: binding.stationId,
              effective_from: binding.effectiveFrom,
              tariff_id: binding.tariffId,
              bound_at: binding.boundAt,
            })
            .execute();
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    bindings: (stationId) =>
      guard('tariffs.bindings', async () => {
        const rows = await db
          .selectFrom('station_tariffs')
          .selectAll()
          .where('station_id', '=', stationId)
          .orderBy('effective_from')
          .execute();
        return rows.map(toBinding);
      }),
    bindingAt: (stationId, atMs) =>
      guard('tariffs.bindingAt', async () => {
        const row = await db
          .selectFrom('station_tariffs')
          .selectAll()
          .where('station_id', '=', stationId)
          .where('effective_from', '<=', atMs)
          .orderBy('effective_from', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row === undefined ? undefined : toBinding(row);
      }),
  };
}
