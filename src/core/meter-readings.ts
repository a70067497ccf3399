// OCPP 1.6 sampled values → register and power readings (§4.7, §7.31–7.35; domain.md §A1.4).
// Wire data is judged here, never refused: every sampled value ends up in exactly one of the three
// lists, so the evidence view can show what was used and why the rest was not.
import type { Dec } from './decimal.js';
import { parseDecimal, parseInstant } from './wire-text.js';

export const READING_SOURCES = [
  'meter-values',
  'transaction-data',
  'meter-start',
  'meter-stop',
  'meter-heartbeat',
  'device-bill',
] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];

export interface RegisterReading {
  /** The pile's timestamp as epoch ms. */
  readonly atMs: number;
  readonly registerWh: Dec;
  readonly source: ReadingSource;
  readonly journalId: string;
}

export interface PowerReading {
  readonly atMs: number;
  readonly powerW: Dec;
  readonly journalId: string;
}

/** The subset of OCPP 1.6 SampledValue this module reads. */
export interface SampledValueLike {
  readonly value: string;
  readonly context?: string;
  readonly format?: string;
  readonly measurand?: string;
  readonly phase?: string;
  readonly location?: string;
  readonly unit?: string;
}

export interface MeterValueLike {
  readonly timestamp: string;
  readonly sampledValue: readonly SampledValueLike[];
}

export const IGNORED_REASONS = [
  'bad-timestamp',
  'other-measurand',
  'signed-data',
  'per-phase',
  'not-at-outlet',
  'unit-mismatch',
  'not-a-number',
  'negative-register',
] as const;
export type IgnoredReason = (typeof IGNORED_REASONS)[number];

export interface IgnoredSample {
  readonly reason: IgnoredReason;
  readonly timestamp: string;
  readonly sample: SampledValueLike;
}

export interface SampledReadings {
  readonly registers: RegisterReading[];
  readonly power: PowerReading[];
  readonly ignored: IgnoredSample[];
}

const REGISTER = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';
// The factor to Wh or W per unit. A unit missing here does not fit the measurand (a register in
// varh); an absent unit is Wh whatever the measurand (§7.45), so a power value without one is refused.
// Maps, not objects: a unit is the pile's text, and "toString" must find nothing.
const SCALES: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map([
  [
    REGISTER,
    new Map([
      ['Wh', 1],
      ['kWh', 1000],
    ]),
  ],
  [
    POWER,
    new Map([
      ['W', 1],
      ['kW', 1000],
    ]),
  ],
]);

/** Register and power readings from a MeterValues (or StopTransaction transactionData) list. */
export function readSampledValues(
  meterValue: readonly MeterValueLike[],
  source: ReadingSource,
  journalId: string,
): SampledReadings {
  const out = { registers: [] as RegisterReading[], power: [] as PowerReading[], ignored: [] as IgnoredSample[] };
  for (const { timestamp, sampledValue } of meterValue) {
    const atMs = parseInstant(timestamp);
    if (atMs === undefined) {
      out.ignored.push(...sampledValue.map((sample) => ({ reason: 'bad-timestamp' as const, timestamp, sample })));
      continue;
    }
    for (const sample of sampledValue) {
      const verdict = judge(sample);
      if (typeof verdict === 'string') out.ignored.push({ reason: verdict, timestamp, sample });
      else if (verdict.kind === 'register') out.registers.push({ atMs, registerWh: verdict.value, source, journalId });
      else out.power.push({ atMs, powerW: verdict.value, journalId });
    }
  }
  return out;
}

type Verdict = IgnoredReason | { readonly kind: 'register' | 'power'; readonly value: Dec };

function judge(sample: SampledValueLike): Verdict {
  // §4.7: a bare value is an active import energy register in Wh at the outlet.
  const measurand = sample.measurand ?? REGISTER;
  // .Interval measurands are per-interval amounts, not a register; other measurands are not energy.
  if (measurand !== REGISTER && measurand !== POWER) return 'other-measurand';
  if (sample.format === 'SignedData') return 'signed-data';
  // Only the overall value counts: a pile may send per-phase values beside the total, and
  // summing them would count the energy twice.
  if (sample.phase !== undefined) return 'per-phase';
  if ((sample.location ?? 'Outlet') !== 'Outlet') return 'not-at-outlet';
  const scale = SCALES.get(measurand)?.get(sample.unit ?? 'Wh');
  if (scale === undefined) return 'unit-mismatch';
  const value = parseDecimal(sample.value);
  if (value === undefined) return 'not-a-number';
  // A register never reads below zero; a negative one is garbage, not a reverse flow.
  if (measurand === REGISTER && value.lt(0)) return 'negative-register';
  return { kind: measurand === REGISTER ? 'register' : 'power', value: value.times(scale) };
}

/** A register reading from an integer Wh field (meterStart, meterStop, registerWh). */
export function registerReading(
  atMs: number,
  wh: number | string,
  source: ReadingSource,
  journalId: string,
): RegisterReading {
  const registerWh = parseDecimal(wh);
  if (registerWh === undefined) throw new Error(`registerReading: ${String(wh)} is not a Wh figure`);
  return { atMs, registerWh, source, journalId };
}
