// The schedules of a tariff draft: seasons by month and holiday overrides by local date. Each day
// schedule must tile 00:00–24:00; a problem names the times and the schedule it is in.
import { minuteOf, tilingProblems, type TimedPeriod } from './day-schedule.js';
import { isTier, TIERS, type Holiday, type Period, type Season, type Tier } from './tariff.js';
import { type Checked, isRecord, monthCoverageProblems, monthsLabel } from './tariff-checks.js';
import { isIsoDate } from './zoned-time.js';

/** Where each tier is used ("in season months 6–9"), to find tiers used without a price. */
export type TierUse = Map<Tier, string[]>;

function periodsOf(value: unknown, path: string, where: string, used: TierUse): Checked<Period[]> {
  if (!Array.isArray(value)) return { ok: false, problems: [`${path} must be a list of { from, to, tier }`] };
  const problems: string[] = [];
  const periods: Period[] = [];
  const timed: TimedPeriod[] = [];
  for (const [i, p] of (value as unknown[]).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(p)) {
      problems.push(`${at} must be { from, to, tier }`);
      continue;
    }
    const fromMinute = minuteOf(p['from'], false);
    const toMinute = minuteOf(p['to'], true);
    const { from, to, tier } = p;
    if (fromMinute === undefined) problems.push(`${at}.from ${JSON.stringify(from)} is not a time HH:MM (00:00–23:59)`);
    if (toMinute === undefined) problems.push(`${at}.to ${JSON.stringify(to)} is not a time HH:MM (00:00–24:00)`);
    if (!isTier(tier)) problems.push(`${at}.tier ${JSON.stringify(tier)} is not one of ${TIERS.join(', ')}`);
    else used.set(tier, [...new Set([...(used.get(tier) ?? []), where])]);
    if (fromMinute === undefined || toMinute === undefined || !isTier(tier)) continue;
    periods.push({ from: from as string, to: to as string, tier });
    timed.push({ fromMinute, toMinute, tier });
  }
  // Gaps and overlaps only mean something once every period of the day could be read.
  if (problems.length === 0) problems.push(...tilingProblems(timed, where));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: periods };
}

export function seasonsOf(value: unknown, used: TierUse): Checked<Season[]> {
  if (!Array.isArray(value) || value.length === 0) {
    return { ok: false, problems: ['seasons must be a non-empty list of { months, periods }'] };
  }
  const problems: string[] = [];
  const seasons: Season[] = [];
  const monthLists: unknown[][] = [];
  for (const [i, s] of (value as unknown[]).entries()) {
    const at = `seasons[${i}]`;
    if (!isRecord(s) || !Array.isArray(s['months'])) {
      problems.push(`${at} must be { months, periods }`);
      continue;
    }
    const months: unknown[] = s['months'];
    monthLists.push(months);
    const periods = periodsOf(s['periods'], `${at}.periods`, `in season months ${monthsLabel(months)}`, used);
    if (periods.ok) seasons.push({ months: months as number[], periods: periods.value });
    else problems.push(...periods.problems);
  }
  problems.push(...monthCoverageProblems(monthLists));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: seasons };
}

export function holidaysOf(value: unknown, used: TierUse): Checked<Holiday[]> {
  if (!Array.isArray(value)) return { ok: false, problems: ['holidays must be a list of { date, periods }'] };
  const problems: string[] = [];
  const holidays: Holiday[] = [];
  const seen = new Set<string>();
  for (const [i, h] of (value as unknown[]).entries()) {
    const at = `holidays[${i}]`;
    const date = isRecord(h) ? h['date'] : undefined;
    if (!isRecord(h) || typeof date !== 'string' || !isIsoDate(date)) {
      problems.push(`${at}.date ${JSON.stringify(date)} is not a local date YYYY-MM-DD`);
      continue;
    }
    if (seen.has(date)) problems.push(`holiday ${date} is listed more than once`);
    seen.add(date);
    const periods = periodsOf(h['periods'], `${at}.periods`, `on holiday ${date}`, used);
    if (periods.ok) holidays.push({ date, periods: periods.value });
    else problems.push(...periods.problems);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: holidays };
}
