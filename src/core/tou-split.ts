// Time-of-use split of a session's energy (DESIGN.md §4, domain.md §B2.2). The session's
// cumulative energy is a line through its trusted samples; at each tier boundary it is read by
// linear interpolation. Where no sample brackets a boundary closely enough (a gap longer than
// maxGapMs, or the stretch before the first or after the last sample) the line runs at uniform
// power: time pro-rata, and the tiers on both sides of that boundary say so.
import { Dec, ZERO } from './decimal.js';
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
 * A point of the cumulative line; `gapBefore` when the stretch ending here had no samples. Its
 * energy is worked out only when a boundary needs it (a session has a few boundaries and
 * hundreds of samples): `fixedWh` for the ends, else from its sample.
 */
interface Knot {
  readonly atMs: number;
  readonly gapBefore: boolean;
  readonly fixedWh?: Dec;
  readonly sample?: EnergySample;
}

interface Line {
  readonly knots: readonly Knot[];
  energyAt(knot: Knot): Dec;
}

function lineOf(input: SplitInput): Line {
  const { startMs, stopMs, energyWh, maxGapMs } = input;
  const whole: Line = {
    knots: [
      { atMs: startMs, fixedWh: ZERO, gapBefore: false },
      { atMs: stopMs, fixedWh: energyWh, gapBefore: true },
    ],
    energyAt: (knot) => knot.fixedWh!,
  };
  const inside = input.samples.filter((s) => s.atMs >= startMs && s.atMs <= stopMs);
  const first = inside[0];
  const last = inside.at(-1);
  if (first === undefined || last === undefined || inside.length < 2) return whole;
  const span = last.energyWh.minus(first.energyWh);
  const headMs = first.atMs - startMs;
  const tailMs = stopMs - last.atMs;
  // The samples' own energy may differ from the bill's (another source won): the part they
  // do not cover goes to the unsampled head and tail by time, and if there is none, or the
  // samples hold more than the bill, the line is scaled to the bill's energy.
  const residual = energyWh.minus(span);
  let headWh = ZERO;
  let scale: Dec | undefined;
  if (residual.gte(0) && headMs + tailMs > 0) headWh = residual.times(headMs).dividedBy(headMs + tailMs);
  else if (span.gt(0)) scale = energyWh.dividedBy(span);
  else return whole;
  const knots: Knot[] = [{ atMs: startMs, fixedWh: ZERO, gapBefore: false }];
  let previousMs = startMs;
  for (const sample of inside) {
    // Samples of one instant (a resent MeterValues, meterStart beside Transaction.Begin) make one
    // knot, the last one's; the gap that led to that instant stays a gap. The start knot stays:
    // the line starts at 0, and a step among readings of the start instant is energy after it.
    const sameInstant = knots.length > 1 && knots.at(-1)!.atMs === sample.atMs ? knots.pop() : undefined;
    knots.push({
      atMs: sample.atMs,
      sample,
      gapBefore:
        (sample === first ? headMs > 0 : sample.atMs - previousMs > maxGapMs) || (sameInstant?.gapBefore ?? false),
    });
    previousMs = sample.atMs;
  }
  if (tailMs > 0) knots.push({ atMs: stopMs, fixedWh: energyWh, gapBefore: true });
  const firstWh = first.energyWh;
  return {
    knots,
    energyAt(knot) {
      if (knot.fixedWh !== undefined) return knot.fixedWh;
      const own = knot.sample!.energyWh;
      const rise = firstWh.isZero() ? own : own.minus(firstWh);
      const scaled = scale === undefined ? rise : rise.times(scale);
      return headWh.isZero() ? scaled : headWh.plus(scaled);
    },
  };
}

/** The line's energy at `atMs`, and whether reading it there needed time pro-rata. */
function readAt(line: Line, atMs: number): { energyWh: Dec; proRata: boolean } {
  const { knots } = line;
  // The first knot after the start at or past atMs.
  let lo = 1;
  let hi = knots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (knots[mid]!.atMs < atMs) lo = mid + 1;
    else hi = mid;
  }
  if (lo === knots.length) return { energyWh: line.energyAt(knots.at(-1)!), proRata: false };
  const a = knots[lo - 1]!;
  const b = knots[lo]!;
  // Only the start has two knots of one instant; reading it gives the start knot's 0.
  if (atMs === a.atMs) return { energyWh: line.energyAt(a), proRata: false };
  if (atMs === b.atMs) return { energyWh: line.energyAt(b), proRata: false };
  const aWh = line.energyAt(a);
  const share = new Dec(atMs - a.atMs).dividedBy(b.atMs - a.atMs);
  return { energyWh: aWh.plus(line.energyAt(b).minus(aWh).times(share)), proRata: b.gapBefore };
}

/** Whole Wh per tier by largest remainder, so that the tiers add up to `totalWh` exactly. */
function apportion(shares: ReadonlyMap<Tier, Dec>, totalWh: Dec): Map<Tier, Dec> {
  const floors = new Map([...shares].map(([tier, wh]) => [tier, wh.floor()] as const));
  let left = totalWh.minus([...floors.values()].reduce((s: Dec, v) => s.plus(v), ZERO)).toNumber();
  const byRemainder = [...shares.keys()].sort(
    (a, b) =>
      shares
        .get(b)!
        .minus(floors.get(b)!)
        .comparedTo(shares.get(a)!.minus(floors.get(a)!)) || 0,
  );
  for (const tier of byRemainder) {
    if (left <= 0) break;
    floors.set(tier, floors.get(tier)!.plus(1));
    left -= 1;
  }
  return floors;
}

/** The session's energy per tier, in TIERS order, for every tier with time in the session. */
export function splitByTier(input: SplitInput): TierEnergy[] {
  if (!input.energyWh.isInteger() || input.energyWh.isNegative()) {
    throw new Error(`splitByTier: energy must be whole, non-negative Wh, got ${input.energyWh.toString()}`);
  }
  const line = lineOf(input);
  // A boundary ends one window and starts the next: read it once.
  const reads = new Map<number, ReturnType<typeof readAt>>();
  const read = (atMs: number) => {
    let found = reads.get(atMs);
    if (found === undefined) reads.set(atMs, (found = readAt(line, atMs)));
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
