// Rating: a session's tier energies and idle time priced with one tariff version (DESIGN.md §4).
// One line per tier × {electricity, service} and one for the idle fee; each line is rounded
// half-up to fen on its own and the total is the sum of the rounded lines.
import { Dec, ZERO, minOf, sumOf } from './decimal.js';
import { fenPerWh, roundToFen, yuanToFen } from './money.js';
import type { TariffVersion, Tier, TierPrice } from './tariff.js';
import type { SplitMethod, TierEnergy } from './tou-split.js';

export type LineKind = 'electricity' | 'service' | 'idle';

export interface BillLine {
  readonly kind: LineKind;
  /** null on the idle line. */
  readonly tier: Tier | null;
  /** Wh on an energy line, minutes charged on the idle line. */
  readonly quantity: Dec;
  /** yuan per kWh, or per minute on the idle line. */
  readonly unitPrice: Dec;
  /** Whole fen. */
  readonly amountFen: Dec;
  readonly method: SplitMethod | null;
}

export interface Rating {
  readonly lines: readonly BillLine[];
  readonly totalFen: Dec;
}

export type RatingOutcome =
  | { readonly ok: true; readonly rating: Rating }
  /** The schedule put energy in a tier the version has no price for: never billed as 0. */
  | { readonly ok: false; readonly reason: 'tier-without-price'; readonly tier: Tier };

/** The 占位费 worked out before its cap, for the bill line and for code 6 (rules-duration.ts). */
export interface IdleCharge {
  /** Whole minutes the car stayed plugged in after charging. */
  readonly idleMinutes: number;
  /** Whole minutes past the free time. */
  readonly chargedMinutes: number;
  /** yuan per minute. */
  readonly pricePerMinute: Dec;
  /** Price × charged minutes, exact, before the cap. */
  readonly uncappedFen: Dec;
  /** Null: no cap. */
  readonly capFen: Dec | null;
}

/** The idle charge of `idleMinutes` of occupancy; undefined when the version has no idle fee or nothing is charged. */
export function idleCharge(version: TariffVersion, idleMinutes: number): IdleCharge | undefined {
  const fee = version.idleFee;
  if (fee === null) return undefined;
  // Whole minutes past the free time; a started minute is not charged.
  const whole = Math.floor(idleMinutes);
  const charged = Math.max(0, whole - fee.freeMinutes);
  if (charged === 0) return undefined;
  return {
    idleMinutes: whole,
    chargedMinutes: charged,
    pricePerMinute: fee.pricePerMinute,
    uncappedFen: yuanToFen(fee.pricePerMinute.times(charged)),
    capFen: fee.capYuan === null ? null : yuanToFen(fee.capYuan),
  };
}

function idleLine(version: TariffVersion, idleMinutes: number): BillLine | undefined {
  const charge = idleCharge(version, idleMinutes);
  if (charge === undefined) return undefined;
  const { uncappedFen, capFen } = charge;
  const amount = capFen === null ? uncappedFen : minOf(uncappedFen, capFen);
  return {
    kind: 'idle',
    tier: null,
    quantity: new Dec(charge.chargedMinutes),
    unitPrice: charge.pricePerMinute,
    amountFen: roundToFen(amount),
    method: null,
  };
}

// A tier's prices in fen per Wh, worked out once per tariff version (versions never change).
const fenPrices = new WeakMap<TierPrice, readonly (readonly [LineKind, Dec, Dec])[]>();

function linePrices(price: TierPrice) {
  let known = fenPrices.get(price);
  if (known === undefined) {
    known = [
      ['electricity', price.electricityPerKwh, fenPerWh(price.electricityPerKwh)],
      ['service', price.servicePerKwh, fenPerWh(price.servicePerKwh)],
    ];
    fenPrices.set(price, known);
  }
  return known;
}

/** Prices `tiers` (from splitByTier) and `idleMinutes` of occupancy past charging. */
export function rateSession(version: TariffVersion, tiers: readonly TierEnergy[], idleMinutes = 0): RatingOutcome {
  const lines: BillLine[] = [];
  for (const { tier, energyWh, method } of tiers) {
    const price = version.prices[tier];
    if (price === undefined) return { ok: false, reason: 'tier-without-price', tier };
    for (const [kind, unitPrice, fen] of linePrices(price)) {
      const amountFen = roundToFen(energyWh.times(fen));
      lines.push({ kind, tier, quantity: energyWh, unitPrice, amountFen, method });
    }
  }
  const idle = idleLine(version, idleMinutes);
  if (idle !== undefined) lines.push(idle);
  return { ok: true, rating: { lines, totalFen: lines.length ? sumOf(lines.map((l) => l.amountFen)) : ZERO } };
}
