// One card charging on two piles at once (code 7, domain.md §B4) over real stores, on every SQL
// dialect. Piles are billed one at a time, in whatever order the scheduler takes them: the later
// session ends held either way, and its hold follows the earlier bill when that one changes.
import { beforeAll, expect, it } from 'vitest';
import { createBillingScheduler } from '../../src/app/billing-scheduler.js';
import type { TxMessage } from '../../src/app/ports.js';
import { DEFAULT_BILLING_PARAMS } from '../../src/core/billing-params.js';
import { aTariff } from '../support/billing-builders.js';
import { forEachDialect } from '../support/dialects.js';
import { aName, aPile } from './builders.js';
import { aTxMessage, billingOver, deviceBill, iso, nowMs, startAt } from './billing-journal.js';

const MINUTE = 60_000;
const tariff = aTariff();
// A session without its stop yet is still running, not lost (code 1), for as long as these
// scenarios last.
const params = { ...DEFAULT_BILLING_PARAMS, billGraceOnlineMs: 6 * 60 * MINUTE };

const pileBill = (pileId: string, card: string, fromMs: number, toMs: number) =>
  deviceBill(pileId, { card, fromMs, toMs });

const startTransaction = (pileId: string, card: string, atMs: number) =>
  aTxMessage(
    pileId,
    'start',
    { connectorId: 1, idTag: card, meterStartWh: 500_000, timestamp: iso(atMs), startedAt: atMs },
    { transactionId: 77 },
  );

const stopTransaction = (pileId: string, atMs: number) =>
  aTxMessage(
    pileId,
    'stop',
    { transactionId: 77, meterStop: 505_000, timestamp: iso(atMs), reason: 'Local' },
    { transactionId: 77 },
  );

forEachDialect('billing one card charging on two piles at once', (ctx) => {
  let billing: ReturnType<typeof billingOver>;
  beforeAll(() => {
    const stores = ctx.stores();
    billing = billingOver(stores, { tariffAt: async () => tariff, paramsOf: async () => params });
  });

  const twoPiles = async () => {
    const piles = [aPile({ id: aName('CP') }), aPile({ id: aName('CP') })];
    for (const pile of piles) await ctx.stores().piles.create(pile);
    return piles.map((p) => p.id) as [string, string];
  };
  const commit = (txMessages: TxMessage[]) => ctx.stores().journal.commit({ frames: [], txMessages, anomalies: [] });
  const billOf = async (pileId: string) => {
    const bills = await ctx.stores().bills.latestOfPile(pileId);
    expect(bills).toHaveLength(1);
    return bills[0]!;
  };

  it.each([
    ['the earlier', false],
    ['the later', true],
  ])(
    'when one card charges on two piles at once and the scheduler takes %s pile first, then the later session ends held with 7 same-id-tag-concurrent',
    async (_label, laterFirst) => {
      const card = aName('CARD');
      const [earlyPile, latePile] = await twoPiles();
      await commit([pileBill(earlyPile, card, startAt, startAt + 40 * MINUTE)]);
      await commit([pileBill(latePile, card, startAt + 20 * MINUTE, startAt + 60 * MINUTE)]);
      const errors: unknown[] = [];
      const scheduler = createBillingScheduler({
        billing,
        activePiles: async () => (laterFirst ? [latePile, earlyPile] : [earlyPile, latePile]),
        clock: { now: () => nowMs },
        onError: (_pileId, error) => errors.push(error),
      });

      await scheduler.runOnce();
      // The later pile billed first knew no bill of the card yet; billing the earlier pile marked it again.
      if (laterFirst) expect((await billOf(latePile)).codes).toEqual([]);
      await scheduler.runOnce();

      expect(errors).toEqual([]);
      const early = await billOf(earlyPile);
      expect(early.codes).toEqual([]);
      expect(early.status).toBe('settled');
      const late = await billOf(latePile);
      expect(late.codes).toEqual([7]);
      expect(late.anomalies.map((a) => [a.rule, a.evidence.values, a.evidence.threshold])).toEqual([
        ['same-id-tag-concurrent', { otherBill: early.billNo, otherPile: earlyPile, overlapMs: '1200000' }, '60000 ms'],
      ]);
      expect(late.status).toBe('held');
      expect(late.version).toBe(laterFirst ? 2 : 1);
    },
  );

  it('when the earlier session turns out to have stopped before the later one began, then the later pile is billed again and its hold lifts', async () => {
    const card = aName('CARD');
    const [earlyPile, latePile] = await twoPiles();
    await commit([startTransaction(earlyPile, card, startAt)]);
    await commit([pileBill(latePile, card, startAt + 20 * MINUTE, startAt + 60 * MINUTE)]);
    await billing.billPile(earlyPile, nowMs);
    const first = await billing.billPile(latePile, nowMs);
    expect(first.ok && first.rebill).toEqual([]);
    // As far as anyone knows, the card is still charging at the first pile.
    expect((await billOf(latePile)).codes).toEqual([7]);

    await commit([stopTransaction(earlyPile, startAt + 15 * MINUTE)]);
    const stopped = await billing.billPile(earlyPile, nowMs + MINUTE);
    expect(stopped.ok && stopped.rebill).toEqual([latePile]);
    await billing.billPile(latePile, nowMs + MINUTE);

    const late = await billOf(latePile);
    expect(late.codes).toEqual([]);
    expect(late.status).toBe('settled');
    expect(late.version).toBe(2);
  });

  it('when the card charges on one pile at a time, then neither bill is held and no pile is billed again', async () => {
    const card = aName('CARD');
    const [earlyPile, latePile] = await twoPiles();
    await commit([pileBill(earlyPile, card, startAt, startAt + 40 * MINUTE)]);
    await commit([pileBill(latePile, card, startAt + 41 * MINUTE, startAt + 80 * MINUTE)]);
    const results = [await billing.billPile(latePile, nowMs), await billing.billPile(earlyPile, nowMs)];
    expect(results.map((r) => r.ok && r.rebill)).toEqual([[], []]);
    expect([(await billOf(earlyPile)).codes, (await billOf(latePile)).codes]).toEqual([[], []]);
  });
});
