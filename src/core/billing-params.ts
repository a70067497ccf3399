// Thresholds of the billing rules, per operator (DESIGN.md §5). The defaults are domain.md §B3's
// proposals; every figure is in the unit its name says.
import { Dec } from './decimal.js';
import type { EnergySource } from './session-energy.js';

export interface BillingParams {
  /** Margin over a connector's nameplate power before energy is implausible. */
  readonly powerMargin: Dec;
  /** Measurement slack on energy, Wh. */
  readonly slackWh: Dec;
  /** Most energy one session can take, Wh (a car; a bus fleet sets 600 kWh). */
  readonly maxSessionWh: Dec;
  /** Wait for the final bill after the last evidence while the pile is online (code 1). */
  readonly billGraceOnlineMs: number;
  /** Wait for a replay after the pile reconnects (code 2). */
  readonly billGraceOfflineMs: number;
  /** Live-message clock difference that is a time anomaly (code 3). */
  readonly skewAnomalyMs: number;
  /** A timestamp this far past its receive time is in the future (code 3). */
  readonly futureMs: number;
  /** Earliest plausible timestamp (commissioning date), epoch ms. */
  readonly epochMinMs: number;
  /** Below this duration, energy above minEnergyWh is implausible (code 5). */
  readonly minDurationWithEnergyMs: number;
  readonly minEnergyWh: Dec;
  readonly maxSessionMs: number;
  /** A charging session with less than minEnergyWh for this long is a ghost (code 5). */
  readonly ghostSessionMs: number;
  /** Occupancy after charging that is abnormal (code 6). */
  readonly idleAnomalyMs: number;
  /** Plug-out still unknown this long after charging ended (code 6). */
  readonly plugOutUnknownMs: number;
  readonly overlapToleranceMs: number;
  /**
   * One idTag may charge in two places at once (a fleet account shared by its vehicles); when
   * false, the later of two overlapping sessions of an idTag is held (code 7).
   */
  readonly allowConcurrentIdTag: boolean;
  readonly energyToleranceWh: Dec;
  readonly energyToleranceRatio: Dec;
  readonly durationToleranceMs: number;
  readonly durationToleranceRatio: Dec;
  readonly amountToleranceRatio: Dec;
  /** Register gap between consecutive sessions on a connector that is lost energy (code 11). */
  readonly registerGapToleranceWh: Dec;
  /** Longest gap between samples across which a tier boundary is interpolated. */
  readonly interpolationGapMs: number;
  /** Which energy to bill, best first (DESIGN.md §4). */
  readonly energyPrecedence: readonly EnergySource[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_BILLING_PARAMS: BillingParams = Object.freeze<BillingParams>({
  powerMargin: new Dec('0.10'),
  slackWh: new Dec(200),
  maxSessionWh: new Dec(200_000),
  billGraceOnlineMs: 15 * MINUTE,
  billGraceOfflineMs: 30 * MINUTE,
  skewAnomalyMs: 5 * MINUTE,
  futureMs: 5 * MINUTE,
  epochMinMs: Date.UTC(2018, 0, 1),
  minDurationWithEnergyMs: MINUTE,
  minEnergyWh: new Dec(100),
  maxSessionMs: 24 * HOUR,
  ghostSessionMs: 30 * MINUTE,
  idleAnomalyMs: 12 * HOUR,
  plugOutUnknownMs: 24 * HOUR,
  overlapToleranceMs: MINUTE,
  allowConcurrentIdTag: false,
  energyToleranceWh: new Dec(200),
  energyToleranceRatio: new Dec('0.02'),
  durationToleranceMs: 2 * MINUTE,
  durationToleranceRatio: new Dec('0.02'),
  amountToleranceRatio: new Dec('0.005'),
  registerGapToleranceWh: new Dec(50),
  interpolationGapMs: 15 * MINUTE,
  energyPrecedence: Object.freeze(['device-registers', 'platform-registers', 'device-total', 'estimate'] as const),
});
