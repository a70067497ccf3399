// Time-of-use tariffs (DESIGN.md §4; domain.md §A3.1, §A3.2, §A3.6). A tariff is a list of
// versions, each with an effective-from instant; the version in force when a session starts
// prices the whole session, so the price quoted is the price billed. Drafts are checked in
// tariff-draft.ts; local time windows come from tou-calendar.ts.
import type { Dec } from './decimal.js';

/** 尖峰, 高峰, 平, 低谷, 深谷 (domain.md §A3.2). */
export const TIERS = ['sharp', 'peak', 'flat', 'valley', 'deep-valley'] as const;
export type Tier = (typeof TIERS)[number];

export const isTier = (value: unknown): value is Tier => TIERS.includes(value as Tier);

/** China keeps one zone without DST; versions elsewhere name their own. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Yuan per kWh, up to 5 decimals: the electricity fee (电费) and the service fee (服务费). */
export interface TierPrice {
  readonly electricityPerKwh: Dec;
  readonly servicePerKwh: Dec;
}

/** Local "HH:MM" to "HH:MM" ("24:00" as an end); an end before the start crosses midnight. */
export interface Period {
  readonly from: string;
  readonly to: string;
  readonly tier: Tier;
}

/** The day schedule of the listed months (1–12); every month is in exactly one season. */
export interface Season {
  readonly months: readonly number[];
  readonly periods: readonly Period[];
}

/** A local date (YYYY-MM-DD) whose schedule replaces its season's. */
export interface Holiday {
  readonly date: string;
  readonly periods: readonly Period[];
}

/** 占位费 (domain.md §A3.6): charged per minute after the free minutes, up to the cap. */
export interface IdleFee {
  readonly freeMinutes: number;
  readonly pricePerMinute: Dec;
  /** Null: no cap. */
  readonly capYuan: Dec | null;
}

export interface TariffVersion {
  readonly tariffId: string;
  /** 1, 2, 3, … per tariff, in order of creation. */
  readonly version: number;
  /** Epoch ms from which sessions starting then are priced by this version. */
  readonly effectiveFrom: number;
  /** IANA zone in which the schedule's local times are read. */
  readonly timeZone: string;
  readonly prices: Readonly<Partial<Record<Tier, TierPrice>>>;
  readonly seasons: readonly Season[];
  readonly holidays: readonly Holiday[];
  readonly idleFee: IdleFee | null;
  readonly createdAt: number;
}

/** What a draft decides; the store adds the tariff id, the version number and createdAt. */
export type TariffTerms = Omit<TariffVersion, 'tariffId' | 'version' | 'createdAt'>;

/**
 * The version in force at an instant: the greatest effectiveFrom ≤ atMs. Of two versions
 * effective from the same instant the later one wins: it is the correction of the earlier.
 */
export function versionInForce<V extends Pick<TariffVersion, 'version' | 'effectiveFrom'>>(
  versions: readonly V[],
  atMs: number,
): V | undefined {
  let best: V | undefined;
  for (const v of versions) {
    if (v.effectiveFrom > atMs) continue;
    const later =
      best === undefined ||
      v.effectiveFrom > best.effectiveFrom ||
      (v.effectiveFrom === best.effectiveFrom && v.version > best.version);
    if (later) best = v;
  }
  return best;
}

/** The day schedule of a local date: its holiday override, else the season of its month. */
export function scheduleOn(
  version: Pick<TariffVersion, 'seasons' | 'holidays'>,
  isoDate: string,
  month: number,
): readonly Period[] {
  const holiday = version.holidays.find((h) => h.date === isoDate);
  if (holiday !== undefined) return holiday.periods;
  const season = version.seasons.find((s) => s.months.includes(month));
  // Validation puts every month in a season; a version that skipped it is a programming error.
  if (season === undefined) throw new Error(`tariff: no season covers month ${month}`);
  return season.periods;
}
