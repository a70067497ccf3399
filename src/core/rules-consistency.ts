// Code 7: two sessions on one connector at once, or over the same register range. Codes 8 and
// 9: the pile's own figures against the platform's, beyond max(absolute, relative) tolerance.
// Code 10 (pilegate's definition): the pile's amount against the platform's price of the same
// energy with the same tariff.
import { anomaly, sessionJournalIds, type Anomaly, type Rule } from './anomaly.js';
import type { BillingParams } from './billing-params.js';
import { Dec, maxOf } from './decimal.js';
import { isImplausible } from './rules-energy.js';
import type { Session } from './session-fold.js';

const endOf = (s: Session) => s.stopMs ?? Math.max(s.startMs, ...s.samples.map((x) => x.atMs));
const registersOf = (s: Session) => ({
  startWh: s.started?.meterStartWh ?? s.deviceBill?.registerStartWh ?? null,
  stopWh: s.stopped?.meterStopWh ?? s.deviceBill?.registerStopWh ?? null,
});

/** Raised on the later of two sessions: the earlier one keeps its bill. */
export const overlap: Rule = (facts, params) => {
  const { session } = facts;
  const found: Anomaly[] = [];
  const own = registersOf(session);
  for (const other of facts.neighbours) {
    if (other.key === session.key || other.startMs > session.startMs) continue;
    if (other.startMs === session.startMs && other.key > session.key) continue;
    const ids = [...sessionJournalIds(other), ...sessionJournalIds(session)];
    const theirs = registersOf(other);
    const overlapMs = Math.min(endOf(other), endOf(session)) - Math.max(other.startMs, session.startMs);
    // Equal registers are one session billed twice only if they enclose energy or the times overlap:
    // two sessions that delivered nothing at the same register (a car already full) are two.
    const sameRegisters =
      own.startWh !== null &&
      own.stopWh !== null &&
      theirs.startWh?.eq(own.startWh) &&
      theirs.stopWh?.eq(own.stopWh) &&
      (own.stopWh.gt(own.startWh) || overlapMs > params.overlapToleranceMs);
    if (sameRegisters) {
      found.push(
        anomaly(7, 'duplicate', ids, {
          other: other.key,
          startWh: own.startWh!.toString(),
          stopWh: own.stopWh!.toString(),
        }),
      );
      continue;
    }
    if (overlapMs > params.overlapToleranceMs) {
      found.push(anomaly(7, 'time-overlap', ids, { other: other.key, overlapMs }, `${params.overlapToleranceMs} ms`));
    } else if (
      own.startWh !== null &&
      theirs.stopWh !== null &&
      theirs.startWh !== null &&
      own.startWh.lt(theirs.stopWh) &&
      own.startWh.gte(theirs.startWh) &&
      !own.startWh.isZero()
    ) {
      found.push(
        anomaly(7, 'register-overlap', ids, {
          other: other.key,
          startWh: own.startWh.toString(),
          otherStopWh: theirs.stopWh.toString(),
        }),
      );
    }
  }
  return found;
};

/** |a − b| > max(absolute, ratio × max(|a|, |b|)). */
const differs = (a: Dec, b: Dec, absolute: Dec, ratio: Dec) =>
  a
    .minus(b)
    .abs()
    .gt(maxOf(absolute, ratio.times(maxOf(a.abs(), b.abs()))));

export const platformMismatch: Rule = (facts, params) => {
  const { session, energy, times } = facts;
  const ids = () => sessionJournalIds(session);
  const found: Anomaly[] = [];
  const deviceWh = energy.deviceRegistersTrusted ? energy.deviceRegistersWh : energy.deviceTotalWh;
  const platformWh = energy.platformWh;
  if (
    session.stopMs !== null &&
    deviceWh !== null &&
    platformWh !== null &&
    !isImplausible(facts, params, deviceWh) &&
    !isImplausible(facts, params, platformWh) &&
    differs(deviceWh, platformWh, params.energyToleranceWh, params.energyToleranceRatio)
  ) {
    found.push(
      anomaly(
        8,
        'energy-differs',
        ids(),
        { deviceWh: deviceWh.toString(), platformWh: platformWh.toString() },
        `max(${params.energyToleranceWh} Wh, ${params.energyToleranceRatio})`,
      ),
    );
  }
  const { durationMs, platformDurationMs } = times;
  if (
    durationMs !== null &&
    platformDurationMs !== null &&
    // Within the absolute tolerance no ratio can make them differ: most sessions stop here.
    Math.abs(durationMs - platformDurationMs) > params.durationToleranceMs &&
    differs(
      new Dec(durationMs),
      new Dec(platformDurationMs),
      new Dec(params.durationToleranceMs),
      params.durationToleranceRatio,
    )
  ) {
    found.push(
      anomaly(
        9,
        'duration-differs',
        ids(),
        { deviceMs: durationMs, platformMs: platformDurationMs },
        `max(${params.durationToleranceMs} ms, ${params.durationToleranceRatio})`,
      ),
    );
  }
  return found;
};

/** Code 10: the pile's amount against the platform's for the pile's own energy. */
export function amountMismatch(
  session: Session,
  platformFen: Dec,
  lineCount: number,
  params: BillingParams,
): Anomaly | undefined {
  const bill = session.deviceBill;
  if (bill === null) return undefined;
  const tolerance = maxOf(new Dec(Math.max(1, lineCount)), params.amountToleranceRatio.times(platformFen));
  if (bill.amountFen.minus(platformFen).abs().lte(tolerance)) return undefined;
  return anomaly(
    10,
    'amount-differs',
    [bill.journalId],
    {
      deviceFen: bill.amountFen.toString(),
      platformFen: platformFen.toString(),
    },
    `max(1 fen × ${lineCount} lines, ${params.amountToleranceRatio})`,
  );
}
