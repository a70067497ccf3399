// Code 3: timestamps that cannot be true. Old timestamps on replayed messages are normal (a pile
// queues while offline, OCPP 1.6 §4.2.1); a live message whose clock is far from ours is not.
// A device bill is stamped with the session's stop and may follow it by hours: no skew check.
import { anomaly, onePerRule, type Anomaly, type Rule } from './anomaly.js';
import type { ChargeEvent } from './charge-events.js';
import { isReplayed } from './session-times.js';

/** A MeterValues call that batches samples can only be sent after its newest one. */
function sentAtOrAfter(e: ChargeEvent): number {
  if (e.type !== 'sampled') return e.atMs;
  let newest = e.atMs;
  for (const r of e.registers) newest = Math.max(newest, r.atMs);
  return newest;
}

export const timeAnomaly: Rule = (facts, params) => {
  const { session, offline } = facts;
  const found: Anomaly[] = [];
  const ends = [session.started, session.stopped, session.deviceBill].filter((e) => e !== null);
  if (session.stopMs !== null && session.stopMs <= session.startMs) {
    found.push(
      anomaly(
        3,
        'stop-not-after-start',
        [session.started?.journalId, session.stopped?.journalId, session.deviceBill?.journalId],
        {
          startMs: session.startMs,
          stopMs: session.stopMs,
        },
      ),
    );
  }
  const check = (e: ChargeEvent) => {
    if (e.atMs < params.epochMinMs) {
      found.push(anomaly(3, 'before-epoch', [e.journalId], { atMs: e.atMs }, `${params.epochMinMs}`));
    } else if (e.atMs > e.receivedAt + params.futureMs) {
      found.push(
        anomaly(3, 'in-future', [e.journalId], { atMs: e.atMs, receivedAt: e.receivedAt }, `${params.futureMs} ms`),
      );
    } else if (
      e !== session.deviceBill &&
      (offline.length === 0 || !isReplayed(e, offline)) &&
      Math.abs(e.receivedAt - sentAtOrAfter(e)) > params.skewAnomalyMs
    ) {
      found.push(
        anomaly(
          3,
          'clock-skew',
          [e.journalId],
          { atMs: sentAtOrAfter(e), receivedAt: e.receivedAt },
          `${params.skewAnomalyMs} ms`,
        ),
      );
    }
  };
  for (const e of ends) check(e);
  for (const e of session.samples) check(e);
  return onePerRule(found);
};
