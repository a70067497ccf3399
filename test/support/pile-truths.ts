// Pile sessions for fast-check properties: the truth of one connector (sessions one after
// another, a register that only rises, by at most the connector's power over each gap, samples
// at random times), and the ways a pile sends it (field case D): by the book, with
// StartTransaction skipped (the device bill anchors the session), with the first MeterValues
// before StartTransaction, or with StartTransaction sent three times (the gateway gives the same
// transactionId back). Each sample in a MeterValues call of its own, or batched.
import fc from 'fast-check';
import type { ChargeEvent } from '../../src/core/charge-events.js';
import { at, deviceBill, sampled, sampledBatch, started, status, stopped } from './billing-builders.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Monday 13 Jan 2020, 00:00 in Shanghai (field case A's day). */
const T0 = at('2020-01-13 00:00:00');

// ---------------------------------------------------------------------------------------------
// The truth of one connector

export type Sending = 'by-the-book' | 'start-skipped' | 'start-late' | 'start-repeated';

export interface TrueSession {
  readonly transactionId: number;
  readonly startMs: number;
  readonly startWh: number;
  readonly samples: readonly { readonly at: number; readonly registerWh: number }[];
  readonly stopMs: number;
  readonly stopWh: number;
  readonly plugOutMs: number;
  readonly withBill: boolean;
  readonly sending: Sending;
  /** How many MeterValues come before a late StartTransaction. */
  readonly early: number;
}

export interface Truth {
  readonly maxPowerW: number;
  readonly sessions: readonly TrueSession[];
  readonly nowMs: number;
}

const step = fc.record({
  gapMs: fc.integer({ min: 1_000, max: 40 * MINUTE }),
  loadPct: fc.integer({ min: 0, max: 100 }),
});

const sessionPlan = fc.record({
  idleBeforeMs: fc.integer({ min: MINUTE, max: 8 * HOUR }),
  /** Energy drawn between sessions (another meter user, a lost bill): code 11 above 50 Wh. */
  betweenWh: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500 })),
  /** A Transaction.Begin sample at the start instant, which may read a little above meterStart. */
  beginSample: fc.boolean(),
  beginStepWh: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 150 })),
  steps: fc.array(step, { maxLength: 25 }),
  tail: step,
  plugOutAfterMs: fc.integer({ min: 0, max: 3 * HOUR }),
  withBill: fc.boolean(),
  sending: fc.constantFrom<Sending>('by-the-book', 'by-the-book', 'start-skipped', 'start-late', 'start-repeated'),
  early: fc.integer({ min: 1, max: 3 }),
});

export const truths: fc.Arbitrary<Truth> = fc
  .record({
    maxPowerW: fc.constantFrom(7_000, 60_000, 120_000),
    startWh: fc.integer({ min: 1, max: 50_000_000 }),
    plans: fc.array(sessionPlan, { minLength: 1, maxLength: 3 }),
  })
  .map(({ maxPowerW, startWh, plans }) => {
    const riseWh = (s: { gapMs: number; loadPct: number }) =>
      Math.floor((maxPowerW * s.loadPct * s.gapMs) / (100 * HOUR));
    const sessions: TrueSession[] = [];
    let [clock, register] = [T0, startWh];
    for (const [i, plan] of plans.entries()) {
      const startMs = clock + plan.idleBeforeMs;
      // Drawn over the idle time, so no faster than the connector can deliver.
      const betweenWh = Math.min(plan.betweenWh, Math.floor((maxPowerW * plan.idleBeforeMs) / HOUR));
      const sessionStartWh = register + betweenWh;
      let [atMs, wh] = [startMs, sessionStartWh + (plan.beginSample ? plan.beginStepWh : 0)];
      const samples: { at: number; registerWh: number }[] = plan.beginSample ? [{ at: atMs, registerWh: wh }] : [];
      for (const s of plan.steps) {
        [atMs, wh] = [atMs + s.gapMs, wh + riseWh(s)];
        samples.push({ at: atMs, registerWh: wh });
      }
      const [stopMs, stopWh] = [atMs + plan.tail.gapMs, wh + riseWh(plan.tail)];
      // A session without StartTransaction is only known by its device bill.
      const withBill = plan.withBill || plan.sending === 'start-skipped';
      const plugOutMs = stopMs + plan.plugOutAfterMs;
      sessions.push({
        transactionId: i + 1,
        startMs,
        startWh: sessionStartWh,
        samples,
        stopMs,
        stopWh,
        plugOutMs,
        withBill,
        sending: plan.sending,
        early: plan.early,
      });
      [clock, register] = [plugOutMs, stopWh];
    }
    return { maxPowerW, sessions, nowMs: clock + 2 * HOUR };
  });

// ---------------------------------------------------------------------------------------------
// How a pile sends it

interface Sent {
  readonly first: ChargeEvent[];
  readonly samples: { readonly transactionId: number | null; readonly readings: TrueSession['samples'][number][] }[];
  readonly last: ChargeEvent[];
}

/** One session's messages; the samples grouped by the transactionId they carry. */
function sendSession(s: TrueSession): Sent {
  const tx = s.transactionId;
  const skipped = s.sending === 'start-skipped';
  const early = s.sending === 'start-late' ? Math.min(s.early, s.samples.length) : 0;
  // A late StartTransaction is received right after the MeterValues sent before it.
  const startReceivedAt = early > 0 ? s.samples[early - 1]!.at + 1_000 : s.startMs;
  const first: ChargeEvent[] = [status({ at: s.startMs - 10_000, state: 'preparing' })];
  // A repeated StartTransaction gets the same transactionId back each time.
  const starts = skipped ? 0 : s.sending === 'start-repeated' ? 3 : 1;
  for (let i = 0; i < starts; i++) {
    first.push(
      started({ at: s.startMs, transactionId: tx, meterStartWh: s.startWh, receivedAt: startReceivedAt + i * 10_000 }),
    );
  }
  const samples = [
    { transactionId: null, readings: s.samples.slice(0, early) },
    { transactionId: skipped ? null : tx, readings: s.samples.slice(early) },
  ].filter((g) => g.readings.length > 0);
  const last: ChargeEvent[] = [stopped({ at: s.stopMs, transactionId: skipped ? -1 : tx, meterStopWh: s.stopWh })];
  if (s.withBill) {
    last.push(
      deviceBill({
        startAt: s.startMs,
        stopAt: s.stopMs,
        registerStartWh: s.startWh,
        registerStopWh: s.stopWh,
        amountFen: 100,
        transactionId: skipped ? -1 : tx,
        receivedAt: s.stopMs + 1_000,
        billNo: `DB${tx}`,
      }),
    );
  }
  last.push(status({ at: s.plugOutMs, state: 'available' }));
  return { first, samples, last };
}

/** Every sample in a MeterValues call of its own. */
export const oneByOne = (truth: Truth): ChargeEvent[] =>
  truth.sessions.flatMap((s) => {
    const sent = sendSession(s);
    const samples = sent.samples.flatMap((g) =>
      g.readings.map((r) => sampled({ at: r.at, registerWh: r.registerWh, transactionId: g.transactionId })),
    );
    return [...sent.first, ...samples, ...sent.last];
  });

/** Consecutive samples grouped into MeterValues calls of `sizes[i]` samples (cycled). */
export const batched = (truth: Truth, sizes: readonly number[]): ChargeEvent[] =>
  truth.sessions.flatMap((s) => {
    const sent = sendSession(s);
    let n = 0;
    const samples = sent.samples.flatMap((g) => {
      const calls: ChargeEvent[] = [];
      for (let i = 0; i < g.readings.length;) {
        const size = sizes[n++ % sizes.length]!;
        calls.push(sampledBatch({ readings: g.readings.slice(i, i + size), transactionId: g.transactionId }));
        i += size;
      }
      return calls;
    });
    return [...sent.first, ...samples, ...sent.last];
  });
