// Abnormal-bill codes 1–11 (DESIGN.md §5, domain.md §B4). An anomaly names the rule that fired
// and carries its evidence: the journal rows it read, the values it compared, the threshold.
import type { BillingParams } from './billing-params.js';
import type { OfflineSpan, RefusedMessage } from './charge-events.js';
import { allowedRiseWh } from './register-limits.js';
import type { RegisterTimeline } from './register-timeline.js';
import type { SessionEnergy } from './session-energy.js';
import type { Session } from './session-fold.js';
import type { ConnectorStatus, SessionTimes } from './session-times.js';

export const ANOMALY_CODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export interface Evidence {
  readonly journalIds: readonly string[];
  readonly values: Readonly<Record<string, string>>;
  readonly threshold: string | null;
}

export interface Anomaly {
  readonly code: AnomalyCode;
  readonly rule: string;
  readonly evidence: Evidence;
}

/** Everything the rules look at for one session. */
export interface SessionFacts {
  readonly session: Session;
  readonly maxPowerW: number;
  readonly energy: SessionEnergy;
  readonly times: SessionTimes;
  /** The connector's register timeline. */
  readonly timeline: RegisterTimeline;
  readonly statuses: readonly ConnectorStatus[];
  /** The connector's other sessions, in start order. */
  readonly neighbours: readonly Session[];
  readonly offline: readonly OfflineSpan[];
  /** Transaction messages of this session we refused, in receive order. */
  readonly refused: readonly RefusedMessage[];
  readonly nowMs: number;
}

export type Rule = (facts: SessionFacts, params: BillingParams) => Anomaly[];

export function anomaly(
  code: AnomalyCode,
  rule: string,
  journalIds: readonly (string | null | undefined)[],
  values: Record<string, string | number>,
  threshold: string | null = null,
): Anomaly {
  const ids = [...new Set(journalIds.filter((id): id is string => typeof id === 'string'))];
  const text = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
  return { code, rule, evidence: { journalIds: ids, values: text, threshold } };
}

const journalIdsOf = new WeakMap<Session, string[]>();

/** Journal rows that make up a session: its start, stop, bill and samples (worked out once). */
export function sessionJournalIds(session: Session): string[] {
  let ids = journalIdsOf.get(session);
  if (ids === undefined) {
    ids = [
      session.started?.journalId,
      session.stopped?.journalId,
      session.deviceBill?.journalId,
      ...session.samples.map((s) => s.journalId),
    ].filter((id): id is string => id !== undefined);
    journalIdsOf.set(session, ids);
  }
  return ids;
}

/** The most energy the connector can deliver in `durationMs`, with margin and slack. */
export function maxEnergyWh(facts: SessionFacts, params: BillingParams, durationMs: number) {
  const limits = { maxPowerW: facts.maxPowerW, powerMargin: params.powerMargin, slackWh: params.slackWh };
  return allowedRiseWh(limits, Math.max(0, durationMs));
}

/** One anomaly per code and rule: the first one's values, every one's journal rows. */
export function onePerRule(found: readonly Anomaly[]): Anomaly[] {
  const byRule = new Map<string, Anomaly>();
  for (const a of found) {
    const key = `${a.code}:${a.rule}`;
    const seen = byRule.get(key);
    const journalIds = seen
      ? [...new Set([...seen.evidence.journalIds, ...a.evidence.journalIds])]
      : a.evidence.journalIds;
    byRule.set(key, { ...(seen ?? a), evidence: { ...(seen ?? a).evidence, journalIds } });
  }
  return [...byRule.values()];
}
