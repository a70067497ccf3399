// Conservation laws of billing (STYLE.md habit 5, DESIGN.md §4): tier energies add up to the
// session, a bill's lines add up to its total in whole fen, the way a pile sends its messages
// (batched, resent, reordered) does not change a bill, energy is never negative, and a tariff
// boundary neither creates nor loses a Wh.
//
// Sessions come from test/support/pile-truths.ts: the truth of one connector over days, across
// tier boundaries, sent the ways piles send it (field case D).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BillDraft } from '../../../src/core/bill.js';
import type { ChargeEvent } from '../../../src/core/charge-events.js';
import { Dec, sumOf, ZERO } from '../../../src/core/decimal.js';
import { rateSession } from '../../../src/core/rating.js';
import { TIERS, type TariffVersion, type Tier } from '../../../src/core/tariff.js';
import { tierWindows } from '../../../src/core/tou-calendar.js';
import { splitByTier, type EnergySample } from '../../../src/core/tou-split.js';
import { aTariff, at, billsOf, deviceBill, resent, sampled, started, stopped } from '../../support/billing-builders.js';
import { oneSeason, YEAR_ROUND_PERIODS } from '../../support/tariffs.js';
import { batched, oneByOne, truths, type Truth } from '../../support/pile-truths.js';

const NUM_RUNS = 200;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = at('2020-01-13 00:00:00');

/** Five-decimal prices in every tier, an idle fee with a cap: every rounding path is used. */
const tariff: TariffVersion = aTariff({
  prices: {
    peak: { electricityPerKwh: '1.21100', servicePerKwh: '0.80000' },
    flat: { electricityPerKwh: '0.71230', servicePerKwh: '0.60000' },
    valley: { electricityPerKwh: '0.28410', servicePerKwh: '0.40000' },
  },
  seasons: oneSeason(YEAR_ROUND_PERIODS),
  idleFee: { freeMinutes: 30, pricePerMinute: '0.25000', capYuan: '20.00' },
});

/** What the bill says, without journal ids or bill numbers. */
const billView = (bills: readonly BillDraft[]) =>
  bills.map((b) => ({
    session: b.sessionKey,
    startMs: b.startMs,
    stopMs: b.stopMs,
    energyWh: b.energyWh.toString(),
    energySource: b.energySource,
    lines: b.lines.map(
      (l) =>
        `${l.kind}/${l.tier}/${l.quantity.toString()}/${l.unitPrice.toString()}/${l.amountFen.toString()}/${l.method}`,
    ),
    totalFen: b.totalFen.toString(),
    codes: b.codes.join(','),
  }));

const billsOfTruth = (truth: Truth, events: readonly ChargeEvent[]) =>
  billsOf({ events, nowMs: truth.nowMs, tariff, connectors: [{ connectorId: 1, maxPowerW: truth.maxPowerW }] });

// ---------------------------------------------------------------------------------------------
// Lines for the split alone

/** A cumulative energy line from 0 at `startMs`, rising by `wh` after each gap. */
function cumulative(startMs: number, points: readonly { gapMs: number; wh: number }[]): EnergySample[] {
  const samples: EnergySample[] = [];
  let [atMs, energyWh] = [startMs, ZERO];
  for (const p of points) {
    [atMs, energyWh] = [atMs + p.gapMs, energyWh.plus(p.wh)];
    samples.push({ atMs, energyWh });
  }
  return samples;
}

/** A session of at least a minute, its samples' line, and an energy that may differ from it. */
const splitCases = fc
  .record({
    startMinute: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    points: fc.array(
      fc.record({ gapMs: fc.integer({ min: 0, max: 50 * MINUTE }), wh: fc.integer({ min: 0, max: 3_000 }) }),
      { maxLength: 30 },
    ),
    durationMs: fc.integer({ min: MINUTE, max: 30 * HOUR }),
    extraWh: fc.integer({ min: -5_000, max: 5_000 }),
  })
  .map(({ startMinute, points, durationMs, extraWh }) => {
    const startMs = T0 + startMinute * MINUTE;
    const samples = cumulative(startMs, points);
    const inside = samples.filter((s) => s.atMs <= startMs + durationMs);
    const sampledWh = inside.length > 1 ? inside.at(-1)!.energyWh.minus(inside[0]!.energyWh).toNumber() : 0;
    return { startMs, stopMs: startMs + durationMs, energyWh: new Dec(Math.max(0, sampledWh + extraWh)), samples };
  });

// ---------------------------------------------------------------------------------------------

describe('billing conservation laws', () => {
  it('when any session is billed, then its tier energies add up to its energy', () => {
    fc.assert(
      fc.property(truths, (truth) => {
        for (const bill of billsOfTruth(truth, oneByOne(truth))) {
          for (const kind of ['electricity', 'service'] as const) {
            const lines = bill.lines.filter((l) => l.kind === kind);
            expect(sumOf(lines.map((l) => l.quantity)).toString()).toBe(bill.energyWh.toString());
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('when the registers are clean, then each bill is exactly the energy the meter delivered in its session', () => {
    fc.assert(
      fc.property(truths, (truth) => {
        const bills = billsOfTruth(truth, oneByOne(truth));
        expect(bills.map((b) => [b.energySource, b.energyWh.toString()])).toEqual(
          truth.sessions.map((s) => ['device-registers', String(s.stopWh - s.startWh)]),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('when any cumulative line is split for any energy, then the tiers are whole Wh that add up to that energy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        fc.array(
          fc.record({ gapMs: fc.integer({ min: 0, max: 50 * MINUTE }), wh: fc.integer({ min: 0, max: 3_000 }) }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 30 * HOUR }),
        fc.integer({ min: 0, max: 200_000 }),
        (startMinute, points, durationMs, energy) => {
          const startMs = T0 + startMinute * MINUTE;
          const stopMs = startMs + durationMs;
          const samples = cumulative(startMs, points);
          const energyWh = new Dec(energy);
          const tiers = splitByTier({
            startMs,
            stopMs,
            energyWh,
            samples,
            windows: tierWindows(tariff, startMs, Math.max(stopMs, startMs + 1)),
            maxGapMs: 15 * MINUTE,
          });
          expect(sumOf(tiers.map((t) => t.energyWh)).toString()).toBe(energyWh.toString());
          for (const t of tiers) expect(t.energyWh.isInteger() && !t.energyWh.isNegative()).toBe(true);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('when any session is billed, then the total is the sum of its lines and every line is a whole fen', () => {
    fc.assert(
      fc.property(truths, (truth) => {
        for (const bill of billsOfTruth(truth, oneByOne(truth))) {
          expect(sumOf(bill.lines.map((l) => l.amountFen)).toString()).toBe(bill.totalFen.toString());
          for (const line of bill.lines) expect(line.amountFen.isInteger()).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('when any tier energies are rated at any five-decimal prices, then each line is its exact cost rounded half-up and the total their sum', () => {
    const price = fc.integer({ min: 0, max: 500_000 }).map((n) => new Dec(n).dividedBy(100_000));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ tier: fc.constantFrom(...TIERS), energyWh: fc.integer({ min: 0, max: 300_000 }) }), {
          selector: (t) => t.tier,
        }),
        fc.record({
          sharp: fc.tuple(price, price),
          peak: fc.tuple(price, price),
          flat: fc.tuple(price, price),
          valley: fc.tuple(price, price),
          'deep-valley': fc.tuple(price, price),
        }),
        fc.integer({ min: 0, max: 24 * 60 }),
        (tiers, prices, idleMinutes) => {
          const version: TariffVersion = {
            ...tariff,
            prices: Object.fromEntries(
              TIERS.map((t) => [t, { electricityPerKwh: prices[t][0], servicePerKwh: prices[t][1] }]),
            ) as Record<Tier, { electricityPerKwh: Dec; servicePerKwh: Dec }>,
          };
          const rated = rateSession(
            version,
            tiers.map((t) => ({ tier: t.tier, energyWh: new Dec(t.energyWh), method: 'interpolated' as const })),
            idleMinutes,
          );
          if (!rated.ok) throw new Error(`every tier has a price, got ${rated.reason}`);
          const { lines, totalFen } = rated.rating;
          expect(sumOf(lines.map((l) => l.amountFen)).toString()).toBe(totalFen.toString());
          for (const line of lines) {
            expect(line.amountFen.isInteger()).toBe(true);
            if (line.kind === 'idle') continue;
            // Wh × yuan/kWh × 100 fen/yuan ÷ 1000 Wh/kWh, worked out apart from the code under test.
            const exact = line.quantity.times(line.unitPrice).times(100).dividedBy(1000);
            expect(line.amountFen.minus(exact).toNumber()).toBeGreaterThan(-0.5);
            expect(line.amountFen.minus(exact).toNumber()).toBeLessThanOrEqual(0.5);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('when the samples are batched into MeterValues calls differently, then the bills do not change', () => {
    fc.assert(
      fc.property(truths, fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }), (truth, sizes) => {
        const expected = billView(billsOfTruth(truth, oneByOne(truth)));
        expect(billView(billsOfTruth(truth, batched(truth, sizes)))).toEqual(expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('when messages are resent under new journal ids, then the bills do not change', () => {
    fc.assert(
      fc.property(
        truths,
        fc.array(fc.record({ index: fc.nat(), delayMs: fc.integer({ min: 1_000, max: 2 * MINUTE }) }), {
          maxLength: 10,
        }),
        (truth, resends) => {
          const events = oneByOne(truth);
          const expected = billView(billsOfTruth(truth, events));
          const copies = resends.map(({ index, delayMs }) => {
            const e = events[index % events.length]!;
            return resent(e, e.receivedAt + delayMs);
          });
          expect(billView(billsOfTruth(truth, [...events, ...copies]))).toEqual(expected);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('when the events reach the fold in any order, then the bills do not change', () => {
    fc.assert(
      fc.property(
        truths.chain((truth) => {
          const events = oneByOne(truth);
          return fc.tuple(
            fc.constant(truth),
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          );
        }),
        ([truth, events, shuffled]) => {
          expect(billView(billsOfTruth(truth, shuffled))).toEqual(billView(billsOfTruth(truth, events)));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('when the pile skips, delays or repeats StartTransaction (case D), then energy, lines and total are as if it had not', () => {
    fc.assert(
      fc.property(truths, (truth) => {
        // The by-the-book session with the pile's bill, since a skipped start leaves only the bill.
        const byTheBook: Truth = {
          ...truth,
          sessions: truth.sessions.map((s) => ({ ...s, sending: 'by-the-book', withBill: true })),
        };
        const amounts = (bills: readonly BillDraft[]) =>
          billView(bills).map(({ startMs, stopMs, energyWh, energySource, lines, totalFen }) => ({
            startMs,
            stopMs,
            energyWh,
            energySource,
            lines,
            totalFen,
          }));
        const asSent: Truth = { ...truth, sessions: truth.sessions.map((s) => ({ ...s, withBill: true })) };
        expect(amounts(billsOfTruth(asSent, oneByOne(asSent)))).toEqual(
          amounts(billsOfTruth(byTheBook, oneByOne(byTheBook))),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('when the registers are anything at all, then nothing is negative and the lines still carry the billed energy and add up to the total', () => {
    const anyRegister = fc.oneof(
      fc.integer({ min: 0, max: 100_000 }),
      fc.constant(0),
      fc.integer({ min: 0, max: 99_999_999 }),
    );
    fc.assert(
      fc.property(
        fc.record({
          meterStartWh: anyRegister,
          meterStopWh: anyRegister,
          samples: fc.array(fc.record({ minute: fc.integer({ min: -30, max: 300 }), wh: anyRegister }), {
            maxLength: 20,
          }),
          durationMinutes: fc.integer({ min: 0, max: 300 }),
          bill: fc.option(
            fc.record({
              startWh: anyRegister,
              stopWh: anyRegister,
              energyWh: fc.integer({ min: -50_000, max: 500_000 }),
            }),
          ),
        }),
        ({ meterStartWh, meterStopWh, samples, durationMinutes, bill }) => {
          const startMs = at('2020-01-13 21:30:00');
          const stopMs = startMs + durationMinutes * MINUTE;
          const events: ChargeEvent[] = [
            started({ at: startMs, meterStartWh }),
            ...samples.map((s) => sampled({ at: startMs + s.minute * MINUTE, registerWh: s.wh })),
            stopped({ at: stopMs, meterStopWh }),
          ];
          if (bill)
            events.push(
              deviceBill({
                startAt: startMs,
                stopAt: stopMs,
                registerStartWh: bill.startWh,
                registerStopWh: bill.stopWh,
                energyWh: bill.energyWh,
                amountFen: 0,
              }),
            );
          for (const b of billsOf({ events, nowMs: stopMs + HOUR, tariff })) {
            expect(b.energyWh.isNegative()).toBe(false);
            for (const line of b.lines) expect(line.quantity.isNegative() || line.amountFen.isNegative()).toBe(false);
            expect(b.totalFen.isNegative()).toBe(false);
            // Garbage in, still conserved: the lines carry the billed energy and add up to the total.
            const electricity = b.lines.filter((l) => l.kind === 'electricity');
            expect(sumOf(electricity.map((l) => l.quantity)).toString()).toBe(b.energyWh.toString());
            expect(sumOf(b.lines.map((l) => l.amountFen)).toString()).toBe(b.totalFen.toString());
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('when a session is split by a time-of-use tariff or by one flat tier, then the same Wh are billed, and at one price the same money to the rounding of its lines', () => {
    const onePrice = { electricityPerKwh: new Dec('0.71230'), servicePerKwh: new Dec('0.60000') };
    const samePriceEverywhere: TariffVersion = {
      ...tariff,
      prices: Object.fromEntries(TIERS.map((t) => [t, onePrice])),
    };
    fc.assert(
      fc.property(splitCases, ({ startMs, stopMs, energyWh, samples }) => {
        const split = (windows: Parameters<typeof splitByTier>[0]['windows']) =>
          splitByTier({ startMs, stopMs, energyWh, samples, windows, maxGapMs: 15 * MINUTE });
        const tou = split(tierWindows(tariff, startMs, stopMs));
        const flat = split([{ fromMs: startMs, toMs: stopMs, tier: 'flat' }]);
        expect(sumOf(tou.map((t) => t.energyWh)).toString()).toBe(energyWh.toString());
        expect(flat.map((t) => t.energyWh.toString())).toEqual([energyWh.toString()]);
        const [touRated, flatRated] = [rateSession(samePriceEverywhere, tou), rateSession(samePriceEverywhere, flat)];
        if (!touRated.ok || !flatRated.ok) throw new Error('every tier has a price');
        // Each line is off its exact amount by at most half a fen.
        const slackFen = (touRated.rating.lines.length + flatRated.rating.lines.length) / 2;
        expect(touRated.rating.totalFen.minus(flatRated.rating.totalFen).abs().toNumber()).toBeLessThanOrEqual(
          slackFen,
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('when a tier boundary moves later in a session, then the tier before it never loses a Wh and the two tiers keep the sum', () => {
    fc.assert(
      fc.property(splitCases, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (c, a, b) => {
        const { startMs, stopMs, energyWh, samples } = c;
        const instant = (permille: number) => startMs + Math.floor(((stopMs - startMs) * permille) / 1000);
        const beforeOf = (boundaryMs: number) => {
          const tiers = splitByTier({
            startMs,
            stopMs,
            energyWh,
            samples,
            windows: (
              [
                { fromMs: startMs, toMs: boundaryMs, tier: 'peak' },
                { fromMs: boundaryMs, toMs: stopMs, tier: 'valley' },
              ] as const
            ).filter((w) => w.fromMs < w.toMs),
            maxGapMs: 15 * MINUTE,
          });
          expect(sumOf(tiers.map((t) => t.energyWh)).toString()).toBe(energyWh.toString());
          return tiers.find((t) => t.tier === 'peak')?.energyWh ?? ZERO;
        };
        const [early, late] = [instant(Math.min(a, b)), instant(Math.max(a, b))];
        expect(beforeOf(early).lte(beforeOf(late))).toBe(true);
        expect(beforeOf(startMs).toString()).toBe('0');
        expect(beforeOf(stopMs).toString()).toBe(energyWh.toString());
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
