import { describe, expect, it } from 'vitest';
import { Dec } from '../../../src/core/decimal.js';
import { versionInForce } from '../../../src/core/tariff.js';
import { validateTariffDraft } from '../../../src/core/tariff-draft.js';
import { aTariffDraft, EFFECTIVE_FROM, oneSeason, YEAR_ROUND_PERIODS } from '../../support/tariffs.js';

function problemsOf(draft: unknown): readonly string[] {
  const result = validateTariffDraft(draft);
  if (result.ok) throw new Error('expected the draft to be refused');
  return result.problems;
}

const months = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('validateTariffDraft', () => {
  it('when the draft is valid, then its terms carry decimal prices, the schedules and the idle fee', () => {
    const result = validateTariffDraft(aTariffDraft());
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { terms } = result;
    expect(terms.effectiveFrom).toBe(EFFECTIVE_FROM);
    expect(terms.timeZone).toBe('Asia/Shanghai');
    expect(terms.prices.peak?.electricityPerKwh.eq(new Dec('1.211'))).toBe(true);
    expect(terms.prices['deep-valley']?.electricityPerKwh.toFixed(5)).toBe('0.14205');
    expect(terms.seasons.map((s) => s.months)).toEqual([
      [1, 2, 3, 4, 5, 6, 9, 10, 11, 12],
      [7, 8],
    ]);
    expect(terms.seasons[0]?.periods[0]).toEqual({ from: '23:00', to: '07:00', tier: 'valley' });
    expect(terms.holidays.map((h) => h.date)).toEqual(['2025-10-01']);
    expect(terms.idleFee?.freeMinutes).toBe(30);
    expect(terms.idleFee?.pricePerMinute.eq(1)).toBe(true);
    expect(terms.idleFee?.capYuan?.toFixed(2)).toBe('50.00');
  });

  it('when the zone, holidays and idle fee are left out, then Asia/Shanghai, none and none', () => {
    const { timeZone: _z, holidays: _h, idleFee: _i, ...draft } = aTariffDraft();
    const result = validateTariffDraft(draft);
    expect(result).toMatchObject({ ok: true, terms: { timeZone: 'Asia/Shanghai', holidays: [], idleFee: null } });
  });

  it('when a schedule leaves an hour uncovered, then the gap is named with its times and season', () => {
    const summer = YEAR_ROUND_PERIODS.map((p) => (p.from === '10:00' ? { ...p, to: '11:00' } : p));
    const draft = aTariffDraft({
      seasons: [
        { months: [...months(1, 5), ...months(10, 12)], periods: YEAR_ROUND_PERIODS },
        { months: months(6, 9), periods: [...summer, { from: '12:00', to: '13:00', tier: 'peak' }] },
      ],
    });
    expect(problemsOf(draft)).toEqual(['no period covers 11:00–12:00 in season months 6–9']);
  });

  it('when two periods overlap, then both are named with their tiers', () => {
    const draft = aTariffDraft({
      seasons: oneSeason([
        { from: '00:00', to: '10:00', tier: 'valley' },
        { from: '10:00', to: '12:00', tier: 'peak' },
        { from: '11:30', to: '13:00', tier: 'flat' },
        { from: '13:00', to: '24:00', tier: 'flat' },
      ]),
    });
    expect(problemsOf(draft)).toEqual(['10:00–12:00 (peak) overlaps 11:30–13:00 (flat) in season months 1–12']);
  });

  it('when a period crosses midnight, then it covers both ends of the day', () => {
    const draft = aTariffDraft({
      seasons: oneSeason([
        { from: '22:00', to: '06:00', tier: 'valley' },
        { from: '06:00', to: '22:00', tier: 'flat' },
      ]),
    });
    expect(validateTariffDraft(draft).ok).toBe(true);
  });

  it('when the uncovered stretch runs over midnight, then it is named as one gap', () => {
    const draft = aTariffDraft({ seasons: oneSeason([{ from: '01:00', to: '23:30', tier: 'flat' }]) });
    expect(problemsOf(draft)).toEqual(['no period covers 23:30–01:00 in season months 1–12']);
  });

  it('when a crossing period overlaps the morning, then the overlap is found past midnight', () => {
    const draft = aTariffDraft({
      seasons: oneSeason([
        { from: '22:00', to: '06:30', tier: 'valley' },
        { from: '06:00', to: '22:00', tier: 'flat' },
      ]),
    });
    expect(problemsOf(draft)).toEqual(['22:00–06:30 (valley) overlaps 06:00–22:00 (flat) in season months 1–12']);
  });

  it('when boundaries fall on any minute, then they are accepted', () => {
    const draft = aTariffDraft({
      seasons: oneSeason([
        { from: '00:00', to: '07:37', tier: 'valley' },
        { from: '07:37', to: '23:59', tier: 'flat' },
        { from: '23:59', to: '24:00', tier: 'peak' },
      ]),
    });
    expect(validateTariffDraft(draft).ok).toBe(true);
  });

  it('when times are not HH:MM, then each is named by its field', () => {
    const draft = aTariffDraft({
      seasons: oneSeason([
        { from: '7:00', to: '12:60', tier: 'flat' },
        { from: '24:00', to: '24:30', tier: 'flat' },
        { from: '00:00', to: '00:00', tier: 'flat' },
      ]),
    });
    expect(problemsOf(draft)).toEqual([
      'seasons[0].periods[0].from "7:00" is not a time HH:MM (00:00–23:59)',
      'seasons[0].periods[0].to "12:60" is not a time HH:MM (00:00–24:00)',
      'seasons[0].periods[1].from "24:00" is not a time HH:MM (00:00–23:59)',
      'seasons[0].periods[1].to "24:30" is not a time HH:MM (00:00–24:00)',
    ]);
  });

  it('when a period starts where it ends, then it is refused as covering no time', () => {
    const draft = aTariffDraft({
      seasons: oneSeason([
        { from: '00:00', to: '24:00', tier: 'flat' },
        { from: '08:00', to: '08:00', tier: 'peak' },
      ]),
    });
    expect(problemsOf(draft)).toEqual([
      'period 08:00–08:00 (peak) in season months 1–12 covers no time (a whole day is 00:00–24:00)',
    ]);
  });

  it('when prices have more than 5 decimals, are negative, are numbers or are huge, then each is named', () => {
    const draft = aTariffDraft({
      prices: {
        ...(aTariffDraft()['prices'] as object),
        peak: { electricityPerKwh: '1.211001', servicePerKwh: '-0.80000' },
        flat: { electricityPerKwh: 0.7123, servicePerKwh: '123456.00000' },
      },
    });
    expect(problemsOf(draft)).toEqual([
      'prices.peak.electricityPerKwh "1.211001" has more than 5 decimals',
      'prices.peak.servicePerKwh "-0.80000" must not be negative',
      'prices.flat.electricityPerKwh must be a decimal string such as "0.85000"',
      'prices.flat.servicePerKwh "123456.00000" is too large',
    ]);
  });

  it('when a tier is used without a price, then the tier and where it is used are named', () => {
    const { sharp: _unpriced, ...prices } = aTariffDraft()['prices'] as Record<string, unknown>;
    expect(problemsOf(aTariffDraft({ prices }))).toEqual(['tier sharp is used in season months 7–8 but has no price']);
  });

  it('when prices name an unknown tier, then it is refused', () => {
    const prices = {
      ...(aTariffDraft()['prices'] as object),
      superpeak: { electricityPerKwh: '2', servicePerKwh: '1' },
    };
    expect(problemsOf(aTariffDraft({ prices }))).toEqual([
      'prices: "superpeak" is not one of sharp, peak, flat, valley, deep-valley',
    ]);
  });

  it('when months miss one, repeat one or leave 1–12, then each is named', () => {
    const draft = aTariffDraft({
      seasons: [
        { months: [1, 2, 3, 4, 5, 6, 7, 13], periods: YEAR_ROUND_PERIODS },
        { months: [7, 8, 9, 10], periods: YEAR_ROUND_PERIODS },
      ],
    });
    expect(problemsOf(draft)).toEqual([
      'seasons[0].months: 13 is not a month (1–12)',
      'month 7 is in season months 1–7, 13 and in season months 7–10',
      'months 11–12 are in no season',
    ]);
  });

  it('when the time zone is unknown, then it is refused; when only its case is off, then it is canonical', () => {
    expect(problemsOf(aTariffDraft({ timeZone: 'Mars/Olympus_Mons' }))).toEqual([
      'timeZone "Mars/Olympus_Mons" is not an IANA time zone such as Asia/Shanghai',
    ]);
    expect(validateTariffDraft(aTariffDraft({ timeZone: 'europe/berlin' }))).toMatchObject({
      ok: true,
      terms: { timeZone: 'Europe/Berlin' },
    });
  });

  it('when a holiday date repeats or is not a date, then both are named', () => {
    const holiday = (date: string) => ({ date, periods: oneSeason(YEAR_ROUND_PERIODS)[0]!.periods });
    const draft = aTariffDraft({ holidays: [holiday('2025-10-01'), holiday('2025-02-30'), holiday('2025-10-01')] });
    expect(problemsOf(draft)).toEqual([
      'holidays[1].date "2025-02-30" is not a local date YYYY-MM-DD',
      'holiday 2025-10-01 is listed more than once',
    ]);
  });

  it('when a holiday schedule has a gap, then the holiday is named', () => {
    const draft = aTariffDraft({
      holidays: [{ date: '2025-10-01', periods: [{ from: '00:00', to: '20:00', tier: 'flat' }] }],
    });
    expect(problemsOf(draft)).toEqual(['no period covers 20:00–24:00 on holiday 2025-10-01']);
  });

  it('when the idle fee is malformed, then each field is named', () => {
    const draft = aTariffDraft({ idleFee: { freeMinutes: -1, pricePerMinute: '1.000001', capYuan: '50.001' } });
    expect(problemsOf(draft)).toEqual([
      'idleFee.freeMinutes must be a whole number of minutes ≥ 0',
      'idleFee.pricePerMinute "1.000001" has more than 5 decimals',
      'idleFee.capYuan "50.001" has more than 2 decimals',
    ]);
  });

  it('when several things are wrong, then every problem comes back at once', () => {
    const draft = aTariffDraft({ effectiveFrom: 'soon', timeZone: 'Nowhere', seasons: [] });
    expect(problemsOf(draft)).toEqual([
      'effectiveFrom must be an instant',
      'timeZone "Nowhere" is not an IANA time zone such as Asia/Shanghai',
      'seasons must be a non-empty list of { months, periods }',
    ]);
  });

  it('when the draft is not an object, then it is refused', () => {
    expect(problemsOf(null)).toEqual(['a tariff version must be an object']);
  });
});

describe('versionInForce', () => {
  const v = (version: number, effectiveFrom: number) => ({ version, effectiveFrom });
  const versions = [v(1, 1_000), v(2, 5_000), v(3, 3_000)];

  it('when asked at an instant, then the version with the latest effectiveFrom not after it', () => {
    expect(versionInForce(versions, 4_999)?.version).toBe(3);
    expect(versionInForce(versions, 5_000)?.version).toBe(2);
    expect(versionInForce(versions, 1_000)?.version).toBe(1);
  });

  it('when asked before the first version, then none', () => {
    expect(versionInForce(versions, 999)).toBeUndefined();
    expect(versionInForce([], 10_000)).toBeUndefined();
  });

  it('when two versions take effect at the same instant, then the later version wins', () => {
    expect(versionInForce([v(1, 1_000), v(2, 1_000)], 2_000)?.version).toBe(2);
    expect(versionInForce([v(2, 1_000), v(1, 1_000)], 2_000)?.version).toBe(2);
  });
});
