// Tariff drafts with deterministic defaults for the core, storage and API tests: a Beijing-like
// schedule (domain.md §A3.2) with a summer season that has sharp hours, a holiday with a
// deep valley at midday (Zhejiang) and a Shanghai-style idle fee (domain.md §A3.6).

export const EFFECTIVE_FROM = Date.parse('2025-01-01T00:00:00+08:00');

export const YEAR_ROUND_PERIODS = [
  { from: '23:00', to: '07:00', tier: 'valley' },
  { from: '07:00', to: '10:00', tier: 'flat' },
  { from: '10:00', to: '13:00', tier: 'peak' },
  { from: '13:00', to: '17:00', tier: 'flat' },
  { from: '17:00', to: '22:00', tier: 'peak' },
  { from: '22:00', to: '23:00', tier: 'flat' },
];

export const SUMMER_PERIODS = [
  { from: '23:00', to: '07:00', tier: 'valley' },
  { from: '07:00', to: '10:00', tier: 'flat' },
  { from: '10:00', to: '11:00', tier: 'peak' },
  { from: '11:00', to: '13:00', tier: 'sharp' },
  { from: '13:00', to: '16:00', tier: 'flat' },
  { from: '16:00', to: '17:00', tier: 'sharp' },
  { from: '17:00', to: '22:00', tier: 'peak' },
  { from: '22:00', to: '23:00', tier: 'flat' },
];

export const HOLIDAY_PERIODS = [
  { from: '00:00', to: '10:00', tier: 'valley' },
  { from: '10:00', to: '14:00', tier: 'deep-valley' },
  { from: '14:00', to: '24:00', tier: 'flat' },
];

/** A draft as the API receives it (effectiveFrom already in epoch ms); override what a test is about. */
export function aTariffDraft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    effectiveFrom: EFFECTIVE_FROM,
    timeZone: 'Asia/Shanghai',
    prices: {
      sharp: { electricityPerKwh: '1.45320', servicePerKwh: '0.80000' },
      peak: { electricityPerKwh: '1.21100', servicePerKwh: '0.80000' },
      flat: { electricityPerKwh: '0.71230', servicePerKwh: '0.60000' },
      valley: { electricityPerKwh: '0.28410', servicePerKwh: '0.40000' },
      'deep-valley': { electricityPerKwh: '0.14205', servicePerKwh: '0.40000' },
    },
    seasons: [
      { months: [1, 2, 3, 4, 5, 6, 9, 10, 11, 12], periods: YEAR_ROUND_PERIODS },
      { months: [7, 8], periods: SUMMER_PERIODS },
    ],
    holidays: [{ date: '2025-10-01', periods: HOLIDAY_PERIODS }],
    idleFee: { freeMinutes: 30, pricePerMinute: '1.00000', capYuan: '50.00' },
    ...overrides,
  };
}

/** One season for the whole year with the given periods. */
export function oneSeason(periods: readonly { from: string; to: string; tier: string }[]) {
  return [{ months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], periods }];
}
