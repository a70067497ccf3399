import type { Kysely, Selectable } from 'kysely';
import type { BootInfo, Connector, Dialect, NewPile, Pile, PileStore } from '../app/ports.js';
import { guard, isUniqueViolation } from './errors.js';
import type { Database, PilesTable } from './schema.js';

function toBoot(r: Selectable<PilesTable>): BootInfo | null {
  // Written together by recordBoot, so the boot time alone tells whether there was one.
  if (r.booted_at === null) return null;
  return {
    vendor: r.boot_vendor ?? '',
    model: r.boot_model ?? '',
    serial: r.boot_serial,
    firmware: r.boot_firmware,
    bootedAt: r.booted_at,
  };
}

function toPile(r: Selectable<PilesTable>): Pile {
  return {
    id: r.id,
    stationId: r.station_id,
    dialect: r.dialect as Dialect,
    connectors: JSON.parse(r.connectors) as Connector[],
    passwordHash: r.password_hash,
    registeredAt: r.registered_at,
    boot: toBoot(r),
  };
}

export function createKyselyPileStore(db: Kysely<Database>): PileStore {
  return {
    create: (pile: NewPile) =>
      guard('piles.create', async () => {
        try {
          await db
            .insertInto('piles')
            .values({
              id: pile.id,
              station_id: pile.stationId,
              dialect: pile.dialect,
              connectors: JSON.stringify(pile.connectors),
              password_hash: pile.passwordHash,
              registered_at: pile.registeredAt,
            })
            .execute();
          return true;
        } catch (error) {
          if (isUniqueViolation(error)) return false;
          throw error;
        }
      }),
    get: (id) =>
      guard('piles.get', async () => {
        const row = await db.selectFrom('piles').selectAll().where('id', '=', id).executeTakeFirst();
        return row === undefined ? undefined : toPile(row);
      }),
    list: () =>
      guard('piles.list', async () => {
        const rows = await db.selectFrom('piles').selectAll().orderBy('id').execute();
        return rows.map(toPile);
      }),
    setPasswordHash: (id, passwordHash) =>
      guard('piles.setPasswordHash', async () => {
        const result = await db
          .updateTable('piles')
          .set({ password_hash: passwordHash })
          .where('id', '=', id)
          .executeTakeFirst();
        // mysql2 counts matched rows (CLIENT_FOUND_ROWS), so setting the same hash is a match.
        return result.numUpdatedRows > 0n;
      }),
    recordBoot: (id, boot) =>
      guard('piles.recordBoot', async () => {
        await db
          .updateTable('piles')
          .set({
            boot_vendor: boot.vendor,
            boot_model: boot.model,
            boot_serial: boot.serial,
            boot_firmware: boot.firmware,
            booted_at: boot.bootedAt,
          })
          .where('id', '=', id)
          .execute();
      }),
    remove: (id) =>
      guard('piles.remove', async () => {
        const result = await db.deleteFrom('piles').where('id', '=', id).executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
  };
}
