// Codes 1 and 2: a session with no final bill (StopTransaction or the pile's own bill). Both
// are timed: they wait out a grace time after the last evidence, and both are provisional —
// when the late bill arrives the session is billed again and they are gone (principle 4).
import { anomaly, sessionJournalIds, type Rule } from './anomaly.js';

const HARD_DEADLINE_MS = 72 * 3_600_000;

export const lostBill: Rule = (facts, params) => {
  const { session, nowMs, times } = facts;
  if (session.stopped !== null || session.deviceBill !== null) return [];
  const receipts = [session.started?.receivedAt ?? 0, ...session.samples.map((s) => s.receivedAt)];
  const lastEvidenceMs = Math.max(...receipts);
  const ids = sessionJournalIds(session);
  if (times.offline.length === 0) {
    const dueMs = lastEvidenceMs + params.billGraceOnlineMs;
    if (nowMs < dueMs) return [];
    return [
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
  const reconnectedMs = Math.max(...times.offline.map((s) => s.toMs ?? 0));
  const due = stillOffline
    ? nowMs >= session.startMs + HARD_DEADLINE_MS
    : nowMs >= reconnectedMs + params.billGraceOfflineMs;
  if (!due) return [];
  const spans = times.offline.map((s) => `${s.fromMs}–${s.toMs ?? 'open'}`).join(', ');
  // The state that tells what happened (field case B: Faulted), not the Available after it.
  const states = facts.statuses.filter((s) => s.atMs >= session.startMs);
  const lastState = states.filter((s) => s.state !== 'available').at(-1) ?? states.at(-1);
  return [
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
