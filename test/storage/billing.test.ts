// The billing use case over real stores, on every SQL dialect: what it stores when a bill
// number is taken, and when a session it billed turns out to be part of another.
import { beforeAll, expect, it } from 'vitest';
import type { TxMessage } from '../../src/app/ports.js';
import { billNumber } from '../../src/core/bill-number.js';
import { DEFAULT_BILLING_PARAMS } from '../../src/core/billing-params.js';
import { aTariff } from '../support/billing-builders.js';
import { aBillVersion } from '../support/bills.js';
import { forEachDialect } from '../support/dialects.js';
import { aName, aPile } from './builders.js';
import { aTxMessage, billingOver, cardOf, deviceBill, iso, nowMs, startAt, stopAt } from './billing-journal.js';

const tariff = aTariff();

const startTransaction = (pileId: string) =>
  aTxMessage(
    pileId,
    'start',
    { connectorId: 1, idTag: cardOf(pileId), meterStartWh: 500_000, timestamp: iso(startAt), startedAt: startAt },
    { transactionId: 77 },
  );

forEachDialect('billing use case', (ctx) => {
  let billing: ReturnType<typeof billingOver>;
  beforeAll(() => {
    const stores = ctx.stores();
    billing = billingOver(stores, { tariffAt: async () => tariff, paramsOf: async () => DEFAULT_BILLING_PARAMS });
  });

  const newPile = async () => {
    const pile = aPile({ id: aName('CP'), stationId: aName('S') });
    await ctx.stores().piles.create(pile);
    return pile.id;
  };
  const commit = (txMessages: TxMessage[]) => ctx.stores().journal.commit({ frames: [], txMessages, anomalies: [] });

  it('when another session holds the bill number, then the bill is stored under another number of the same second', async () => {
    const pileId = await newPile();
    await commit([deviceBill(pileId)]);
    const taken = billNumber(startAt, tariff.timeZone, pileId, 'bill:20260302090000000001');
    const other = await newPile();
    expect(await ctx.stores().bills.append(aBillVersion({ billNo: taken, pileId: other }))).toBe(true);

    const result = await billing.billPile(pileId, nowMs);

    expect(result.ok && result.stored.map((b) => b.sessionKey)).toEqual(['bill:20260302090000000001']);
    const [bill] = await ctx.stores().bills.latestOfPile(pileId);
    expect(bill!.billNo).not.toBe(taken);
    expect(bill!.billNo.slice(0, 14)).toBe(taken.slice(0, 14));
    expect(bill!.energyWh.toString()).toBe('20000');
  });

  it('when a late StartTransaction claims a session billed from the device bill alone, then that bill is voided and one bill stays', async () => {
    const pileId = await newPile();
    await commit([deviceBill(pileId)]);
    await billing.billPile(pileId, nowMs);
    await commit([startTransaction(pileId)]);

    await billing.billPile(pileId, nowMs + 60_000);

    const bills = await ctx.stores().bills.latestOfPile(pileId);
    const byKey = Object.fromEntries(bills.map((b) => [b.sessionKey, [b.status, b.reason, b.energyWh.toString()]]));
    expect(byKey).toEqual({
      'bill:20260302090000000001': ['void', 'merged-into-another-session', '20000'],
      'tx:77': ['settled', 'rated', '20000'],
    });
  });

  it('when the pile bill has a bill number and idTag far longer than any real one, then it is still billed', async () => {
    const pileId = await newPile();
    const bill = JSON.parse(deviceBill(pileId).payload) as Record<string, unknown>;
    const long = { ...bill, deviceBillNo: '9'.repeat(300), idTag: 'T'.repeat(300) };
    await commit([aTxMessage(pileId, 'device-bill', long)]);

    const result = await billing.billPile(pileId, nowMs);

    expect(result.ok && result.stored.length).toBe(1);
    const [stored] = await ctx.stores().bills.latestOfPile(pileId);
    expect(stored!.sessionKey.length).toBeLessThanOrEqual(128);
    expect(stored!.sessionKey.startsWith(`bill:${'9'.repeat(55)}#`)).toBe(true);
    expect(stored!.idTag).toBeNull();
  });

  it('when billing runs twice on the same journal, then the second run stores nothing', async () => {
    const pileId = await newPile();
    await commit([deviceBill(pileId)]);
    await billing.billPile(pileId, nowMs);
    const again = await billing.billPile(pileId, nowMs + 60_000);
    expect(again.ok && again.stored).toEqual([]);
  });
});
