// Checking a tariff version as an operator drafts it. Every problem is collected, each naming
// the field or the times that are wrong, so that one answer tells the operator all there is to fix.
import {
  DEFAULT_TIME_ZONE,
  isTier,
  TIERS,
  type IdleFee,
  type TariffTerms,
  type Tier,
  type TierPrice,
} from './tariff.js';
import { type Checked, decimalField, isRecord, wholeMinutesField } from './tariff-checks.js';
import { holidaysOf, seasonsOf, type TierUse } from './tariff-schedules.js';
import { canonicalTimeZone } from './zoned-time.js';

/** Decimals of a price per kWh or per minute (domain.md §B2.3: 1e-5 元, the YKC precision). */
export const PRICE_DECIMALS = 5;
/** Decimals of an amount in yuan: fen. */
export const YUAN_DECIMALS = 2;

interface PeriodDraft {
  readonly from: string;
  readonly to: string;
  readonly tier: string;
}

/** A version as the API receives it: untrusted, decimals as text, effectiveFrom in epoch ms. */
export interface TariffDraft {
  readonly effectiveFrom: number;
  /** IANA zone; DEFAULT_TIME_ZONE when absent. */
  readonly timeZone?: string;
  readonly prices: Readonly<Record<string, { readonly electricityPerKwh: string; readonly servicePerKwh: string }>>;
  readonly seasons: readonly { readonly months: readonly number[]; readonly periods: readonly PeriodDraft[] }[];
  readonly holidays?: readonly { readonly date: string; readonly periods: readonly PeriodDraft[] }[];
  readonly idleFee?: {
    readonly freeMinutes: number;
    readonly pricePerMinute: string;
    readonly capYuan?: string | null;
  } | null;
}

export type TariffValidation =
  { readonly ok: true; readonly terms: TariffTerms } | { readonly ok: false; readonly problems: readonly string[] };

function effectiveFromOf(value: unknown): Checked<number> {
  return Number.isSafeInteger(value)
    ? { ok: true, value: value as number }
    : { ok: false, problems: ['effectiveFrom must be an instant'] };
}

function timeZoneOf(value: unknown): Checked<string> {
  if (value === undefined) return { ok: true, value: DEFAULT_TIME_ZONE };
  const zone = typeof value === 'string' ? canonicalTimeZone(value) : undefined;
  return zone === undefined
    ? { ok: false, problems: [`timeZone ${JSON.stringify(value)} is not an IANA time zone such as Asia/Shanghai`] }
    : { ok: true, value: zone };
}

function pricesOf(value: unknown): Checked<Partial<Record<Tier, TierPrice>>> {
  if (!isRecord(value)) return { ok: false, problems: ['prices must be an object with a price per tier'] };
  const problems: string[] = [];
  const prices: Partial<Record<Tier, TierPrice>> = {};
  for (const [tier, price] of Object.entries(value)) {
    if (!isTier(tier)) {
      problems.push(`prices: "${tier}" is not one of ${TIERS.join(', ')}`);
      continue;
    }
    const entry = isRecord(price) ? price : {};
    const electricity = decimalField(`prices.${tier}.electricityPerKwh`, entry['electricityPerKwh'], PRICE_DECIMALS);
    const service = decimalField(`prices.${tier}.servicePerKwh`, entry['servicePerKwh'], PRICE_DECIMALS);
    if (!electricity.ok) problems.push(...electricity.problems);
    if (!service.ok) problems.push(...service.problems);
    if (electricity.ok && service.ok) {
      prices[tier] = { electricityPerKwh: electricity.value, servicePerKwh: service.value };
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: prices };
}

function idleFeeOf(value: unknown): Checked<IdleFee | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (!isRecord(value))
    return { ok: false, problems: ['idleFee must be { freeMinutes, pricePerMinute, capYuan } or null'] };
  const freeMinutes = wholeMinutesField('idleFee.freeMinutes', value['freeMinutes']);
  const pricePerMinute = decimalField('idleFee.pricePerMinute', value['pricePerMinute'], PRICE_DECIMALS);
  const cap = value['capYuan'];
  const capYuan = cap === undefined || cap === null ? null : decimalField('idleFee.capYuan', cap, YUAN_DECIMALS);
  if (freeMinutes.ok && pricePerMinute.ok && (capYuan === null || capYuan.ok)) {
    return {
      ok: true,
      value: {
        freeMinutes: freeMinutes.value,
        pricePerMinute: pricePerMinute.value,
        capYuan: capYuan && capYuan.value,
      },
    };
  }
  const problems = [freeMinutes, pricePerMinute, capYuan].flatMap((c) => (c === null || c.ok ? [] : c.problems));
  return { ok: false, problems };
}

function unpricedTiers(prices: Partial<Record<Tier, TierPrice>>, used: TierUse): string[] {
  return [...used]
    .filter(([tier]) => prices[tier] === undefined)
    .map(([tier, places]) => `tier ${tier} is used ${places.join(', ')} but has no price`);
}

/** The terms of a draft, or every problem with it. */
export function validateTariffDraft(draft: unknown): TariffValidation {
  if (!isRecord(draft)) return { ok: false, problems: ['a tariff version must be an object'] };
  const problems: string[] = [];
  const take = <T>(checked: Checked<T>): T | undefined => {
    if (checked.ok) return checked.value;
    problems.push(...checked.problems);
    return undefined;
  };
  const used: TierUse = new Map();
  const effectiveFrom = take(effectiveFromOf(draft['effectiveFrom']));
  const timeZone = take(timeZoneOf(draft['timeZone']));
  const prices = take(pricesOf(draft['prices']));
  const seasons = take(seasonsOf(draft['seasons'], used));
  const holidays = take(holidaysOf(draft['holidays'] ?? [], used));
  const idleFee = take(idleFeeOf(draft['idleFee']));
  if (prices !== undefined) problems.push(...unpricedTiers(prices, used));
  if (
    problems.length > 0 ||
    effectiveFrom === undefined ||
    timeZone === undefined ||
    prices === undefined ||
    seasons === undefined ||
    holidays === undefined ||
    idleFee === undefined
  ) {
    return { ok: false, problems };
  }
  return { ok: true, terms: { effectiveFrom, timeZone, prices, seasons, holidays, idleFee } };
}
