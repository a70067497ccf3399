// The time-of-use calendar (分时, domain.md §A3.2, §B2.1): which tier applies when, as instants.
// Schedules are local wall-clock times in the version's zone; where the zone changes its offset
// (DST) the wall clock jumps, so each stretch of one offset is mapped on its own: a skipped local
// hour has no instants, a repeated one is priced twice by the same schedule.
import { segmentsOf } from './day-schedule.js';
import { scheduleOn, type Tier, type TariffVersion } from './tariff.js';
import { DAY_MS, localDateOf, MINUTE_MS, offsetSpans } from './zoned-time.js';

/** The tier in force during [fromMs, toMs). */
export interface TierWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly tier: Tier;
}

type Schedules = Pick<TariffVersion, 'seasons' | 'holidays'>;

/** Windows of one local day's schedule that fall in the wall-clock stretch [fromWall, toWall). */
function dayWindows(version: Schedules, dayStartWall: number, fromWall: number, toWall: number): TierWindow[] {
  const { isoDate, month } = localDateOf(dayStartWall);
  const windows: TierWindow[] = [];
  for (const segment of segmentsOf(scheduleOn(version, isoDate, month))) {
    const from = Math.max(fromWall, dayStartWall + segment.fromMinute * MINUTE_MS);
    const to = Math.min(toWall, dayStartWall + segment.toMinute * MINUTE_MS);
    if (from < to) windows.push({ fromMs: from, toMs: to, tier: segment.tier });
  }
  return windows;
}

/** Appends a window, merging it into the last one when they touch and share a tier. */
function append(windows: TierWindow[], next: TierWindow): void {
  const last = windows.at(-1);
  if (last !== undefined && last.toMs === next.fromMs && last.tier === next.tier) {
    windows[windows.length - 1] = { ...last, toMs: next.toMs };
  } else {
    windows.push(next);
  }
}

/**
 * Contiguous windows covering [fromMs, toMs) exactly, in order, none empty, neighbours of the
 * same tier merged. Each local date uses its holiday override or the season of its month.
 */
export function tierWindows(
  version: Pick<TariffVersion, 'timeZone' | 'seasons' | 'holidays'>,
  fromMs: number,
  toMs: number,
): TierWindow[] {
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs > toMs) {
    throw new RangeError(`tierWindows: [${fromMs}, ${toMs}) is not an interval of epoch ms`);
  }
  const windows: TierWindow[] = [];
  for (const span of offsetSpans(version.timeZone, fromMs, toMs)) {
    if (span.fromMs === span.toMs) continue;
    // Within one offset, instant = wall − offset: walk the local days the span's wall times cover.
    const fromWall = span.fromMs + span.offsetMs;
    const toWall = span.toMs + span.offsetMs;
    for (let day = Math.floor(fromWall / DAY_MS) * DAY_MS; day < toWall; day += DAY_MS) {
      for (const w of dayWindows(version, day, fromWall, toWall)) {
        append(windows, { fromMs: w.fromMs - span.offsetMs, toMs: w.toMs - span.offsetMs, tier: w.tier });
      }
    }
  }
  return windows;
}
