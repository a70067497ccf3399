// Code 5: a charging time that cannot be true; code 6: a car left plugged in too long, or a
// plug-out nobody saw (domain.md §B4).
import { anomaly, sessionJournalIds, type Anomaly, type Rule } from './anomaly.js';

const EXPLAINED: ReadonlySet<string> = new Set(['suspended-ev', 'finishing']);

export const durationAnomaly: Rule = (facts, params) => {
  const { session, energy, times } = facts;
  const ids = () => sessionJournalIds(session);
  const found: Anomaly[] = [];
  const duration = times.durationMs;
  if (duration !== null) {
    const values = () => ({ durationMs: duration, energyWh: energy.energyWh.toString() });
    if (duration <= 0) found.push(anomaly(5, 'non-positive-duration', ids(), values()));
    else if (duration > params.maxSessionMs)
      found.push(anomaly(5, 'too-long', ids(), values(), `${params.maxSessionMs} ms`));
    else if (duration < params.minDurationWithEnergyMs && energy.energyWh.gt(params.minEnergyWh))
      found.push(
        anomaly(
          5,
          'too-short-for-energy',
          ids(),
          values(),
          `${params.minDurationWithEnergyMs} ms with > ${params.minEnergyWh} Wh`,
        ),
      );
  }
  const ranMs = (session.stopMs ?? facts.nowMs) - session.startMs;
  const during = facts.statuses.filter((s) => s.atMs >= session.startMs && s.atMs <= (session.stopMs ?? facts.nowMs));
  if (
    ranMs > params.ghostSessionMs &&
    energy.energyWh.lt(params.minEnergyWh) &&
    !during.some((s) => EXPLAINED.has(s.state))
  ) {
    found.push(
      anomaly(
        5,
        'no-energy',
        ids(),
        { ranMs, energyWh: energy.energyWh.toString() },
        `${params.ghostSessionMs} ms below ${params.minEnergyWh} Wh`,
      ),
    );
  }
  return found;
};

export const occupancyAnomaly: Rule = (facts, params) => {
  const { session, times, nowMs } = facts;
  const stopMs = session.stopMs;
  if (stopMs === null) return [];
  const ids = [session.stopped?.journalId ?? session.deviceBill?.journalId, times.plugOut?.journalId];
  const windowEndMs = times.plugOut?.atMs ?? nowMs;
  const offline = facts.offline.filter((s) => s.fromMs < windowEndMs && (s.toMs ?? Infinity) > stopMs);
  if (offline.length > 0) {
    return [
      anomaly(6, 'offline-while-occupied', ids, {
        stopMs,
        offline: offline.map((s) => `${s.fromMs}–${s.toMs ?? 'open'}`).join(', '),
      }),
    ];
  }
  if (times.plugOut === null) {
    return nowMs - stopMs > params.plugOutUnknownMs
      ? [anomaly(6, 'plug-out-unknown', ids, { stopMs, checkedAt: nowMs }, `${params.plugOutUnknownMs} ms`)]
      : [];
  }
  const occupancyMs = times.plugOut.atMs - stopMs;
  return occupancyMs > params.idleAnomalyMs
    ? [anomaly(6, 'long-occupancy', ids, { occupancyMs }, `${params.idleAnomalyMs} ms`)]
    : [];
};
