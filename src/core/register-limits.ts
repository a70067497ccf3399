// What a connector's energy register can physically do between two readings (domain.md §B1.3,
// §B3): rise by at most P_max × (1 + m_power) × Δt + eps_E, and never fall.
import { Dec } from './decimal.js';
import type { RegisterReading } from './meter-readings.js';

export interface RegisterLimits {
  /** Nameplate maximum power of the connector (B3 P_max). */
  readonly maxPowerW: number;
  /** Margin over nameplate (B3 m_power); 0.10 when absent. */
  readonly powerMargin?: Dec;
  /** Measurement slack (B3 eps_E): rounding, a sample taken mid-update; 200 Wh when absent. */
  readonly slackWh?: Dec;
}

export const DEFAULT_POWER_MARGIN: Dec = new Dec('0.10');
export const DEFAULT_SLACK_WH: Dec = new Dec(200);

const MS_PER_HOUR = new Dec(3_600_000);

/** The largest rise of the register the connector can produce in durationMs. */
export function allowedRiseWh(limits: RegisterLimits, durationMs: number): Dec {
  const margin = limits.powerMargin ?? DEFAULT_POWER_MARGIN;
  return new Dec(limits.maxPowerW)
    .times(margin.plus(1))
    .times(durationMs)
    .dividedBy(MS_PER_HOUR)
    .plus(limits.slackWh ?? DEFAULT_SLACK_WH);
}

export function assertRegisterLimits(limits: RegisterLimits): void {
  if (!Number.isFinite(limits.maxPowerW) || limits.maxPowerW <= 0) {
    throw new Error(`register limits: maxPowerW must be a positive number, got ${limits.maxPowerW}`);
  }
}

// The limits as the check uses them, worked out once per limits object: the check runs for
// every reading, and decimal division is the dearest operation in it.
const prepared = new WeakMap<RegisterLimits, { readonly wattsWithMargin: Dec; readonly slackWh: Dec }>();

function prepare(limits: RegisterLimits) {
  let p = prepared.get(limits);
  if (p === undefined) {
    const margin = limits.powerMargin ?? DEFAULT_POWER_MARGIN;
    p = {
      wattsWithMargin: new Dec(limits.maxPowerW).times(margin.plus(1)),
      slackWh: limits.slackWh ?? DEFAULT_SLACK_WH,
    };
    prepared.set(limits, p);
  }
  return p;
}

/** Whether `later` can follow `earlier` on one meter: no fall, no rise beyond the limits. */
export function isContinuation(limits: RegisterLimits, earlier: RegisterReading, later: RegisterReading): boolean {
  const rise = later.registerWh.minus(earlier.registerWh);
  if (rise.isNegative()) return false;
  const { wattsWithMargin, slackWh } = prepare(limits);
  const beyondSlack = rise.minus(slackWh);
  // allowedRiseWh, multiplied out so that nothing is divided: it runs for every reading.
  return (
    !beyondSlack.isPositive() || beyondSlack.times(MS_PER_HOUR).lte(wattsWithMargin.times(later.atMs - earlier.atMs))
  );
}
