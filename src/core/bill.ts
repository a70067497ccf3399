// A session made into a bill: energy from the best source, split by tier, priced with the
// tariff version in force at its start, checked by every rule. A bill is data; versions of it
// are immutable (bill-version.ts).
import { ANOMALY_CODES, type Anomaly, type AnomalyCode, type SessionFacts } from './anomaly.js';
import { billNumber } from './bill-number.js';
import type { BillingParams } from './billing-params.js';
import type { Dec } from './decimal.js';
import { idleCharge, rateSession, type BillLine } from './rating.js';
import { amountMismatch, overlap, platformMismatch } from './rules-consistency.js';
import { durationAnomaly, idleFeeOverCap, occupancyAnomaly } from './rules-duration.js';
import { energyAnomaly, energyLost } from './rules-energy.js';
import { idTagOf, idTagOverlap, type IdTagBill } from './rules-id-tag.js';
import { lostBill } from './rules-lost-bill.js';
import { timeAnomaly } from './rules-time.js';
import type { EnergySource } from './session-energy.js';
import type { TariffVersion } from './tariff.js';
import { tierWindows } from './tou-calendar.js';
import { splitByTier, type SplitMethod } from './tou-split.js';

export const BILL_STATUSES = ['provisional', 'held', 'settled', 'void'] as const;
export type BillStatus = (typeof BILL_STATUSES)[number];

export interface BillDraft {
  readonly billNo: string;
  readonly sessionKey: string;
  readonly connectorId: number;
  readonly transactionId: number | null;
  readonly idTag: string | null;
  readonly startMs: number;
  readonly stopMs: number | null;
  readonly energyWh: Dec;
  readonly energySource: EnergySource;
  /** time-pro-rata when any tier boundary fell in a gap without samples. */
  readonly splitMethod: SplitMethod;
  readonly tariffId: string;
  readonly tariffVersion: number;
  readonly lines: readonly BillLine[];
  readonly totalFen: Dec;
  readonly codes: readonly AnomalyCode[];
  readonly anomalies: readonly Anomaly[];
  readonly status: BillStatus;
  readonly occupancyMs: number | null;
}

export type BillOutcome =
  | { readonly ok: true; readonly bill: BillDraft }
  | { readonly ok: false; readonly reason: 'tier-without-price'; readonly detail: string };

const RULES = [
  lostBill,
  timeAnomaly,
  energyAnomaly,
  durationAnomaly,
  occupancyAnomaly,
  overlap,
  platformMismatch,
  energyLost,
];

/** Codes 1 and 2 wait for evidence; 4 and 7 wait for an operator; the rest settle first. */
function statusOf(anomalies: readonly Anomaly[], source: EnergySource): BillStatus {
  if (anomalies.some((a) => a.code === 7 && a.rule === 'duplicate')) return 'void';
  if (source === 'estimate' || anomalies.some((a) => a.code === 1 || a.code === 2)) return 'provisional';
  if (anomalies.some((a) => a.code === 4 || a.code === 7)) return 'held';
  return 'settled';
}

/** `sameIdTag`: the bills of the session's idTag on other piles or connectors that may overlap it. */
export function billSession(
  facts: SessionFacts,
  tariff: TariffVersion,
  params: BillingParams,
  pileId: string,
  sameIdTag: readonly IdTagBill[] = [],
): BillOutcome {
  const { session, energy, times } = facts;
  const stopMs = session.stopMs ?? Math.max(session.startMs, ...energy.samples.map((s) => s.atMs));
  const split = splitInput(facts, tariff, params, stopMs);
  const tiers = splitByTier({ ...split, energyWh: energy.energyWh });
  const idleMinutes = times.occupancyMs === null ? 0 : times.occupancyMs / 60_000;
  const rated = rateSession(tariff, tiers, idleMinutes);
  if (!rated.ok)
    return { ok: false, reason: rated.reason, detail: `tier ${rated.tier} has no price in version ${tariff.version}` };
  const anomalies = RULES.flatMap((rule) => rule(facts, params));
  anomalies.push(...idTagOverlap(facts, sameIdTag, params, pileId));
  // Code 6 on the idle fee needs the tariff, which the rules do not see.
  const overCap = idleFeeOverCap(facts, idleCharge(tariff, idleMinutes));
  if (overCap) anomalies.push(overCap);
  const bill = session.deviceBill;
  if (bill !== null) {
    // Code 10 compares prices, not energies: the platform prices the pile's own energy.
    const deviceWh = bill.energyWh.isNegative() ? energy.energyWh : bill.energyWh.round();
    const platform = rateSession(tariff, splitByTier({ ...split, energyWh: deviceWh }));
    const found =
      platform.ok && amountMismatch(session, platform.rating.totalFen, platform.rating.lines.length, params);
    if (found) anomalies.push(found);
  }
  const codes = ANOMALY_CODES.filter((code) => anomalies.some((a) => a.code === code));
  return {
    ok: true,
    bill: {
      billNo: billNumber(session.startMs, tariff.timeZone, pileId, session.key),
      sessionKey: session.key,
      connectorId: session.connectorId,
      transactionId: session.transactionId,
      idTag: idTagOf(session),
      startMs: session.startMs,
      stopMs: session.stopMs,
      energyWh: energy.energyWh,
      energySource: energy.source,
      splitMethod: tiers.some((t) => t.method === 'time-pro-rata') ? 'time-pro-rata' : 'interpolated',
      tariffId: tariff.tariffId,
      tariffVersion: tariff.version,
      lines: rated.rating.lines,
      totalFen: rated.rating.totalFen,
      codes,
      anomalies,
      status: statusOf(anomalies, energy.source),
      occupancyMs: times.occupancyMs,
    },
  };
}

/** The split of [start, stop) with the session's samples, for whichever energy is priced. */
function splitInput(facts: SessionFacts, tariff: TariffVersion, params: BillingParams, stopMs: number) {
  const { session, energy } = facts;
  const endMs = Math.max(stopMs, session.startMs);
  return {
    startMs: session.startMs,
    stopMs: endMs,
    samples: energy.samples,
    // A session of no length still lies in one tier: the one at its start.
    windows: tierWindows(tariff, session.startMs, Math.max(endMs, session.startMs + 1)),
    maxGapMs: params.interpolationGapMs,
  };
}
