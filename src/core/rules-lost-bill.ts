// Codes 1 and 2: a session with no final bill (StopTransaction or the pile's own bill). Both
// are timed: they wait out a grace time after the last evidence, and both are provisional —
// when the late bill arrives the session is billed again and they are gone (principle 4).
// Code 1 comes at once when we refused one of the session's transaction messages: the pile may
// have dropped it from its queue (domain.md §B4).
import { anomaly, sessionJournalIds, type Anomaly, type Rule, type SessionFacts } from './anomaly.js';
import type { BillingParams } from './billing-params.js';
import type { Session } from './session-fold.js';

const HARD_DEADLINE_MS = 72 * 3_600_000;

const lastEvidenceOf = (session: Session) =>
  session.samples.reduce((latest, s) => Math.max(latest, s.receivedAt), session.started?.receivedAt ?? 0);

const hasFinalBill = (session: Session) => session.stopped !== null || session.deviceBill !== null;

/** When the grace for a session with no final bill runs out; null when it has its final bill. */
function graceEndsAt(facts: SessionFacts, params: BillingParams): number | null {
  const { session, times } = facts;
  if (hasFinalBill(session)) return null;
  if (times.offline.length === 0) return lastEvidenceOf(session) + params.billGraceOnlineMs;
  if (times.offline.some((s) => s.toMs === null)) return session.startMs + HARD_DEADLINE_MS;
  return Math.max(...times.offline.map((s) => s.toMs ?? 0)) + params.billGraceOfflineMs;
}

/**
 * When code 1 or 2 falls due for a session with no final bill, unless new evidence comes first;
 * null when the session has its final bill. Billing looks again then, not before.
 */
export function lostBillDueAt(facts: SessionFacts, params: BillingParams): number | null {
  const graceEnd = graceEndsAt(facts, params);
  const firstRefused = facts.refused[0];
  return graceEnd === null || firstRefused === undefined ? graceEnd : Math.min(firstRefused.receivedAt, graceEnd);
}

function refusedMessages(facts: SessionFacts): Anomaly[] {
  const { session, refused } = facts;
  const first = refused[0];
  if (first === undefined || hasFinalBill(session)) return [];
  return [
    anomaly(1, 'tx-message-refused', [...refused.map((r) => r.journalId), ...sessionJournalIds(session)], {
      action: first.action,
      reason: first.reason,
      refusedAt: first.receivedAt,
      refusedMessages: refused.length,
    }),
  ];
}

export const lostBill: Rule = (facts, params) => {
  const { session, nowMs, times } = facts;
  const found = refusedMessages(facts);
  const dueMs = graceEndsAt(facts, params);
  if (dueMs === null || nowMs < dueMs) return found;
  const lastEvidenceMs = lastEvidenceOf(session);
  const ids = sessionJournalIds(session);
  if (times.offline.length === 0) {
    return [
      ...found,
      anomaly(
        1,
        'no-final-bill',
        ids,
        { lastEvidenceAt: lastEvidenceMs, checkedAt: nowMs },
        `${params.billGraceOnlineMs} ms grace online`,
      ),
    ];
  }
  const stillOffline = times.offline.some((s) => s.toMs === null);
  const spans = times.offline.map((s) => `${s.fromMs}–${s.toMs ?? 'open'}`).join(', ');
  // The state that tells what happened (field case B: Faulted), not the Available after it.
  const states = facts.statuses.filter((s) => s.atMs >= session.startMs);
  const lastState = states.filter((s) => s.state !== 'available').at(-1) ?? states.at(-1);
  return [
    ...found,
    anomaly(
      2,
      'no-final-bill-offline',
      [...ids, lastState?.journalId],
      {
        lastEvidenceAt: lastEvidenceMs,
        offline: spans,
        lastState: lastState?.state ?? 'unknown',
        checkedAt: nowMs,
      },
      stillOffline ? `${HARD_DEADLINE_MS} ms hard deadline` : `${params.billGraceOfflineMs} ms grace after reconnect`,
    ),
  ];
};
