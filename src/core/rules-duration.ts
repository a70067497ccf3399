// Code 5: a charging time that cannot be true; code 6: a car left plugged in too long, a
// plug-out nobody saw, or an idle fee the operator's cap cut short (domain.md §B4).
import { anomaly, sessionJournalIds, type Anomaly, type Rule, type SessionFacts } from './anomaly.js';
import { roundToFen } from './money.js';
import type { IdleCharge } from './rating.js';

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

/**
 * The 占位费 the tariff works out, rounded to fen as its line would be, is above the operator's
 * cap: the bill charges the cap. Takes the rating's idle charge, so it runs after rating.
 */
export function idleFeeOverCap(facts: SessionFacts, charge: IdleCharge | undefined): Anomaly | undefined {
  if (charge === undefined || charge.capFen === null) return undefined;
  const uncappedFen = roundToFen(charge.uncappedFen);
  if (!uncappedFen.gt(charge.capFen)) return undefined;
  const { session, times } = facts;
  return anomaly(
    6,
    'idle-fee-over-cap',
    [session.stopped?.journalId ?? session.deviceBill?.journalId, times.plugOut?.journalId],
    {
      uncappedFen: uncappedFen.toString(),
      capFen: charge.capFen.toString(),
      idleMinutes: charge.idleMinutes,
      chargedMinutes: charge.chargedMinutes,
    },
    `${charge.capFen.toString()} fen`,
  );
}
