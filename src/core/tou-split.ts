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

/** A point of the cumulative line; `gapBefore` when the stretch ending here had no samples. */
interface Knot {
  readonly atMs: number;
  readonly energyWh: Dec;
  readonly gapBefore: boolean;
}

function knotsOf(input: SplitInput): Knot[] {
  const { startMs, stopMs, energyWh, maxGapMs } = input;
  const whole: Knot[] = [
    { atMs: startMs, energyWh: ZERO, gapBefore: false },
    { atMs: stopMs, energyWh, gapBefore: true },
  ];
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
  let scale = new Dec(1);
  if (residual.gte(0) && headMs + tailMs > 0) headWh = residual.times(headMs).dividedBy(headMs + tailMs);
  else if (span.gt(0)) scale = energyWh.dividedBy(span);
  else return whole;
  const knots: Knot[] = [{ atMs: startMs, energyWh: ZERO, gapBefore: false }];
  let previousMs = startMs;
  for (const sample of inside) {
    // Samples of one instant (a resent MeterValues, meterStart beside Transaction.Begin) make one
    // knot, the last one's; the gap that led to that instant stays a gap. The start knot stays:
    // the line starts at 0, and a step among readings of the start instant is energy after it.
    const sameInstant = knots.length > 1 && knots.at(-1)!.atMs === sample.atMs ? knots.pop() : undefined;
    knots.push({
      atMs: sample.atMs,
      energyWh: headWh.plus(sample.energyWh.minus(first.energyWh).times(scale)),
      gapBefore:
        (sample === first ? headMs > 0 : sample.atMs - previousMs > maxGapMs) || (sameInstant?.gapBefore ?? false),
    });
    previousMs = sample.atMs;
  }
  if (tailMs > 0) knots.push({ atMs: stopMs, energyWh, gapBefore: true });
  return knots;
}

/** The line's energy at `atMs`, and whether reading it there needed time pro-rata. */
function readAt(knots: readonly Knot[], atMs: number): { energyWh: Dec; proRata: boolean } {
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1]!;
    const b = knots[i]!;
    if (atMs > b.atMs) continue;
    // Only the start has two knots of one instant; reading it gives the start knot's 0.
    if (atMs === a.atMs) return { energyWh: a.energyWh, proRata: false };
    if (atMs === b.atMs) return { energyWh: b.energyWh, proRata: false };
    const share = new Dec(atMs - a.atMs).dividedBy(b.atMs - a.atMs);
    return { energyWh: a.energyWh.plus(b.energyWh.minus(a.energyWh).times(share)), proRata: b.gapBefore };
  }
  return { energyWh: knots.at(-1)!.energyWh, proRata: false };
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
  const knots = knotsOf(input);
  const shares = new Map<Tier, Dec>();
  const proRata = new Set<Tier>();
  // A session of no length has no line to read: all its energy lies in the window of its start.
  const instant = input.stopMs <= input.startMs;
  for (const window of input.windows) {
    const fromMs = Math.max(window.fromMs, input.startMs);
    const toMs = Math.min(window.toMs, input.stopMs);
    if (instant ? window.fromMs > input.startMs || window.toMs <= input.startMs : toMs <= fromMs) continue;
    const from = readAt(knots, fromMs);
    const to = readAt(knots, toMs);
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
