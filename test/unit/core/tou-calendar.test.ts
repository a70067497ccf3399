import { describe, expect, it } from 'vitest';
import type { TariffVersion } from '../../../src/core/tariff.js';
import { validateTariffDraft } from '../../../src/core/tariff-draft.js';
import { tierWindows, type TierWindow } from '../../../src/core/tou-calendar.js';
import { aTariffDraft, oneSeason } from '../../support/tariffs.js';

function aVersion(overrides: Record<string, unknown> = {}): TariffVersion {
  const result = validateTariffDraft(aTariffDraft(overrides));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return { ...result.terms, tariffId: 'T1', version: 1, createdAt: 0 };
}

/** Windows as local "YYYY-MM-DDTHH:MM" pairs in a fixed offset, easy to read against a schedule. */
function readable(windows: readonly TierWindow[], offset: string) {
  const hours = Number(offset.slice(0, 3));
  const local = (ms: number) => new Date(ms + hours * 3_600_000).toISOString().slice(0, 16);
  return windows.map((w) => `${local(w.fromMs)}–${local(w.toMs)} ${w.tier}`);
}

const utc = (text: string) => Date.parse(`${text}Z`);
const shanghai = (text: string) => Date.parse(`${text}+08:00`);

describe('tierWindows in Asia/Shanghai', () => {
  const version = aVersion();

  it('when a session runs overnight, then the valley over midnight is one window', () => {
    const windows = tierWindows(version, shanghai('2025-03-01T21:30'), shanghai('2025-03-02T08:30'));
    expect(readable(windows, '+08')).toEqual([
      '2025-03-01T21:30–2025-03-01T22:00 peak',
      '2025-03-01T22:00–2025-03-01T23:00 flat',
      '2025-03-01T23:00–2025-03-02T07:00 valley',
      '2025-03-02T07:00–2025-03-02T08:30 flat',
    ]);
  });

  it('when a session crosses into July, then the summer season applies from local midnight', () => {
    const windows = tierWindows(version, shanghai('2025-06-30T22:30'), shanghai('2025-07-01T12:00'));
    expect(readable(windows, '+08')).toEqual([
      '2025-06-30T22:30–2025-06-30T23:00 flat',
      '2025-06-30T23:00–2025-07-01T07:00 valley',
      '2025-07-01T07:00–2025-07-01T10:00 flat',
      '2025-07-01T10:00–2025-07-01T11:00 peak',
      '2025-07-01T11:00–2025-07-01T12:00 sharp',
    ]);
  });

  it('when a session reaches a holiday, then its override applies from local, not UTC, midnight', () => {
    const windows = tierWindows(version, shanghai('2025-09-30T20:00'), shanghai('2025-10-01T16:00'));
    expect(readable(windows, '+08')).toEqual([
      '2025-09-30T20:00–2025-09-30T22:00 peak',
      '2025-09-30T22:00–2025-09-30T23:00 flat',
      '2025-09-30T23:00–2025-10-01T10:00 valley',
      '2025-10-01T10:00–2025-10-01T14:00 deep-valley',
      '2025-10-01T14:00–2025-10-01T16:00 flat',
    ]);
    expect(windows[2]?.toMs).toBe(utc('2025-10-01T02:00'));
  });

  it('when a boundary falls on an odd minute, then the window ends on that minute', () => {
    const odd = aVersion({
      seasons: oneSeason([
        { from: '07:37', to: '19:03', tier: 'flat' },
        { from: '19:03', to: '07:37', tier: 'valley' },
      ]),
    });
    const windows = tierWindows(odd, shanghai('2025-05-05T07:00'), shanghai('2025-05-05T08:00'));
    expect(readable(windows, '+08')).toEqual([
      '2025-05-05T07:00–2025-05-05T07:37 valley',
      '2025-05-05T07:37–2025-05-05T08:00 flat',
    ]);
  });

  it('when the interval is empty, then there are no windows; when reversed, then it throws', () => {
    expect(tierWindows(version, 1_000, 1_000)).toEqual([]);
    expect(() => tierWindows(version, 2_000, 1_000)).toThrow(RangeError);
  });
});

describe('tierWindows in Europe/Berlin across DST', () => {
  const berlin = (periods: { from: string; to: string; tier: string }[]) =>
    aVersion({ timeZone: 'Europe/Berlin', seasons: oneSeason(periods), holidays: [] });
  const at0230 = berlin([
    { from: '00:00', to: '02:30', tier: 'valley' },
    { from: '02:30', to: '24:00', tier: 'flat' },
  ]);

  it('when clocks spring forward past a boundary, then the tier changes at the jump', () => {
    // 2025-03-30: 02:00 CET becomes 03:00 CEST at 01:00Z; 02:30 local never happens.
    const windows = tierWindows(at0230, utc('2025-03-30T00:00'), utc('2025-03-30T03:00'));
    expect(windows).toEqual([
      { fromMs: utc('2025-03-30T00:00'), toMs: utc('2025-03-30T01:00'), tier: 'valley' },
      { fromMs: utc('2025-03-30T01:00'), toMs: utc('2025-03-30T03:00'), tier: 'flat' },
    ]);
  });

  it('when clocks fall back over a boundary, then the repeated hour crosses it twice', () => {
    // 2025-10-26: 03:00 CEST becomes 02:00 CET at 01:00Z; 02:00–03:00 local happens twice.
    const windows = tierWindows(at0230, utc('2025-10-26T00:00'), utc('2025-10-26T02:00'));
    expect(windows).toEqual([
      { fromMs: utc('2025-10-26T00:00'), toMs: utc('2025-10-26T00:30'), tier: 'valley' },
      { fromMs: utc('2025-10-26T00:30'), toMs: utc('2025-10-26T01:00'), tier: 'flat' },
      { fromMs: utc('2025-10-26T01:00'), toMs: utc('2025-10-26T01:30'), tier: 'valley' },
      { fromMs: utc('2025-10-26T01:30'), toMs: utc('2025-10-26T02:00'), tier: 'flat' },
    ]);
  });

  it('when a whole local day is split, then it lasts 23 hours in spring and 25 in autumn', () => {
    const version = berlin([
      { from: '22:00', to: '06:00', tier: 'valley' },
      { from: '06:00', to: '22:00', tier: 'flat' },
    ]);
    const hoursOf = (windows: readonly TierWindow[]) =>
      windows.map((w) => (w.toMs - w.fromMs) / 3_600_000).reduce((a, b) => a + b, 0);
    const spring = tierWindows(version, utc('2025-03-29T23:00'), utc('2025-03-30T22:00'));
    expect(hoursOf(spring)).toBe(23);
    // Local 06:00 CEST is 04:00Z, local 22:00 CEST is 20:00Z.
    expect(spring.map((w) => w.tier)).toEqual(['valley', 'flat', 'valley']);
    expect(spring[1]).toEqual({ fromMs: utc('2025-03-30T04:00'), toMs: utc('2025-03-30T20:00'), tier: 'flat' });
    const autumn = tierWindows(version, utc('2025-10-25T22:00'), utc('2025-10-26T23:00'));
    expect(hoursOf(autumn)).toBe(25);
    expect(autumn[1]).toEqual({ fromMs: utc('2025-10-26T05:00'), toMs: utc('2025-10-26T21:00'), tier: 'flat' });
  });
});
