// Time-of-use split of a session's energy (DESIGN.md §4, domain.md §B2.2). The session's
// cumulative energy is a line through its trusted samples; at each tier boundary it is read by
// linear interpolation. Where no sample brackets a boundary closely enough (a gap longer than
// maxGapMs, or the stretch before the first or after the last sample) the line runs at uniform
// power: time pro-rata, and the tiers on both sides of that boundary say so.
import { ZERO, sumOf, type Dec } from './decimal.js';
import { TIERS, type Tier } from './tariff.js';
import type { TierWindow } from './tou-calendar.js';

export type SplitMethod = 'interpolated' | 'time-pro-rata';

export interface TierEnergy {
  readonly tier: Tier;
  /** Whole Wh; the tiers of a session add up to its energy exactly. */
  readonly energyWh: Dec;
  readonly method: SplitMethod;
}

/** Cumulative energy of the session's trusted samples, ascending in time. */
export interface EnergySample {
  readonly atMs: number;
  readonly energyWh: Dec;
}

export interface SplitInput {
  readonly startMs: number;
  readonly stopMs: number;
  /** The session's energy in whole Wh, from whichever source the bill uses. */
  readonly energyWh: Dec;
  readonly samples: readonly EnergySample[];
  /** Tier windows covering [startMs, stopMs). */
  readonly windows: readonly TierWindow[];
  readonly maxGapMs: number;
}

/**
 * The session's cumulative line: 0 at the start, the samples in [start, stop] (samples of one
 * instant, such as a resent MeterValues or meterStart beside Transaction.Begin, read as the last
 * of them), the bill's energy at the stop. It is read at a few boundaries and has hundreds of
 * samples, so a reading finds its neighbours by binary search and works out only their energy.
 */
interface Line {
  /** The energy at `atMs` and whether reading it there needed time pro-rata. */
  read(atMs: number): { energyWh: Dec; proRata: boolean };
}

/** The first index in [lo, hi) whose sample is at or after atMs; hi when none is. */
function firstAtOrAfter(samples: readonly EnergySample[], atMs: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid]!.atMs < atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A straight line from (aMs, aWh) to (bMs, bWh), read at atMs strictly between them. */
function between(aMs: number, aWh: Dec, bMs: number, bWh: Dec, atMs: number): Dec {
  return bWh
    .minus(aWh)
    .times(atMs - aMs)
    .dividedBy(bMs - aMs)
    .plus(aWh);
}

function lineOf(input: SplitInput): Line {
  const { startMs, stopMs, energyWh, maxGapMs, samples } = input;
  const uniform: Line = {
    read: (atMs) => ({
      energyWh: atMs <= startMs ? ZERO : atMs >= stopMs ? energyWh : between(startMs, ZERO, stopMs, energyWh, atMs),
      proRata: atMs > startMs && atMs < stopMs,
    }),
  };
  const lo = firstAtOrAfter(samples, startMs, 0, samples.length);
  const hi = firstAtOrAfter(samples, stopMs + 1, lo, samples.length); // one past the last inside
  if (hi - lo < 2) return uniform;
  const first = samples[lo]!;
  const last = samples[hi - 1]!;
  const firstWh = first.energyWh;
  const span = last.energyWh.minus(firstWh);
  const headMs = first.atMs - startMs;
  const tailMs = stopMs - last.atMs;
  // The samples' own energy may differ from the bill's (another source won): the part they
  // do not cover goes to the unsampled head and tail by time, and if there is none, or the
  // samples hold more than the bill, the line is scaled to the bill's energy.
  const residual = energyWh.minus(span);
  let headWh = ZERO;
  let scale: Dec | undefined;
  if (residual.isZero() && span.gt(0)) {
    // The samples hold exactly the bill's energy (the usual case): the line is theirs as it is.
  } else if (residual.gte(0) && headMs + tailMs > 0) headWh = residual.times(headMs).dividedBy(headMs + tailMs);
  else if (span.gt(0)) scale = energyWh.dividedBy(span);
  else return uniform;

  /** The line's energy at sample i: the last sample of its instant. */
  const energyAt = (i: number): Dec => {
    while (i + 1 < hi && samples[i + 1]!.atMs === samples[i]!.atMs) i++;
    const own = samples[i]!.energyWh;
    const rise = firstWh.isZero() ? own : own.minus(firstWh);
    const scaled = scale === undefined ? rise : rise.times(scale);
    return headWh.isZero() ? scaled : headWh.plus(scaled);
  };
  return {
    read(atMs) {
      // At the start the line reads 0, even when samples of that instant rise above it.
      if (atMs <= startMs) return { energyWh: ZERO, proRata: false };
      if (atMs >= stopMs) return { energyWh, proRata: false };
      const j = firstAtOrAfter(samples, atMs, lo, hi);
      if (j === hi) {
        // Past the last sample, in the unsampled tail.
        return { energyWh: between(last.atMs, energyAt(hi - 1), stopMs, energyWh, atMs), proRata: true };
      }
      const b = samples[j]!;
      if (b.atMs === atMs) return { energyWh: energyAt(j), proRata: false };
      if (j === lo) {
        // Before the first sample, in the unsampled head.
        return { energyWh: between(startMs, ZERO, b.atMs, energyAt(j), atMs), proRata: true };
      }
      const a = samples[j - 1]!;
      return {
        energyWh: between(a.atMs, energyAt(j - 1), b.atMs, energyAt(j), atMs),
        proRata: b.atMs - a.atMs > maxGapMs,
      };
    },
  };
}

/** Whole Wh per tier by largest remainder, so that the tiers add up to `totalWh` exactly. */
function apportion(shares: ReadonlyMap<Tier, Dec>, totalWh: Dec): Map<Tier, Dec> {
  const parts = [...shares].map(([tier, wh]) => {
    const floor = wh.floor();
    return { tier, floor, remainder: wh.minus(floor) };
  });
  let left = totalWh.minus(sumOf(parts.map((p) => p.floor))).toNumber();
  parts.sort((a, b) => b.remainder.comparedTo(a.remainder) || 0);
  const whole = new Map<Tier, Dec>();
  for (const { tier, floor } of parts) {
    whole.set(tier, left > 0 ? floor.plus(1) : floor);
    left -= 1;
  }
  return whole;
}

/** The session's energy per tier, in TIERS order, for every tier with time in the session. */
export function splitByTier(input: SplitInput): TierEnergy[] {
  if (!input.energyWh.isInteger() || input.energyWh.isNegative()) {
    throw new Error(`splitByTier: energy must be whole, non-negative Wh, got ${input.energyWh.toString()}`);
  }
  const line = lineOf(input);
  // A boundary ends one window and starts the next: read it once.
  const reads = new Map<number, ReturnType<Line['read']>>();
  const read = (atMs: number) => {
    let found = reads.get(atMs);
    if (found === undefined) reads.set(atMs, (found = line.read(atMs)));
    return found;
  };
  const shares = new Map<Tier, Dec>();
  const proRata = new Set<Tier>();
  // A session of no length has no line to read: all its energy lies in the window of its start.
  const instant = input.stopMs <= input.startMs;
  for (const window of input.windows) {
    const fromMs = Math.max(window.fromMs, input.startMs);
    const toMs = Math.min(window.toMs, input.stopMs);
    if (instant ? window.fromMs > input.startMs || window.toMs <= input.startMs : toMs <= fromMs) continue;
    const from = read(fromMs);
    const to = read(toMs);
    if (from.proRata || to.proRata) proRata.add(window.tier);
    const share = instant ? input.energyWh : to.energyWh.minus(from.energyWh);
    shares.set(window.tier, (shares.get(window.tier) ?? ZERO).plus(share));
  }
  const whole = apportion(shares, input.energyWh);
  return TIERS.filter((tier) => whole.has(tier)).map((tier) => ({
    tier,
    energyWh: whole.get(tier)!,
    method: proRata.has(tier) ? 'time-pro-rata' : 'interpolated',
  }));
}
