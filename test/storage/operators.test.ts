// The operator store on every SQL dialect: operators and their thresholds as written, and which
// operator runs each station. The database is shared by the tests of a block: each test makes
// its own operator and station ids.
import { expect, it } from 'vitest';
import type { OperatorRecord, StationOperator } from '../../src/app/ports.js';
import { forEachDialect } from '../support/dialects.js';
import { aName } from './builders.js';

const UPDATED_AT = 1_767_225_600_000;
const BOUND_AT = 1_767_312_000_000;

function anOperator(overrides: Partial<OperatorRecord> = {}): OperatorRecord {
  return { id: aName('OP'), name: 'Fleet depot', billingOverrides: {}, updatedAt: UPDATED_AT, ...overrides };
}

forEachDialect('KyselyOperatorStore', (ctx) => {
  const store = () => ctx.stores().operators;

  it('when a new operator is put, then put says it is new and get reads back its thresholds whole', async () => {
    const operator = anOperator({
      billingOverrides: {
        maxSessionWh: '600000',
        energyPrecedence: ['device-total', 'estimate'],
        billGraceOnlineMs: 1_800_000,
        energyToleranceRatio: '0.05',
      },
    });

    expect(await store().put(operator)).toBe(true);

    const read = await store().get(operator.id);
    expect(read).toEqual(operator);
    expect(read?.billingOverrides.maxSessionWh).toBe('600000');
    expect(read?.billingOverrides.billGraceOnlineMs).toBe(1_800_000);
    expect(typeof read?.updatedAt).toBe('number');
  });

  it('when an operator without thresholds is put, then it reads back with no thresholds', async () => {
    const operator = anOperator({ billingOverrides: {} });
    await store().put(operator);
    expect((await store().get(operator.id))?.billingOverrides).toEqual({});
  });

  it('when an existing operator is put again, then put says it is not new and get shows the replacement', async () => {
    const first = anOperator({ name: 'Old name', billingOverrides: { maxSessionWh: '600000', slackWh: '300' } });
    await store().put(first);
    const replacement: OperatorRecord = {
      id: first.id,
      name: 'New name',
      billingOverrides: { energyPrecedence: ['platform-registers', 'estimate'] },
      updatedAt: UPDATED_AT + 60_000,
    };

    expect(await store().put(replacement)).toBe(false);

    // The thresholds are replaced, not merged: maxSessionWh and slackWh are gone.
    expect(await store().get(first.id)).toEqual(replacement);
    expect((await store().list()).filter((o) => o.id === first.id)).toEqual([replacement]);
  });

  it('when operators are listed, then they come by id in byte order, whatever order they were put in', async () => {
    const prefix = aName('LIST');
    const ids = [`${prefix}-b`, `${prefix}-a`, `${prefix}-B`, `${prefix}-A0`, `${prefix}-A`];
    for (const id of ids) await store().put(anOperator({ id, name: `operator ${id}` }));

    const all = await store().list();

    const mine = all.filter((o) => o.id.startsWith(`${prefix}-`));
    expect(mine.map((o) => o.id)).toEqual([`${prefix}-A`, `${prefix}-A0`, `${prefix}-B`, `${prefix}-a`, `${prefix}-b`]);
    expect(mine.find((o) => o.id === `${prefix}-a`)?.name).toBe(`operator ${prefix}-a`);
    const allIds = all.map((o) => o.id);
    expect(allIds).toEqual([...allIds].sort());
  });

  it('when an unknown operator is read, then it is undefined', async () => {
    expect(await store().get(aName('OP-unknown'))).toBeUndefined();
  });

  it('when a station is bound to an operator, then the binding and the operator read back', async () => {
    const operator = anOperator({ name: 'Bus fleet', billingOverrides: { maxSessionWh: '600000' } });
    await store().put(operator);
    const binding: StationOperator = { stationId: aName('S'), operatorId: operator.id, boundAt: BOUND_AT };

    await store().bindStation(binding);

    expect(await store().stationOperator(binding.stationId)).toEqual(binding);
    expect(await store().operatorOfStation(binding.stationId)).toEqual(operator);
  });

  it('when a station is bound to another operator, then the new binding replaces the old one', async () => {
    const first = anOperator({ name: 'First', billingOverrides: { maxSessionWh: '600000' } });
    const second = anOperator({ name: 'Second', billingOverrides: { slackWh: '500' } });
    await store().put(first);
    await store().put(second);
    const stationId = aName('S');
    await store().bindStation({ stationId, operatorId: first.id, boundAt: BOUND_AT });

    await store().bindStation({ stationId, operatorId: second.id, boundAt: BOUND_AT + 1_000 });

    expect(await store().stationOperator(stationId)).toEqual({
      stationId,
      operatorId: second.id,
      boundAt: BOUND_AT + 1_000,
    });
    expect(await store().operatorOfStation(stationId)).toEqual(second);
  });

  it('when a station is bound, then other stations stay unbound and its operator changes show through it', async () => {
    const operator = anOperator({ billingOverrides: {} });
    await store().put(operator);
    const bound = aName('S');
    const unbound = aName('S');
    await store().bindStation({ stationId: bound, operatorId: operator.id, boundAt: BOUND_AT });

    await store().put({ ...operator, billingOverrides: { maxSessionWh: '1000' }, updatedAt: UPDATED_AT + 1 });

    expect((await store().operatorOfStation(bound))?.billingOverrides).toEqual({ maxSessionWh: '1000' });
    expect(await store().stationOperator(unbound)).toBeUndefined();
    expect(await store().operatorOfStation(unbound)).toBeUndefined();
  });
});
