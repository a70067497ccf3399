import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIERS, type TariffVersion } from '../../../src/core/tariff.js';
import { validateTariffDraft } from '../../../src/core/tariff-draft.js';
import { tierWindows } from '../../../src/core/tou-calendar.js';
import { aTariffDraft, oneSeason } from '../../support/tariffs.js';

type PeriodDraft = { from: string; to: string; tier: string };

const DAY_MS = 86_400_000;
const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * A day schedule that tiles 00:00–24:00: cuts at random minutes, each period running to the next
 * cut, the last one back round to the first (so across midnight unless the first cut is 00:00).
 */
const aDaySchedule: fc.Arbitrary<PeriodDraft[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 1439 }), { minLength: 1, maxLength: 10 })
  .chain((unsorted) => {
    const cuts = [...unsorted].sort((a, b) => a - b);
    const tiers = fc.array(fc.constantFrom(...TIERS), { minLength: cuts.length, maxLength: cuts.length });
    return fc.tuple(fc.constant(cuts), tiers, fc.boolean());
  })
  .map(([cuts, tiers, endAs2400]) => {
    if (cuts.length === 1) return [{ from: '00:00', to: '24:00', tier: tiers[0]! }];
    return cuts.map((cut, i) => {
      const next = cuts[(i + 1) % cuts.length]!;
      const to = next === 0 && endAs2400 ? '24:00' : hhmm(next);
      return { from: hhmm(cut), to, tier: tiers[i]! };
    });
  })
  .chain((periods) => fc.shuffledSubarray(periods, { minLength: periods.length, maxLength: periods.length }));

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/St_Johns', 'UTC'];
const FIRST = Date.parse('2024-01-01T00:00:00Z');
const LAST = Date.parse('2026-12-31T00:00:00Z');

/** A version with 1–3 seasons over the months, up to 3 holidays near `fromMs`, every tier priced. */
const aVersionNear = (fromMs: number): fc.Arbitrary<TariffVersion> =>
  fc
    .record({
      timeZone: fc.constantFrom(...ZONES),
      seasonOfMonth: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }),
      schedules: fc.array(aDaySchedule, { minLength: 3, maxLength: 3 }),
      holidayDays: fc.uniqueArray(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }),
      holidaySchedule: aDaySchedule,
    })
    .map(({ timeZone, seasonOfMonth, schedules, holidayDays, holidaySchedule }) => {
      const seasons = [0, 1, 2]
        .map((s) => ({
          months: seasonOfMonth.flatMap((owner, m) => (owner === s ? [m + 1] : [])),
          periods: schedules[s],
        }))
        .filter((s) => s.months.length > 0);
      const holidays = holidayDays.map((d) => ({
        date: new Date(fromMs + d * DAY_MS).toISOString().slice(0, 10),
        periods: holidaySchedule,
      }));
      const result = validateTariffDraft(aTariffDraft({ timeZone, seasons, holidays }));
      if (!result.ok) throw new Error(`generated an invalid version: ${result.problems.join('; ')}`);
      return { ...result.terms, tariffId: 'T', version: 1, createdAt: 0 };
    });

// Offset changes in 2025 of the zones above: half the sessions start within two days of one.
const TRANSITIONS = [
  '2025-03-30T01:00Z', // Europe/Berlin
  '2025-10-26T01:00Z',
  '2025-03-09T07:00Z', // America/New_York
  '2025-11-02T06:00Z',
  '2025-04-05T15:00Z', // Australia/Lord_Howe, 30 minutes
  '2025-10-04T15:30Z',
  '2025-03-09T05:30Z', // America/St_Johns
  '2025-11-02T04:30Z',
].map((t) => Date.parse(t));

const aStart = fc.oneof(
  fc.integer({ min: FIRST, max: LAST }),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2 * DAY_MS, max: 2 * DAY_MS })).map(([t, d]) => t + d),
);

const aSession = fc
  .record({ fromMs: aStart, durationMs: fc.integer({ min: 1, max: 3 * DAY_MS }) })
  .chain(({ fromMs, durationMs }) =>
    fc.record({ version: aVersionNear(fromMs), fromMs: fc.constant(fromMs), toMs: fc.constant(fromMs + durationMs) }),
  );

/** The tier at an instant, read straight from Intl and the draft's periods: the oracle. */
function tierAt(version: TariffVersion, atMs: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: version.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(atMs);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  const minute = Number(part('hour')) * 60 + Number(part('minute'));
  const periods =
    version.holidays.find((h) => h.date === date)?.periods ??
    version.seasons.find((s) => s.months.includes(Number(part('month'))))!.periods;
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const covering = periods.find((p) => {
    const [from, to] = [minutes(p.from), minutes(p.to)];
    return from < to ? from <= minute && minute < to : minute >= from || minute < to;
  });
  return covering!.tier;
}

describe('tariff schedules (properties)', () => {
  it('when a schedule tiles the day, then the version validates', () => {
    fc.assert(
      fc.property(aDaySchedule, aDaySchedule, (a, b) => {
        const seasons = [
          { months: [1, 2, 3, 4, 5, 6], periods: a },
          { months: [7, 8, 9, 10, 11, 12], periods: b },
        ];
        const result = validateTariffDraft(aTariffDraft({ seasons, holidays: [{ date: '2025-10-01', periods: b }] }));
        expect(result.ok ? [] : result.problems).toEqual([]);
      }),
    );
  });

  it('when one period is removed, then the one problem is a gap naming exactly its times', () => {
    fc.assert(
      fc.property(
        aDaySchedule.filter((p) => p.length > 1),
        fc.nat(),
        (periods, pick) => {
          const removed = periods[pick % periods.length]!;
          const rest = periods.filter((p) => p !== removed);
          const result = validateTariffDraft(aTariffDraft({ seasons: oneSeason(rest) }));
          const to = removed.to === '00:00' ? '24:00' : removed.to;
          expect(result.ok ? [] : result.problems).toEqual([
            `no period covers ${removed.from}–${to} in season months 1–12`,
          ]);
        },
      ),
    );
  });
});

describe('tierWindows (properties)', () => {
  it('when split, then windows are contiguous, non-empty, merged and cover the session exactly', () => {
    fc.assert(
      fc.property(aSession, ({ version, fromMs, toMs }) => {
        const windows = tierWindows(version, fromMs, toMs);
        expect(windows[0]!.fromMs).toBe(fromMs);
        expect(windows.at(-1)!.toMs).toBe(toMs);
        windows.forEach((w, i) => {
          expect(w.toMs).toBeGreaterThan(w.fromMs);
          const next = windows[i + 1];
          if (next === undefined) return;
          expect(next.fromMs).toBe(w.toMs);
          expect(next.tier).not.toBe(w.tier);
        });
        const total = windows.reduce((sum, w) => sum + (w.toMs - w.fromMs), 0);
        expect(total).toBe(toMs - fromMs);
      }),
    );
  });

  it("when any instant of a window is looked up in the zone's wall clock, then its tier is the window's", () => {
    fc.assert(
      fc.property(aSession, ({ version, fromMs, toMs }) => {
        for (const w of tierWindows(version, fromMs, toMs)) {
          for (const t of [w.fromMs, Math.floor((w.fromMs + w.toMs) / 2), w.toMs - 1]) {
            expect(tierAt(version, t), `${version.timeZone} ${new Date(t).toISOString()}`).toBe(w.tier);
          }
        }
      }),
    );
  });
});
