// A day schedule: periods in local minutes after midnight that must tile 00:00–24:00 exactly.
// A period whose end is before its start crosses midnight: 22:00–06:00 covers 22:00–24:00 and
// 00:00–06:00 of the same local day (tiers repeat every day, so both pieces are that day's).
import type { Period, Tier } from './tariff.js';

export const MINUTES_PER_DAY = 1440;

/** A stretch of one local day, [fromMinute, toMinute). */
export interface DaySegment {
  readonly fromMinute: number;
  readonly toMinute: number;
  readonly tier: Tier;
}

/** Minutes after midnight of "HH:MM"; "24:00" only as an end. Undefined when malformed. */
export function minuteOf(text: unknown, asEnd: boolean): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59) return undefined;
  return minute < MINUTES_PER_DAY || (asEnd && minute === MINUTES_PER_DAY) ? minute : undefined;
}

export function hhmm(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}

/** The one or two pieces of the day a period covers; none when it starts where it ends. */
export function piecesOf(fromMinute: number, toMinute: number): readonly (readonly [number, number])[] {
  if (fromMinute < toMinute) return [[fromMinute, toMinute]];
  if (fromMinute === toMinute) return [];
  return toMinute === 0
    ? [[fromMinute, MINUTES_PER_DAY]]
    : [
        [fromMinute, MINUTES_PER_DAY],
        [0, toMinute],
      ];
}

const segmentCache = new WeakMap<readonly Period[], readonly DaySegment[]>();

function validMinute(text: string, asEnd: boolean): number {
  const minute = minuteOf(text, asEnd);
  // Versions are validated before they are stored; an unreadable time here is a programming error.
  if (minute === undefined) throw new Error(`tariff: period time ${JSON.stringify(text)} is not HH:MM`);
  return minute;
}

/** A validated schedule as sorted segments covering the day; cached per schedule. */
export function segmentsOf(periods: readonly Period[]): readonly DaySegment[] {
  const cached = segmentCache.get(periods);
  if (cached !== undefined) return cached;
  const segments = periods
    .flatMap((p) =>
      piecesOf(validMinute(p.from, false), validMinute(p.to, true)).map(([fromMinute, toMinute]) => ({
        fromMinute,
        toMinute,
        tier: p.tier,
      })),
    )
    .sort((a, b) => a.fromMinute - b.fromMinute);
  segmentCache.set(periods, segments);
  return segments;
}

/** A period already parsed to minutes, with how problems should name it. */
export interface TimedPeriod {
  readonly fromMinute: number;
  readonly toMinute: number;
  readonly tier: string;
}

const label = (p: TimedPeriod) => `${hhmm(p.fromMinute)}–${hhmm(p.toMinute)} (${p.tier})`;

function overlapProblems(periods: readonly TimedPeriod[], where: string): string[] {
  const problems: string[] = [];
  periods.forEach((a, i) => {
    for (const b of periods.slice(i + 1)) {
      const meets = piecesOf(a.fromMinute, a.toMinute).some(([af, at]) =>
        piecesOf(b.fromMinute, b.toMinute).some(([bf, bt]) => af < bt && bf < at),
      );
      if (meets) problems.push(`${label(a)} overlaps ${label(b)} ${where}`);
    }
  });
  return problems;
}

/** Uncovered stretches as [from, to) minutes; one running over midnight comes as from > to. */
function gapsOf(periods: readonly TimedPeriod[]): [number, number][] {
  const covered = new Array<boolean>(MINUTES_PER_DAY).fill(false);
  for (const p of periods) {
    for (const [from, to] of piecesOf(p.fromMinute, p.toMinute)) covered.fill(true, from, to);
  }
  const gaps: [number, number][] = [];
  for (let m = 0; m < MINUTES_PER_DAY; m += 1) {
    if (covered[m]) continue;
    const start = m;
    while (m < MINUTES_PER_DAY && !covered[m]) m += 1;
    gaps.push([start, m]);
  }
  const first = gaps[0];
  const last = gaps.at(-1);
  if (gaps.length > 1 && first !== undefined && last !== undefined && first[0] === 0 && last[1] === MINUTES_PER_DAY) {
    gaps.pop();
    gaps[0] = [last[0], first[1]];
  }
  return gaps;
}

/** Gaps and overlaps, each named by its times, e.g. "no period covers 11:00–12:00 in …". */
export function tilingProblems(periods: readonly TimedPeriod[], where: string): string[] {
  const empty = periods.filter((p) => p.fromMinute === p.toMinute);
  return [
    ...empty.map((p) => `period ${label(p)} ${where} covers no time (a whole day is 00:00–24:00)`),
    ...overlapProblems(periods, where),
    ...gapsOf(periods).map(([from, to]) => `no period covers ${hhmm(from)}–${hhmm(to)} ${where}`),
  ];
}
