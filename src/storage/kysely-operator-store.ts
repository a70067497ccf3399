import type { Kysely, Selectable } from 'kysely';
import type { OperatorRecord, OperatorStore, StationOperator } from '../app/ports.js';
import { guard, isUniqueViolation } from './errors.js';
import type { Database, OperatorsTable, StationsTable } from './schema.js';

function toOperator(r: Selectable<OperatorsTable>): OperatorRecord {
  return {
    id: r.id,
    name: r.name,
    billingOverrides: JSON.parse(r.billing_params) as OperatorRecord['billingOverrides'],
    updatedAt: Number(r.updated_at),
  };
}

function toStationOperator(r: Selectable<StationsTable>): StationOperator {
  return { stationId: r.id, operatorId: r.operator_id, boundAt: Number(r.bound_at) };
}

/** Writes are insert-or-update by primary key: the insert fails on the key when the row exists. */
export function createKyselyOperatorStore(db: Kysely<Database>): OperatorStore {
  return {
    put: (operator) =>
      guard('operators.put', async () => {
        const values = {
          name: operator.name,
          billing_params: JSON.stringify(operator.billingOverrides),
          updated_at: operator.updatedAt,
        };
        try {
          await db
            .insertInto('operators')
            .values({ id: operator.id, ...values })
            .execute();
          return true;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        await db.updateTable('operators').set(values).where('id', '=', operator.id).execute();
        return false;
      }),
    get: (operatorId) =>
      guard('operators.get', async () => {
        const row = await db.selectFrom('operators').selectAll().where('id', '=', operatorId).executeTakeFirst();
        return row === undefined ? undefined : toOperator(row);
      }),
    list: () =>
      guard('operators.list', async () => {
        const rows = await db.selectFrom('operators').selectAll().orderBy('id').execute();
        return rows.map(toOperator);
      }),
    bindStation: (binding) =>
      guard('operators.bindStation', async () => {
        const values = { operator_id: binding.operatorId, bound_at: binding.boundAt };
        try {
          await db
            .insertInto('stations')
            .values({ id: binding.stationId, ...values })
            .execute();
          return;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
        await db.updateTable('stations').set(values).where('id', '=', binding.stationId).execute();
      }),
    stationOperator: (stationId) =>
      guard('operators.stationOperator', async () => {
        const row = await db.selectFrom('stations').selectAll().where('id', '=', stationId).executeTakeFirst();
        return row === undefined ? undefined : toStationOperator(row);
      }),
    operatorOfStation: (stationId) =>
      guard('operators.operatorOfStation', async () => {
        const row = await db
          .selectFrom('stations')
          .innerJoin('operators', 'operators.id', 'stations.operator_id')
          .selectAll('operators')
          .where('stations.id', '=', stationId)
          .executeTakeFirst();
        return row === undefined ? undefined : toOperator(row);
      }),
  };
}
