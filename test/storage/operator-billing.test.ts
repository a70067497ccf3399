// The billing use case over real stores, on every SQL dialect, with each station's thresholds
// taken from the operator running it (DESIGN.md §5): the same session bills differently at two
// operators' stations, a station bound to no operator is billed with the defaults, and an
// operator changing its thresholds changes the bills of its stations on the next run.
import { beforeAll, expect, it } from 'vitest';
import { createOperatorBook, type OperatorBook } from '../../src/app/operator-book.js';
import type { BillVersion } from '../../src/app/ports.js';
import type { BillingOverrides } from '../../src/core/billing-overrides.js';
import { aTariff } from '../support/billing-builders.js';
import { forEachDialect } from '../support/dialects.js';
import { aName, aPile } from './builders.js';
import { billingOver, deviceBill, nowMs } from './billing-journal.js';

const tariff = aTariff();
const SESSION = 'bill:20260302090000000001';

/** What differs between bills of the same session: figures, codes, status, rules fired. */
const outcome = (b: BillVersion) => ({
  sessionKey: b.sessionKey,
  energyWh: b.energyWh.toString(),
  energySource: b.energySource,
  totalFen: b.totalFen.toString(),
  codes: b.codes,
  status: b.status,
  rules: b.anomalies.map((a) => `${a.code}:${a.rule}`),
});

forEachDialect('billing with operator thresholds', (ctx) => {
  let billing: ReturnType<typeof billingOver>;
  let book: OperatorBook;
  beforeAll(() => {
    const stores = ctx.stores();
    book = createOperatorBook({ operators: stores.operators, clock: { now: () => nowMs } });
    // paramsOf detached, as main.ts passes it.
    billing = billingOver(stores, { tariffAt: async () => tariff, paramsOf: book.billingParamsOf });
  });

  /** An operator with the thresholds, running a new station; the station's id. */
  const stationOf = async (billingParams: BillingOverrides) => {
    const operatorId = aName('OP');
    const put = await book.put(operatorId, { name: `operator ${operatorId}`, billingParams });
    expect(put.ok && put.value.created).toBe(true);
    const stationId = aName('S');
    expect((await book.bindStation(stationId, operatorId)).ok).toBe(true);
    return { operatorId, stationId };
  };
  /** A new pile at the station, with the session's device bill journaled. */
  const pileWithSession = async (stationId: string) => {
    const pile = aPile({ id: aName('CP'), stationId });
    await ctx.stores().piles.create(pile);
    await ctx.stores().journal.commit({ frames: [], txMessages: [deviceBill(pile.id)], anomalies: [] });
    return pile.id;
  };
  const billOf = async (pileId: string, atMs = nowMs) => {
    const result = await billing.billPile(pileId, atMs);
    expect(result.ok).toBe(true);
    const bills = await ctx.stores().bills.latestOfPile(pileId);
    expect(bills).toHaveLength(1);
    return bills[0]!;
  };

  const settled = {
    sessionKey: SESSION,
    energyWh: '20000',
    energySource: 'device-registers',
    totalFen: '3800',
    codes: [],
    status: 'settled',
    rules: [],
  };

  it('when two operators set different session caps, then the same session is held at one station only, and a station without operator gets the defaults', async () => {
    const a = await stationOf({});
    const b = await stationOf({ maxSessionWh: '1000' });
    const atA = await pileWithSession(a.stationId);
    const atB = await pileWithSession(b.stationId);
    const unbound = await pileWithSession(aName('S'));

    const [billA, billB, billUnbound] = [await billOf(atA), await billOf(atB), await billOf(unbound)];

    expect(outcome(billA)).toEqual(settled);
    expect(outcome(billUnbound)).toEqual(settled);
    expect(outcome(billB)).toEqual({ ...settled, codes: [4], status: 'held', rules: ['4:above-session-cap'] });
    const [cap] = billB.anomalies;
    expect(cap!.evidence.threshold).toBe('1000 Wh');
    expect(cap!.evidence.values).toMatchObject({ figure: 'billed', energyWh: '20000', capWh: '1000' });
    expect(billA.stationId).toBe(a.stationId);
    expect(billB.stationId).toBe(b.stationId);
  });

  it('when an operator prefers the pile bill total, then its station bills from that source and the others from the registers', async () => {
    const a = await stationOf({});
    const b = await stationOf({ energyPrecedence: ['device-total', 'estimate'] });
    const atA = await pileWithSession(a.stationId);
    const atB = await pileWithSession(b.stationId);

    const [billA, billB] = [await billOf(atA), await billOf(atB)];

    expect(outcome(billA)).toEqual(settled);
    expect(outcome(billB)).toEqual({ ...settled, energySource: 'device-total' });
  });

  it('when an operator drops its session cap, then the next run stores a new version of the held bill without code 4', async () => {
    const b = await stationOf({ maxSessionWh: '1000' });
    const pileId = await pileWithSession(b.stationId);
    const held = await billOf(pileId);
    expect(held.codes).toEqual([4]);
    expect(held.version).toBe(1);

    // Same thresholds, later run: nothing changed, nothing stored.
    const unchanged = await billing.billPile(pileId, nowMs + 60_000);
    expect(unchanged.ok && unchanged.stored).toEqual([]);

    const put = await book.put(b.operatorId, { name: `operator ${b.operatorId}`, billingParams: {} });
    expect(put.ok && put.value.created).toBe(false);
    const rerun = await billing.billPile(pileId, nowMs + 120_000);

    expect(rerun.ok && rerun.stored.map((v) => [v.billNo, v.version, v.reason])).toEqual([[held.billNo, 2, 'rebuilt']]);
    const latest = await billOf(pileId, nowMs + 180_000);
    expect(outcome(latest)).toEqual(settled);
    const versions = await ctx.stores().bills.versions(held.billNo);
    expect(versions.map((v) => [v.version, v.codes, v.status, v.createdAt])).toEqual([
      [1, [4], 'held', nowMs],
      [2, [], 'settled', nowMs + 120_000],
    ]);
  });
});
