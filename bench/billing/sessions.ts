// Synthetic sessions for the billing benchmark: 200 register samples each, from 05:00 to 13:00
// Shanghai time, so that every session crosses the 06:00, 08:00 and 12:00 tier boundaries of
// the benchmark tariff. Registers rise at a steady 20 kW with a little jitter: no session is abnormal.
import type { ChargeEvent } from '../../src/core/charge-events.js';
import { Dec } from '../../src/core/decimal.js';
import type { TariffVersion } from '../../src/core/tariff.js';
import { validateTariffDraft } from '../../src/core/tariff-draft.js';

export const SAMPLES_PER_SESSION = 200;
const HOUR = 3_600_000;
const DAY_START = Date.parse('2026-03-02T05:00:00+08:00');

export function benchTariff(): TariffVersion {
  const checked = validateTariffDraft({
    effectiveFrom: 0,
    prices: {
      peak: { electricityPerKwh: '1.02350', servicePerKwh: '0.80000' },
      flat: { electricityPerKwh: '0.68120', servicePerKwh: '0.60000' },
      valley: { electricityPerKwh: '0.31400', servicePerKwh: '0.40000' },
    },
    seasons: [
      {
        months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        periods: [
          { from: '22:00', to: '06:00', tier: 'valley' },
          { from: '06:00', to: '08:00', tier: 'flat' },
          { from: '08:00', to: '12:00', tier: 'peak' },
          { from: '12:00', to: '22:00', tier: 'flat' },
        ],
      },
    ],
    idleFee: { freeMinutes: 30, pricePerMinute: '0.50000', capYuan: '50.00' },
  });
  if (!checked.ok) throw new Error(checked.problems.join('; '));
  return { ...checked.terms, tariffId: 'bench', version: 1, createdAt: 0 };
}

/** A small deterministic generator (mulberry32): the same seed gives the same sessions. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The events of one session: start, 200 samples, stop, plug-out. */
export function benchSession(index: number, seed: number): ChargeEvent[] {
  const next = random(seed + index);
  // A year of days, as a billing run meets them: recent days, each with many sessions.
  const startMs = DAY_START + (index % 365) * 24 * HOUR;
  const stopMs = startMs + 8 * HOUR;
  const stepMs = (stopMs - startMs) / (SAMPLES_PER_SESSION + 1);
  let register = 1_000_000 + Math.floor(next() * 1_000_000);
  const id = (kind: string, n: number) => `${kind}-${index}-${n}`;
  const events: ChargeEvent[] = [
    {
      type: 'started',
      journalId: id('start', 0),
      atMs: startMs,
      receivedAt: startMs,
      connectorId: 1,
      transactionId: index + 1,
      idTag: 'BENCH',
      meterStartWh: new Dec(register),
    },
  ];
  for (let i = 1; i <= SAMPLES_PER_SESSION; i++) {
    const atMs = Math.round(startMs + i * stepMs);
    register += Math.round(20_000 * (stepMs / HOUR) * (0.9 + 0.2 * next()));
    const journalId = id('meter', i);
    events.push({
      type: 'sampled',
      journalId,
      atMs,
      receivedAt: atMs + 50,
      connectorId: 1,
      transactionId: index + 1,
      registers: [{ atMs, registerWh: new Dec(register), source: 'meter-values', journalId }],
      power: [],
    });
  }
  register += 1_000;
  events.push(
    {
      type: 'stopped',
      journalId: id('stop', 0),
      atMs: stopMs,
      receivedAt: stopMs,
      transactionId: index + 1,
      meterStopWh: new Dec(register),
      reason: 'EVDisconnected',
      registers: [],
    },
    {
      type: 'status',
      journalId: id('status', 0),
      atMs: stopMs + 45 * 60_000,
      receivedAt: stopMs + 45 * 60_000,
      connectorId: 1,
      state: 'available',
      errorCode: null,
    },
  );
  return events;
}
