// Code 3: timestamps that cannot be true. Old timestamps on replayed messages are normal (a pile
// queues while offline, OCPP 1.6 §4.2.1); a live message whose clock is far from ours is not, nor
// is a live sample stamped before the one that reached us just before it.
// A device bill is stamped with the session's stop and may follow it by hours: no skew check.
import { anomaly, onePerRule, type Anomaly, type Rule } from './anomaly.js';
import type { ChargeEvent, OfflineSpan, Sampled } from './charge-events.js';
import type { RegisterReading } from './meter-readings.js';
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
  found.push(...samplesNotMonotonic(session.samples, offline));
  return onePerRule(found);
};

function receivedInOrder(samples: readonly Sampled[]): boolean {
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]!.receivedAt > samples[i]!.receivedAt) return false;
  return true;
}

/**
 * In the order the samples reached us (receive time, then their order in the session), a register
 * reading stamped before the one received just before it; equal stamps are fine. Replayed
 * samples are left out: a queue emptied after an offline stretch carries old stamps. A reading
 * that repeats one already received (same stamp and value) is a resent message, not a new stamp.
 */
function samplesNotMonotonic(samples: readonly Sampled[], offline: readonly OfflineSpan[]): Anomaly[] {
  const live = offline.length === 0 ? samples : samples.filter((s) => !isReplayed(s, offline));
  const received = receivedInOrder(live) ? live : [...live].sort((a, b) => a.receivedAt - b.receivedAt);
  const found: Anomaly[] = [];
  let previous: Sampled | undefined;
  let previousAtMs = -Infinity;
  // Plain loops: this runs over every sample of every bill.
  for (let i = 0; i < received.length; i++) {
    const sample = received[i]!;
    for (const reading of sample.registers) {
      if (previous !== undefined && reading.atMs < previousAtMs) {
        if (isRepeated(reading, received, i)) continue;
        found.push(
          anomaly(3, 'samples-not-monotonic', [previous.journalId, sample.journalId], {
            previousAtMs,
            atMs: reading.atMs,
          }),
        );
      }
      previous = sample;
      previousAtMs = reading.atMs;
    }
  }
  return found;
}

/** A reading of the same stamp and value came before it: in an earlier sample, or earlier in its own. */
function isRepeated(reading: RegisterReading, received: readonly Sampled[], index: number): boolean {
  for (const sample of received.slice(0, index + 1)) {
    for (const r of sample.registers) {
      if (r === reading) return false;
      if (r.atMs === reading.atMs && r.registerWh.eq(reading.registerWh)) return true;
    }
  }
  return false;
}
