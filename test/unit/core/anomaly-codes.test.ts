// Abnormal-bill codes 1–11 (DESIGN.md §5, domain.md §B4 with the §B3 default thresholds): for
// every code and sub-rule, a scenario that raises it — with the rule, its evidence and the bill
// status that follows — and a near miss just inside the threshold that does not.
import { describe, expect, it } from 'vitest';
import type { Anomaly, AnomalyCode } from '../../../src/core/anomaly.js';
import type { BillDraft } from '../../../src/core/bill.js';
import { DEFAULT_BILLING_PARAMS } from '../../../src/core/billing-params.js';
import type { ChargeEvent } from '../../../src/core/charge-events.js';
import type { IdTagBill } from '../../../src/core/rules-id-tag.js';
import {
  aChargingSession,
  aTariff,
  at,
  billsOf,
  deviceBill,
  heartbeatRegister,
  linearSamples,
  refused,
  resent as resentMessage,
  sampled,
  sampledBatch,
  type Scenario,
  started,
  status,
  stopped,
  theBillOf,
} from '../../support/billing-builders.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const T0 = at('2019-10-24 10:00:00');

/** The one anomaly of `code` on the bill. */
function anomalyOf(bill: BillDraft, code: AnomalyCode): Anomaly {
  const found = bill.anomalies.filter((a) => a.code === code);
  if (found.length !== 1) throw new Error(`expected one anomaly with code ${code}, got ${found.length}`);
  return found[0]!;
}

const idsOf = (...events: readonly { journalId: string }[]) => events.map((e) => e.journalId);

/** The pile's clock runs `offsetMs` ahead of ours (behind when negative): every frame reaches us at its stamp − offset. */
const withPileClock = (events: readonly ChargeEvent[], offsetMs: number): ChargeEvent[] =>
  events.map((e) => ({ ...e, receivedAt: e.atMs - offsetMs }));

describe('code 1, bill lost while the pile stayed online', () => {
  const start = started({ at: T0, meterStartWh: 100_000 });
  const samples = linearSamples({
    fromMs: T0 + 5 * MINUTE,
    toMs: T0 + 30 * MINUTE,
    everyMs: 5 * MINUTE,
    fromWh: 102_500,
    toWh: 115_000,
  });
  const lastEvidenceAt = T0 + 30 * MINUTE;

  it('when no final bill came 15 minutes after the last sample, then 1 and a provisional estimate', () => {
    const bill = theBillOf({ events: [start, ...samples], nowMs: lastEvidenceAt + 15 * MINUTE });
    expect(bill.codes).toEqual([1]);
    const lost = anomalyOf(bill, 1);
    expect(lost.rule).toBe('no-final-bill');
    expect(lost.evidence.journalIds).toEqual(idsOf(start, ...samples));
    expect(lost.evidence.values).toEqual({
      lastEvidenceAt: String(lastEvidenceAt),
      checkedAt: String(lastEvidenceAt + 15 * MINUTE),
    });
    expect(bill.status).toBe('provisional');
    expect(bill.energySource).toBe('estimate');
    expect(bill.energyWh.toString()).toBe('15000');
  });

  it('when the 15 minutes of grace have not passed, then no code yet', () => {
    const bill = theBillOf({ events: [start, ...samples], nowMs: lastEvidenceAt + 15 * MINUTE - 1 });
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('provisional');
  });

  // The pile sent its StopTransaction 2 minutes after the last sample and we refused it.
  const refusedStop = refused({ at: lastEvidenceAt + 2 * MINUTE, transactionId: 1 });

  it('when we refused its StopTransaction, then 1 tx-message-refused at once, before the grace is out', () => {
    const bill = theBillOf({ events: [start, ...samples], refused: [refusedStop], nowMs: lastEvidenceAt + 3 * MINUTE });
    expect(bill.codes).toEqual([1]);
    const lost = anomalyOf(bill, 1);
    expect(lost.rule).toBe('tx-message-refused');
    expect(lost.evidence.journalIds).toEqual([refusedStop.journalId, ...idsOf(start, ...samples)]);
    expect(lost.evidence.values).toEqual({
      action: 'StopTransaction',
      reason: refusedStop.reason,
      refusedAt: String(refusedStop.receivedAt),
      refusedMessages: '1',
    });
    expect(bill.status).toBe('provisional');
  });

  it('when the refused stop is followed by a valid one, then no code', () => {
    const session = aChargingSession({ startAt: T0 });
    const first = refused({ at: session.stopAt - SECOND, transactionId: session.started.transactionId });
    const bill = theBillOf({ events: session.events, refused: [first], nowMs: session.stopAt + MINUTE });
    expect(bill.codes).toEqual([]);
  });

  it('when a refused MeterValues names no transaction, then it belongs to the session open on its connector', () => {
    const meter = refused({ at: lastEvidenceAt + MINUTE, action: 'MeterValues', connectorId: 1, transactionId: null });
    const bill = theBillOf({ events: [start, ...samples], refused: [meter], nowMs: lastEvidenceAt + 2 * MINUTE });
    expect(anomalyOf(bill, 1).rule).toBe('tx-message-refused');
  });

  it('when the refused message is of another connector or another transaction, then no code yet', () => {
    const elsewhere = refused({
      at: lastEvidenceAt + MINUTE,
      action: 'MeterValues',
      connectorId: 2,
      transactionId: null,
    });
    const otherTx = refused({ at: lastEvidenceAt + MINUTE, transactionId: 7 });
    const bill = theBillOf({
      events: [start, ...samples],
      refused: [elsewhere, otherTx],
      nowMs: lastEvidenceAt + 2 * MINUTE,
    });
    expect(bill.codes).toEqual([]);
  });

  it("when it was refused before the session began, then it is not the session's", () => {
    const early = refused({ at: T0 - MINUTE, action: 'MeterValues', connectorId: 1, transactionId: null });
    const bill = theBillOf({ events: [start, ...samples], refused: [early], nowMs: lastEvidenceAt + 2 * MINUTE });
    expect(bill.codes).toEqual([]);
  });
});

describe('code 2, bill lost while the pile was offline', () => {
  const start = started({ at: T0, meterStartWh: 100_000 });
  const charging = status({ at: T0 + SECOND, state: 'charging' });
  const samples = linearSamples({
    fromMs: T0 + 5 * MINUTE,
    toMs: T0 + 20 * MINUTE,
    everyMs: 5 * MINUTE,
    fromWh: 102_500,
    toWh: 110_000,
  });
  const reconnectAt = T0 + 40 * MINUTE;
  const faulted = status({ at: reconnectAt, state: 'faulted' });
  const available = status({ at: reconnectAt + 5 * SECOND, state: 'available' });
  const reconnected = {
    events: [start, charging, ...samples, faulted, available],
    offline: [{ fromMs: T0 + 21 * MINUTE, toMs: reconnectAt }],
  };

  it('when no replay came 30 minutes after the pile reconnected, then 2 with the offline span and the state that tells why', () => {
    const bill = theBillOf({ ...reconnected, nowMs: reconnectAt + 30 * MINUTE });
    expect(bill.codes).toEqual([2]);
    const lost = anomalyOf(bill, 2);
    expect(lost.rule).toBe('no-final-bill-offline');
    expect(lost.evidence.journalIds).toEqual(idsOf(start, ...samples, faulted));
    expect(lost.evidence.values).toEqual({
      lastEvidenceAt: String(T0 + 20 * MINUTE),
      offline: `${T0 + 21 * MINUTE}–${reconnectAt}`,
      lastState: 'faulted',
      checkedAt: String(reconnectAt + 30 * MINUTE),
    });
    expect(lost.evidence.threshold).toBe('1800000 ms grace after reconnect');
    expect(bill.status).toBe('provisional');
  });

  it('when the 30 minutes after reconnecting have not passed, then no code yet', () => {
    const bill = theBillOf({ ...reconnected, nowMs: reconnectAt + 30 * MINUTE - 1 });
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('provisional');
  });

  const stillOffline = { events: [start, charging, ...samples], offline: [{ fromMs: T0 + 21 * MINUTE, toMs: null }] };

  it('when the pile is still offline 72 hours after the start, then 2 at the hard deadline', () => {
    const bill = theBillOf({ ...stillOffline, nowMs: T0 + 72 * HOUR });
    expect(bill.codes).toEqual([2]);
    const lost = anomalyOf(bill, 2);
    expect(lost.rule).toBe('no-final-bill-offline');
    expect(lost.evidence.values).toMatchObject({ offline: `${T0 + 21 * MINUTE}–open`, lastState: 'charging' });
    expect(lost.evidence.journalIds).toContain(charging.journalId);
    expect(lost.evidence.threshold).toBe(`${72 * HOUR} ms hard deadline`);
    expect(bill.status).toBe('provisional');
  });

  it('when the pile is still offline just before the 72-hour deadline, then no code: a replay may still come', () => {
    const bill = theBillOf({ ...stillOffline, nowMs: T0 + 72 * HOUR - 1 });
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('provisional');
  });
});

describe('code 3, time anomaly', () => {
  it.each([
    ['10 s before', -10 * SECOND],
    ['at the same second as', 0],
  ])('when the pile stamps its stop %s its start, then 3 stop-not-after-start', (_, stopOffsetMs) => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const stop = stopped({ at: T0 + stopOffsetMs, meterStopWh: 100_000, receivedAt: T0 + 30 * SECOND });
    const bill = theBillOf({ events: [start, stop], nowMs: T0 + HOUR });
    const time = anomalyOf(bill, 3);
    expect(time.rule).toBe('stop-not-after-start');
    expect(time.evidence.journalIds).toEqual(idsOf(start, stop));
    expect(time.evidence.values).toEqual({ startMs: String(T0), stopMs: String(T0 + stopOffsetMs) });
    expect(bill.codes).toEqual([3, 5]);
    expect(bill.status).toBe('settled');
  });

  it('when the stop is stamped 1 s after the start, then no time anomaly', () => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const stop = stopped({ at: T0 + SECOND, meterStopWh: 100_000, receivedAt: T0 + 30 * SECOND });
    expect(theBillOf({ events: [start, stop], nowMs: T0 + HOUR }).codes).toEqual([]);
  });

  const epochMs = DEFAULT_BILLING_PARAMS.epochMinMs;

  it('when the pile stamps its start before 1 Jan 2018, then 3 before-epoch on the frames stamped before it', () => {
    const session = aChargingSession({ startAt: epochMs - 30 * MINUTE });
    const bill = theBillOf({ events: session.events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([3]);
    const time = anomalyOf(bill, 3);
    expect(time.rule).toBe('before-epoch');
    const early = session.samples.filter((s) => s.atMs < epochMs);
    expect(time.evidence.journalIds).toEqual(idsOf(session.started, ...early));
    expect(time.evidence.values).toEqual({ atMs: String(epochMs - 30 * MINUTE) });
    expect(time.evidence.threshold).toBe(String(epochMs));
    expect(bill.status).toBe('settled');
  });

  it('when the pile stamps its start at 1 Jan 2018 exactly, then no time anomaly', () => {
    const session = aChargingSession({ startAt: epochMs });
    expect(theBillOf({ events: session.events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  it('when the pile clock runs 300.001 s ahead of ours, then 3 in-future on every frame of the session', () => {
    const session = aChargingSession({ startAt: T0 });
    const bill = theBillOf({ events: withPileClock(session.events, 300_001), nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([3]);
    const time = anomalyOf(bill, 3);
    expect(time.rule).toBe('in-future');
    expect([...time.evidence.journalIds].sort()).toEqual(
      idsOf(session.started, session.stopped, ...session.samples).sort(),
    );
    expect(time.evidence.values).toEqual({ atMs: String(T0), receivedAt: String(T0 - 300_001) });
    expect(time.evidence.threshold).toBe('300000 ms');
    expect(bill.status).toBe('settled');
  });

  it('when a live pile clock runs 300.001 s behind ours, then 3 clock-skew', () => {
    const session = aChargingSession({ startAt: T0 });
    const bill = theBillOf({ events: withPileClock(session.events, -300_001), nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([3]);
    const time = anomalyOf(bill, 3);
    expect(time.rule).toBe('clock-skew');
    expect(time.evidence.journalIds).toContain(session.stopped.journalId);
    expect(time.evidence.values).toEqual({ atMs: String(T0), receivedAt: String(T0 + 300_001) });
    expect(bill.status).toBe('settled');
  });

  it.each([
    ['ahead', 300_000],
    ['behind', -300_000],
  ])('when the pile clock runs exactly 300 s %s, then no time anomaly', (_, offsetMs) => {
    const session = aChargingSession({ startAt: T0 });
    expect(theBillOf({ events: withPileClock(session.events, offsetMs), nowMs: session.stopAt + HOUR }).codes).toEqual(
      [],
    );
  });

  it('when an offline-card start reaches us 20 minutes late after the pile reconnects, then its old timestamp is no time anomaly', () => {
    const { events, offline } = replayedStart();
    expect(theBillOf({ events, offline, nowMs: T0 + 2 * HOUR }).codes).toEqual([]);
  });

  /** The by-the-book session and one more sample stamped `atMs` that reaches us live at T0 + 33 min, after the 30-minute one. */
  const arrivingAfterThe30MinuteSample = (atMs: number, registerWh: number) => {
    const session = aChargingSession({ startAt: T0 });
    const late = sampled({ at: atMs, registerWh, receivedAt: T0 + 33 * MINUTE });
    const before = session.samples.find((s) => s.atMs === T0 + 30 * MINUTE)!;
    return { session, late, before, events: [...session.events, late] };
  };

  it('when a live sample reaching us after the 30-minute one is stamped 1 s before it, then 3 samples-not-monotonic', () => {
    const { session, late, before, events } = arrivingAfterThe30MinuteSample(T0 + 30 * MINUTE - SECOND, 114_990);
    const bill = theBillOf({ events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([3]);
    const time = anomalyOf(bill, 3);
    expect(time.rule).toBe('samples-not-monotonic');
    expect(time.evidence.journalIds).toEqual(idsOf(before, late));
    expect(time.evidence.values).toEqual({
      previousAtMs: String(T0 + 30 * MINUTE),
      atMs: String(T0 + 30 * MINUTE - SECOND),
    });
    expect(time.evidence.threshold).toBeNull();
    expect(bill.status).toBe('settled');
  });

  it('when that sample is stamped at the same instant as the 30-minute one, then equal stamps are no time anomaly', () => {
    // Another reading, not a copy: a pile whose clock ticks in whole seconds may stamp two alike.
    const { session, events } = arrivingAfterThe30MinuteSample(T0 + 30 * MINUTE, 115_010);
    expect(theBillOf({ events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  it('when that sample was queued while the pile was offline and replayed on reconnecting, then its old stamp is no time anomaly', () => {
    const { session, events } = arrivingAfterThe30MinuteSample(T0 + 30 * MINUTE - SECOND, 114_990);
    const offline = [{ fromMs: T0 + 30 * MINUTE + 10 * SECOND, toMs: T0 + 32 * MINUTE }];
    expect(theBillOf({ events, offline, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  it('when the 30-minute sample is resent after a later one, then the copy is no time anomaly', () => {
    const session = aChargingSession({ startAt: T0 });
    const before = session.samples.find((s) => s.atMs === T0 + 30 * MINUTE)!;
    const later = sampled({ at: T0 + 32 * MINUTE + 30 * SECOND, registerWh: 116_250 });
    const copy = resentMessage(before, T0 + 33 * MINUTE);
    const bill = theBillOf({ events: [...session.events, later, copy], nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([]);
  });

  it('when one MeterValues call carries a reading stamped before the one ahead of it, then 3 samples-not-monotonic on that call', () => {
    const session = aChargingSession({ startAt: T0 });
    const call = sampledBatch({
      readings: [
        { at: T0 + 31 * MINUTE, registerWh: 115_500 },
        { at: T0 + 30 * MINUTE + 30 * SECOND, registerWh: 115_250 },
      ],
      receivedAt: T0 + 31 * MINUTE,
    });
    const bill = theBillOf({ events: [...session.events, call], nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([3]);
    const time = anomalyOf(bill, 3);
    expect(time.rule).toBe('samples-not-monotonic');
    expect(time.evidence.journalIds).toEqual([call.journalId]);
    expect(time.evidence.values).toEqual({
      previousAtMs: String(T0 + 31 * MINUTE),
      atMs: String(T0 + 30 * MINUTE + 30 * SECOND),
    });
  });
});

/** A session started offline (offline card): start and early samples replayed on reconnecting at T0 + 20 min. */
function replayedStart() {
  const reconnectAt = T0 + 20 * MINUTE;
  const session = aChargingSession({ startAt: T0 });
  const events = session.events.map((e) =>
    e.atMs <= reconnectAt ? { ...e, receivedAt: reconnectAt + 2 * SECOND } : e,
  );
  return { events, offline: [{ fromMs: T0 - 10 * MINUTE, toMs: reconnectAt }], session };
}

describe('code 4, energy anomaly', () => {
  it('when the pile stops at a register below its start, then 4 negative-energy and register-backwards, billed from the platform and held', () => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const samples = linearSamples({
      fromMs: T0,
      toMs: T0 + 30 * MINUTE,
      everyMs: 5 * MINUTE,
      fromWh: 100_000,
      toWh: 115_000,
    });
    const stop = stopped({ at: T0 + 40 * MINUTE, meterStopWh: 99_000 });
    const unplug = status({ at: T0 + 42 * MINUTE, state: 'available' });
    const bill = theBillOf({ events: [start, ...samples, stop, unplug], nowMs: T0 + 2 * HOUR });
    expect(bill.codes).toEqual([4]);
    const negative = bill.anomalies.find((a) => a.rule === 'negative-energy');
    expect(negative?.evidence.values).toMatchObject({ figure: 'device-registers', energyWh: '-1000' });
    const backwards = bill.anomalies.find((a) => a.rule === 'register-backwards');
    expect(backwards?.evidence.journalIds).toEqual([stop.journalId]);
    expect(backwards?.evidence.values).toEqual({ atMs: String(T0 + 40 * MINUTE), registerWh: '99000' });
    expect(bill.energySource).toBe('platform-registers');
    expect(bill.energyWh.toString()).toBe('15000');
    expect(bill.status).toBe('held');
  });

  it('when the pile bill totals −500 Wh over registers that rose, then 4 negative-energy on the device total', () => {
    const session = aChargingSession({ startAt: T0 });
    const bill = theBillOf({
      events: [
        ...session.events,
        deviceBill({
          startAt: T0,
          stopAt: session.stopAt,
          registerStartWh: 100_000,
          registerStopWh: 130_000,
          energyWh: -500,
          amountFen: 5700,
        }),
      ],
      nowMs: session.stopAt + HOUR,
    });
    // The pile's bill also leaves out what its registers saw: 11.
    expect(bill.codes).toEqual([4, 11]);
    expect(anomalyOf(bill, 4).rule).toBe('negative-energy');
    expect(anomalyOf(bill, 4).evidence.values).toMatchObject({ figure: 'device-total', energyWh: '-500' });
    expect(bill.status).toBe('held');
  });

  it('when the pile stops at the register it started at, then 0 Wh is no energy anomaly', () => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const stop = stopped({ at: T0 + 20 * MINUTE, meterStopWh: 100_000 });
    const bill = theBillOf({
      events: [start, stop, status({ at: T0 + 21 * MINUTE, state: 'available' })],
      nowMs: T0 + HOUR,
    });
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('settled');
  });

  // 7 kW × 1.1 × 1 h + 200 Wh slack = 7,900 Wh; 5-minute steps of 658 Wh pass the register check.
  const sevenKw = [{ connectorId: 1, maxPowerW: 7_000 }];

  it('when a 7 kW connector delivers 7,901 Wh in one hour, then 4 above-max-power and held', () => {
    const session = aChargingSession({ startAt: T0, energyWh: 7_901 });
    const bill = theBillOf({ events: session.events, connectors: sevenKw, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([4]);
    const energy = anomalyOf(bill, 4);
    expect(energy.rule).toBe('above-max-power');
    expect(energy.evidence.values).toEqual({ figure: 'billed', energyWh: '7901', limitWh: '7900', capWh: '200000' });
    expect(energy.evidence.threshold).toBe('7000 W × (1 + 0.1) + 200 Wh');
    expect(energy.evidence.journalIds).toEqual(idsOf(session.started, session.stopped, ...session.samples));
    expect(bill.status).toBe('held');
  });

  it('when a 7 kW connector delivers 7,900 Wh in one hour, then no energy anomaly', () => {
    const session = aChargingSession({ startAt: T0, energyWh: 7_900 });
    const bill = theBillOf({ events: session.events, connectors: sevenKw, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('settled');
  });

  it('when one session takes 200,001 Wh, then 4 above-session-cap and held', () => {
    const session = aChargingSession({ startAt: T0, minutes: 120, energyWh: 200_001 });
    const bill = theBillOf({ events: session.events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([4]);
    const energy = anomalyOf(bill, 4);
    expect(energy.rule).toBe('above-session-cap');
    expect(energy.evidence.values).toEqual({
      figure: 'billed',
      energyWh: '200001',
      limitWh: '264200',
      capWh: '200000',
    });
    expect(energy.evidence.threshold).toBe('200000 Wh');
    expect(bill.status).toBe('held');
  });

  it('when one session takes 200,000 Wh, then no energy anomaly', () => {
    const session = aChargingSession({ startAt: T0, minutes: 120, energyWh: 200_000 });
    expect(theBillOf({ events: session.events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  /** The by-the-book session with one more sample half-way between the 30- and 35-minute ones (register 115,000 → 117,500). */
  const withSampleAt32m30s = (registerWh: number) => {
    const session = aChargingSession({ startAt: T0 });
    const odd = sampled({ at: T0 + 32 * MINUTE + 30 * SECOND, registerWh });
    return { session, odd, events: [...session.events, odd] };
  };

  it('when the register reads 0 inside the session, then 4 register-zero on that sample and held', () => {
    const { session, odd, events } = withSampleAt32m30s(0);
    const bill = theBillOf({ events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([4]);
    const energy = anomalyOf(bill, 4);
    expect(energy.rule).toBe('register-zero');
    expect(energy.evidence.journalIds).toEqual([odd.journalId]);
    expect(energy.evidence.values).toEqual({ atMs: String(odd.atMs), registerWh: '0' });
    expect(bill.energyWh.toString()).toBe('30000');
    expect(bill.status).toBe('held');
  });

  it('when the register read 0 only before the session (field case A), then no energy anomaly on the bill', () => {
    const session = aChargingSession({ startAt: T0 });
    const zero = heartbeatRegister({ at: T0 - 2 * MINUTE, registerWh: 0, state: 'preparing' });
    const bill = theBillOf({ events: [zero, ...session.events], nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([]);
    expect(bill.energyWh.toString()).toBe('30000');
  });

  it('when the register goes back 10 Wh inside the session, then 4 register-backwards and held', () => {
    const { session, odd, events } = withSampleAt32m30s(114_990);
    const bill = theBillOf({ events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([4]);
    expect(anomalyOf(bill, 4).rule).toBe('register-backwards');
    expect(anomalyOf(bill, 4).evidence.journalIds).toEqual([odd.journalId]);
    expect(bill.status).toBe('held');
  });

  it('when the register stands still inside the session, then no energy anomaly', () => {
    const { session, events } = withSampleAt32m30s(115_000);
    expect(theBillOf({ events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  // 120 kW × 1.1 × 5 min + 200 Wh slack = 11,200 Wh: the most the register may rise in 5 minutes.
  const risingBy = (riseWh: number) => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const early = linearSamples({
      fromMs: T0,
      toMs: T0 + 30 * MINUTE,
      everyMs: 5 * MINUTE,
      fromWh: 100_000,
      toWh: 115_000,
    });
    const step = sampled({ at: T0 + 35 * MINUTE, registerWh: 115_000 + riseWh });
    const late = [127_000, 128_500, 130_000].map((registerWh, i) =>
      sampled({ at: T0 + (40 + 10 * i) * MINUTE, registerWh }),
    );
    const stop = stopped({ at: T0 + HOUR, meterStopWh: 130_000 });
    return {
      step,
      events: [start, ...early, step, ...late, stop, status({ at: T0 + 62 * MINUTE, state: 'available' })],
    };
  };

  it('when the register jumps 11,201 Wh in 5 minutes and falls back into line, then 4 register-jump on that sample and held', () => {
    const { step, events } = risingBy(11_201);
    const bill = theBillOf({ events, nowMs: T0 + 2 * HOUR });
    expect(bill.codes).toEqual([4]);
    const energy = anomalyOf(bill, 4);
    expect(energy.rule).toBe('register-jump');
    expect(energy.evidence.journalIds).toEqual([step.journalId]);
    expect(energy.evidence.values).toEqual({ atMs: String(T0 + 35 * MINUTE), registerWh: '126201' });
    expect(bill.energyWh.toString()).toBe('30000');
    expect(bill.status).toBe('held');
  });

  it('when the register rises 11,200 Wh in 5 minutes, the most a 120 kW connector can, then no energy anomaly', () => {
    const { events } = risingBy(11_200);
    expect(theBillOf({ events, nowMs: T0 + 2 * HOUR }).codes).toEqual([]);
  });

  it('when the register jumps 30 kWh inside the session and carries on from there, then 4 register-discontinuity and held', () => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const early = linearSamples({
      fromMs: T0,
      toMs: T0 + 30 * MINUTE,
      everyMs: 5 * MINUTE,
      fromWh: 100_000,
      toWh: 115_000,
    });
    const late = linearSamples({
      fromMs: T0 + 35 * MINUTE,
      toMs: T0 + HOUR,
      everyMs: 5 * MINUTE,
      fromWh: 145_000,
      toWh: 155_000,
    });
    const stop = stopped({ at: T0 + HOUR, meterStopWh: 155_000 });
    const bill = theBillOf({ events: [start, ...early, ...late, stop], nowMs: T0 + 2 * HOUR });
    expect(bill.codes).toContain(4);
    const jump = bill.anomalies.find((a) => a.rule === 'register-discontinuity');
    expect(jump?.evidence.journalIds).toEqual([early.at(-1)!.journalId, late[0]!.journalId]);
    expect(jump?.evidence.values).toEqual({ deltaWh: '30000' });
    expect(bill.status).toBe('held');
  });
});

describe('code 5, duration anomaly', () => {
  it('when the pile stops at the second it started, then 5 non-positive-duration', () => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const stop = stopped({ at: T0, meterStopWh: 100_000 });
    const bill = theBillOf({ events: [start, stop], nowMs: T0 + HOUR });
    expect(bill.codes).toContain(5);
    const duration = anomalyOf(bill, 5);
    expect(duration.rule).toBe('non-positive-duration');
    expect(duration.evidence.values).toEqual({ durationMs: '0', energyWh: '0' });
    expect(duration.evidence.journalIds).toEqual(idsOf(start, stop));
    expect(bill.status).toBe('settled');
  });

  it('when a session runs 24 h and 1 ms, then 5 too-long', () => {
    const session = aChargingSession({ startAt: T0, durationMs: 24 * HOUR + 1 });
    const bill = theBillOf({ events: session.events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([5]);
    const duration = anomalyOf(bill, 5);
    expect(duration.rule).toBe('too-long');
    expect(duration.evidence.values).toEqual({ durationMs: String(24 * HOUR + 1), energyWh: '30000' });
    expect(duration.evidence.threshold).toBe(`${24 * HOUR} ms`);
    expect(bill.status).toBe('settled');
  });

  it('when a session runs 24 h exactly, then no duration anomaly', () => {
    const session = aChargingSession({ startAt: T0, minutes: 24 * 60 });
    expect(theBillOf({ events: session.events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  it('when 101 Wh flow in 59 s, then 5 too-short-for-energy', () => {
    const session = aChargingSession({ startAt: T0, durationMs: 59 * SECOND, energyWh: 101 });
    const bill = theBillOf({ events: session.events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([5]);
    const duration = anomalyOf(bill, 5);
    expect(duration.rule).toBe('too-short-for-energy');
    expect(duration.evidence.values).toEqual({ durationMs: '59000', energyWh: '101' });
    expect(bill.status).toBe('settled');
  });

  it.each([
    ['101 Wh flow in 60 s', 60 * SECOND, 101],
    ['100 Wh flow in 59 s', 59 * SECOND, 100],
  ])('when %s, then no duration anomaly', (_, durationMs, energyWh) => {
    const session = aChargingSession({ startAt: T0, durationMs, energyWh });
    expect(theBillOf({ events: session.events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  /** A charging session with `energyWh` on the register over `ranMs`, and `states` reported in between. */
  const ghost = (
    ranMs: number,
    energyWh: number,
    states: readonly ('suspended-ev' | 'finishing' | 'suspended-evse')[] = [],
  ) => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const charging = status({ at: T0 + SECOND, state: 'charging' });
    const between = states.map((state, i) => status({ at: T0 + (i + 1) * MINUTE, state }));
    const stop = stopped({ at: T0 + ranMs, meterStopWh: 100_000 + energyWh });
    const unplug = status({ at: T0 + ranMs + MINUTE, state: 'available' });
    return { start, stop, events: [start, charging, ...between, stop, unplug] };
  };

  it('when a charging session shows no energy for 30 min and 1 ms with no SuspendedEV or Finishing, then 5 no-energy (a ghost)', () => {
    const { start, stop, events } = ghost(30 * MINUTE + 1, 0);
    const bill = theBillOf({ events, nowMs: T0 + 2 * HOUR });
    expect(bill.codes).toEqual([5]);
    const duration = anomalyOf(bill, 5);
    expect(duration.rule).toBe('no-energy');
    expect(duration.evidence.values).toEqual({ ranMs: String(30 * MINUTE + 1), energyWh: '0' });
    expect(duration.evidence.journalIds).toEqual(idsOf(start, stop));
    expect(bill.status).toBe('settled');
  });

  it('when the car was suspended (SuspendedEVSE is the pile, not the car), then it is still a ghost', () => {
    expect(
      theBillOf({ events: ghost(31 * MINUTE, 99, ['suspended-evse']).events, nowMs: T0 + 2 * HOUR }).codes,
    ).toEqual([5]);
  });

  it.each([
    ['the car reported SuspendedEV', ghost(31 * MINUTE, 0, ['suspended-ev'])],
    ['the pile reported Finishing', ghost(31 * MINUTE, 0, ['finishing'])],
    ['it lasted 30 min exactly', ghost(30 * MINUTE, 0)],
    ['100 Wh flowed', ghost(31 * MINUTE, 100)],
  ])('when a session without energy is explained because %s, then no duration anomaly', (_, { events }) => {
    expect(theBillOf({ events, nowMs: T0 + 2 * HOUR }).codes).toEqual([]);
  });
});

describe('code 6, occupancy anomaly', () => {
  it('when the car stays plugged in 12 h and 1 ms after charging, then 6 long-occupancy', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: 12 * HOUR + 1 });
    const bill = theBillOf({ events: session.events, nowMs: session.stopAt + 13 * HOUR });
    expect(bill.codes).toEqual([6]);
    const occupancy = anomalyOf(bill, 6);
    expect(occupancy.rule).toBe('long-occupancy');
    expect(occupancy.evidence.values).toEqual({ occupancyMs: String(12 * HOUR + 1) });
    expect(occupancy.evidence.journalIds).toEqual(idsOf(session.stopped, session.plugOut!));
    expect(occupancy.evidence.threshold).toBe(`${12 * HOUR} ms`);
    expect(bill.occupancyMs).toBe(12 * HOUR + 1);
    expect(bill.status).toBe('settled');
  });

  it('when the car stays plugged in 12 h exactly, then no occupancy anomaly', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: 12 * HOUR });
    expect(theBillOf({ events: session.events, nowMs: session.stopAt + 13 * HOUR }).codes).toEqual([]);
  });

  it('when no plug-out is seen 24 h and 1 ms after charging, then 6 plug-out-unknown', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: null });
    const bill = theBillOf({ events: session.events, nowMs: session.stopAt + 24 * HOUR + 1 });
    expect(bill.codes).toEqual([6]);
    const occupancy = anomalyOf(bill, 6);
    expect(occupancy.rule).toBe('plug-out-unknown');
    expect(occupancy.evidence.values).toEqual({
      stopMs: String(session.stopAt),
      checkedAt: String(session.stopAt + 24 * HOUR + 1),
    });
    expect(occupancy.evidence.journalIds).toEqual([session.stopped.journalId]);
    expect(bill.occupancyMs).toBeNull();
    expect(bill.status).toBe('settled');
  });

  it('when no plug-out is seen yet 24 h after charging, then no occupancy anomaly', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: null });
    expect(theBillOf({ events: session.events, nowMs: session.stopAt + 24 * HOUR }).codes).toEqual([]);
  });

  it('when the pile was offline between the stop and the plug-out, then 6 offline-while-occupied and the occupancy is unknown', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: HOUR });
    const gap = { fromMs: session.stopAt + 10 * MINUTE, toMs: session.stopAt + 50 * MINUTE };
    const bill = theBillOf({ events: session.events, offline: [gap], nowMs: session.stopAt + 2 * HOUR });
    expect(bill.codes).toEqual([6]);
    const occupancy = anomalyOf(bill, 6);
    expect(occupancy.rule).toBe('offline-while-occupied');
    expect(occupancy.evidence.values).toEqual({ stopMs: String(session.stopAt), offline: `${gap.fromMs}–${gap.toMs}` });
    expect(occupancy.evidence.journalIds).toEqual(idsOf(session.stopped, session.plugOut!));
    expect(bill.occupancyMs).toBeNull();
    expect(bill.status).toBe('settled');
  });

  it('when the pile went offline 1 s after the plug-out, then no occupancy anomaly and the occupancy is known', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: HOUR });
    const gap = { fromMs: session.plugOut!.atMs + SECOND, toMs: session.plugOut!.atMs + HOUR };
    const bill = theBillOf({ events: session.events, offline: [gap], nowMs: session.stopAt + 3 * HOUR });
    expect(bill.codes).toEqual([]);
    expect(bill.occupancyMs).toBe(HOUR);
  });

  // A Shanghai-style 占位费 (domain.md §A3.6): 30 free minutes, then 1 yuan a minute, at most 50 yuan.
  const idleFee = (capYuan: string | null) =>
    aTariff({ idleFee: { freeMinutes: 30, pricePerMinute: '1.00000', capYuan } });
  const idleLineOf = (bill: BillDraft) => bill.lines.find((l) => l.kind === 'idle');

  it('when the car stays plugged in 81 minutes, then 51 yuan of idle fee is charged at the 50-yuan cap with 6 idle-fee-over-cap', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: 81 * MINUTE });
    const bill = theBillOf({ events: session.events, tariff: idleFee('50.00'), nowMs: session.stopAt + 2 * HOUR });
    expect(bill.codes).toEqual([6]);
    const occupancy = anomalyOf(bill, 6);
    expect(occupancy.rule).toBe('idle-fee-over-cap');
    expect(occupancy.evidence.values).toEqual({
      uncappedFen: '5100',
      capFen: '5000',
      idleMinutes: '81',
      chargedMinutes: '51',
    });
    expect(occupancy.evidence.threshold).toBe('5000 fen');
    expect(occupancy.evidence.journalIds).toEqual(idsOf(session.stopped, session.plugOut!));
    expect(idleLineOf(bill)?.quantity.toString()).toBe('51');
    expect(idleLineOf(bill)?.amountFen.toString()).toBe('5000');
    // 30 kWh at 1.10 + 0.80 yuan is 5,700 fen, and the capped idle fee.
    expect(bill.totalFen.toString()).toBe('10700');
    expect(bill.status).toBe('settled');
  });

  it.each([
    ['80 minutes', 80 * MINUTE],
    ['80 minutes and 59 s (a started minute is not charged)', 81 * MINUTE - SECOND],
  ])(
    'when the car stays plugged in %s, then the 50 yuan of idle fee is at the cap and no occupancy anomaly',
    (_, plugOutAfterMs) => {
      const session = aChargingSession({ startAt: T0, plugOutAfterMs });
      const bill = theBillOf({ events: session.events, tariff: idleFee('50.00'), nowMs: session.stopAt + 2 * HOUR });
      expect(bill.codes).toEqual([]);
      expect(idleLineOf(bill)?.quantity.toString()).toBe('50');
      expect(idleLineOf(bill)?.amountFen.toString()).toBe('5000');
    },
  );

  it('when the tariff has no cap, then 81 minutes are charged in full and no occupancy anomaly', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: 81 * MINUTE });
    const bill = theBillOf({ events: session.events, tariff: idleFee(null), nowMs: session.stopAt + 2 * HOUR });
    expect(bill.codes).toEqual([]);
    expect(idleLineOf(bill)?.amountFen.toString()).toBe('5100');
  });

  it('when the car stays plugged in 12 h and 1 ms under a capped idle fee, then 6 carries both long-occupancy and idle-fee-over-cap', () => {
    const session = aChargingSession({ startAt: T0, plugOutAfterMs: 12 * HOUR + 1 });
    const bill = theBillOf({ events: session.events, tariff: idleFee('50.00'), nowMs: session.stopAt + 13 * HOUR });
    expect(bill.codes).toEqual([6]);
    expect(bill.anomalies.map((a) => a.rule)).toEqual(['long-occupancy', 'idle-fee-over-cap']);
    expect(bill.anomalies[1]!.evidence.values).toEqual({
      uncappedFen: '69000',
      capFen: '5000',
      idleMinutes: '720',
      chargedMinutes: '690',
    });
    expect(idleLineOf(bill)?.amountFen.toString()).toBe('5000');
  });
});

describe('code 7, overlap', () => {
  /** Two sessions on connector 1, the second starting `overlapMs` before the first stops, its register going on from there. */
  const overlapping = (overlapMs: number) => {
    const first = aChargingSession({ startAt: T0, transactionId: 1, plugOutAfterMs: null });
    const second = aChargingSession({ startAt: first.stopAt - overlapMs, transactionId: 2, fromWh: 130_000 });
    return { first, second, events: [...first.events, ...second.events] };
  };

  it('when a session starts 61 s before the previous one on its connector stops, then 7 time-overlap on the later one, which is held', () => {
    const { first, second, events } = overlapping(61 * SECOND);
    const [earlier, later] = billsOf({ events, nowMs: second.stopAt + HOUR });
    expect(earlier!.codes).toEqual([]);
    expect(earlier!.status).toBe('settled');
    expect(later!.codes).toEqual([7]);
    const overlap = anomalyOf(later!, 7);
    expect(overlap.rule).toBe('time-overlap');
    expect(overlap.evidence.values).toEqual({ other: 'tx:1', overlapMs: '61000' });
    expect(overlap.evidence.journalIds).toEqual(
      expect.arrayContaining(idsOf(first.started, first.stopped, second.started, second.stopped)),
    );
    expect(later!.status).toBe('held');
  });

  it.each([60 * SECOND, 59 * SECOND])('when the sessions overlap by %i ms, then no overlap', (overlapMs) => {
    const { second, events } = overlapping(overlapMs);
    const bills = billsOf({ events, nowMs: second.stopAt + HOUR });
    expect(bills.map((b) => b.codes)).toEqual([[], []]);
    expect(bills.map((b) => b.status)).toEqual(['settled', 'settled']);
  });

  /** The pile resent its StartTransaction 2 s later and got a second transaction; both got a stop. */
  const resent = (secondStopWh: number) => {
    const first = aChargingSession({ startAt: T0, transactionId: 1 });
    const again = started({ at: T0 + 2 * SECOND, transactionId: 2, meterStartWh: 100_000 });
    const againStop = stopped({ at: first.stopAt, transactionId: 2, meterStopWh: secondStopWh });
    return { first, again, againStop, events: [...first.events, again, againStop] };
  };

  it('when two sessions carry the same registers, then 7 duplicate on the later one, which is void', () => {
    const { first, again, againStop, events } = resent(130_000);
    const [original, duplicate] = billsOf({ events, nowMs: first.stopAt + HOUR });
    expect(original!.codes).toEqual([]);
    expect(original!.status).toBe('settled');
    expect(duplicate!.sessionKey).toBe('tx:2');
    // (Also 8: started 2 s after the T0 sample, its platform series misses the first 5 minutes.)
    expect(duplicate!.codes).toContain(7);
    const overlap = anomalyOf(duplicate!, 7);
    expect(overlap.rule).toBe('duplicate');
    expect(overlap.evidence.values).toEqual({ other: 'tx:1', startWh: '100000', stopWh: '130000' });
    expect(overlap.evidence.journalIds).toEqual(expect.arrayContaining(idsOf(first.started, again, againStop)));
    expect(duplicate!.status).toBe('void');
  });

  it('when the second session stops 1 Wh further on, then it is no duplicate but a time overlap, held and not void', () => {
    const { first, events } = resent(130_001);
    const later = billsOf({ events, nowMs: first.stopAt + HOUR })[1]!;
    expect(later.codes).toContain(7);
    expect(anomalyOf(later, 7).rule).toBe('time-overlap');
    expect(later.status).toBe('held');
  });

  it('when two sessions a day apart both delivered nothing at the same register, then neither is a duplicate', () => {
    const today = aChargingSession({ startAt: T0, minutes: 20, energyWh: 0, transactionId: 1 });
    const tomorrow = aChargingSession({ startAt: T0 + 24 * HOUR, minutes: 20, energyWh: 0, transactionId: 2 });
    const bills = billsOf({ events: [...today.events, ...tomorrow.events], nowMs: tomorrow.stopAt + HOUR });
    expect(bills.map((b) => b.codes)).toEqual([[], []]);
    expect(bills.map((b) => b.status)).toEqual(['settled', 'settled']);
  });

  it('when an empty session was resent at once, then its twin is still a duplicate and void', () => {
    const first = aChargingSession({ startAt: T0, minutes: 20, energyWh: 0, transactionId: 1 });
    const again = started({ at: T0 + 2 * SECOND, transactionId: 2, meterStartWh: 100_000 });
    const againStop = stopped({ at: first.stopAt, transactionId: 2, meterStopWh: 100_000 });
    const later = billsOf({ events: [...first.events, again, againStop], nowMs: first.stopAt + HOUR })[1]!;
    expect(anomalyOf(later, 7).rule).toBe('duplicate');
    expect(later.status).toBe('void');
  });

  /** A second session 10 minutes after the first, starting at `startWh` (the first ended at 130,000 Wh). */
  const nextStartingAt = (startWh: number) => {
    const first = aChargingSession({ startAt: T0, transactionId: 1 });
    const second = aChargingSession({ startAt: first.stopAt + 10 * MINUTE, transactionId: 2, fromWh: startWh });
    return { first, second, events: [...first.events, ...second.events] };
  };

  it('when the next session starts at a register inside the previous one range, then 7 register-overlap on it, held', () => {
    const { second, events } = nextStartingAt(129_000);
    const later = billsOf({ events, nowMs: second.stopAt + HOUR })[1]!;
    const overlap = later.anomalies.find((a) => a.code === 7);
    expect(overlap?.rule).toBe('register-overlap');
    expect(overlap?.evidence.values).toEqual({ other: 'tx:1', startWh: '129000', otherStopWh: '130000' });
    // A register below the last one is also a discontinuity (domain.md §B4, code 11 note).
    expect(later.codes).toEqual([4, 7]);
    expect(later.status).toBe('held');
  });

  it('when the next session starts at the register the previous one stopped at, then no overlap', () => {
    const { second, events } = nextStartingAt(130_000);
    expect(billsOf({ events, nowMs: second.stopAt + HOUR }).map((b) => b.codes)).toEqual([[], []]);
  });
});

describe('code 7, one idTag charging in two places at once', () => {
  /** A session of TAG1 on connector 1 (the builders' default idTag), `minutes` long. */
  const charging = (startAt: number, transactionId: number, minutes = 60) =>
    aChargingSession({ startAt, minutes, transactionId });
  /** A session as another pile's billing stored it. */
  const billOf = (pileId: string, s: ReturnType<typeof charging>, o: Partial<IdTagBill> = {}): IdTagBill => ({
    pileId,
    billNo: `${pileId}-${s.started.transactionId}`,
    sessionKey: `tx:${s.started.transactionId}`,
    connectorId: s.started.connectorId,
    idTag: s.started.idTag,
    startMs: s.started.atMs,
    stopMs: s.stopAt,
    codes: [],
    ...o,
  });
  /** The bill of `s` on `pileId`, judged against the bills of its idTag elsewhere. */
  const judged = (
    pileId: string,
    s: ReturnType<typeof charging>,
    sameIdTag: readonly IdTagBill[],
    params: Scenario['params'] = {},
  ) => theBillOf({ events: s.events, nowMs: s.stopAt + HOUR, pileId, sameIdTag, params });

  it('when a card starts on a second pile 30 min before its session on the first stops, then 7 same-id-tag-concurrent on the later one only, held', () => {
    const first = charging(T0, 1);
    const second = charging(T0 + 30 * MINUTE, 2);

    const earlier = judged('P1', first, [billOf('P2', second)]);
    expect(earlier.codes).toEqual([]);
    expect(earlier.status).toBe('settled');

    const later = judged('P2', second, [billOf('P1', first)]);
    expect(later.codes).toEqual([7]);
    const concurrent = anomalyOf(later, 7);
    expect(concurrent.rule).toBe('same-id-tag-concurrent');
    expect(concurrent.evidence.values).toEqual({ otherBill: 'P1-1', otherPile: 'P1', overlapMs: '1800000' });
    expect(concurrent.evidence.threshold).toBe('60000 ms');
    expect(concurrent.evidence.journalIds).toEqual(expect.arrayContaining(idsOf(second.started, second.stopped)));
    expect(later.status).toBe('held');
  });

  it.each([
    [61 * SECOND, [7]],
    [60 * SECOND, []],
    [59 * SECOND, []],
  ])('when the sessions on two piles overlap by %i ms, then the later has codes %j', (overlapMs, codes) => {
    const first = charging(T0, 1);
    const second = charging(first.stopAt - overlapMs, 2);
    expect(judged('P2', second, [billOf('P1', first)]).codes).toEqual(codes);
  });

  it('when the session has no idTag (the pile sent an empty one), then it is compared with no bill', () => {
    const first = charging(T0, 1);
    const second = charging(T0 + 30 * MINUTE, 2);
    const anonymous = { ...second, events: second.events.map((e) => (e === second.started ? { ...e, idTag: '' } : e)) };
    const bill = judged('P2', anonymous, [billOf('P1', first, { idTag: '' })]);
    expect(bill.idTag).toBe('');
    expect(bill.codes).toEqual([]);
  });

  it('when the other bill has another idTag or none, then it is not compared', () => {
    const first = charging(T0, 1);
    const second = charging(T0 + 30 * MINUTE, 2);
    const others = [billOf('P1', first, { idTag: 'TAG2' }), billOf('P3', first, { idTag: null })];
    expect(judged('P2', second, others).codes).toEqual([]);
  });

  it('when both start at the same instant, then only the one on the pile with the greater id is flagged', () => {
    const onA = charging(T0, 1);
    const onB = charging(T0, 2);
    expect(judged('PA', onA, [billOf('PB', onB)]).codes).toEqual([]);
    expect(anomalyOf(judged('PB', onB, [billOf('PA', onA)]), 7).evidence.values.otherPile).toBe('PA');
  });

  it('when both start at the same instant on two connectors of one pile, then only the greater session key is flagged', () => {
    const one = aChargingSession({ startAt: T0, transactionId: 1, connectorId: 1 });
    const two = aChargingSession({ startAt: T0, transactionId: 2, connectorId: 2 });
    expect(judged('P1', one, [billOf('P1', two)]).codes).toEqual([]);
    const flagged = judged('P1', two, [billOf('P1', one)]);
    expect(anomalyOf(flagged, 7).rule).toBe('same-id-tag-concurrent');
    expect(anomalyOf(flagged, 7).evidence.values.otherBill).toBe('P1-1');
  });

  it('when the other bill is on the same connector, then it is left to the one-connector overlap rule', () => {
    const first = charging(T0, 1);
    const second = charging(T0 + 30 * MINUTE, 2);
    expect(judged('P1', second, [billOf('P1', first)]).codes).toEqual([]);
  });

  it('when the earlier bill has no stop yet, then it counts as still running; once its stop is lost (code 1), not', () => {
    const first = charging(T0, 1);
    const second = charging(T0 + 2 * HOUR, 2);
    expect(judged('P2', second, [billOf('P1', first, { stopMs: null })]).codes).toEqual([7]);
    expect(judged('P2', second, [billOf('P1', first, { stopMs: null, codes: [1] })]).codes).toEqual([]);
    // A session counts for at most maxSessionMs (24 h).
    const nextDay = charging(T0 + 24 * HOUR, 3);
    expect(judged('P2', nextDay, [billOf('P1', first, { stopMs: null })]).codes).toEqual([]);
  });

  it('when the operator allows an idTag concurrent sessions, then neither is flagged', () => {
    const first = charging(T0, 1);
    const second = charging(T0 + 30 * MINUTE, 2);
    const bill = judged('P2', second, [billOf('P1', first)], { allowConcurrentIdTag: true });
    expect(bill.codes).toEqual([]);
  });
});

describe('code 8, energy differs from the platform', () => {
  /** The pile's registers say `deviceWh`; the platform's last sample came 5 minutes before the stop, `platformWh` in. */
  const lastSamplesLost = (deviceWh: number, platformWh: number) => {
    const start = started({ at: T0, meterStartWh: 100_000 });
    const samples = linearSamples({
      fromMs: T0,
      toMs: T0 + 55 * MINUTE,
      everyMs: 5 * MINUTE,
      fromWh: 100_000,
      toWh: 100_000 + platformWh,
    });
    const stop = stopped({ at: T0 + HOUR, meterStopWh: 100_000 + deviceWh });
    return { start, stop, events: [start, ...samples, stop, status({ at: T0 + 62 * MINUTE, state: 'available' })] };
  };

  it.each([
    ['2 % of 20,000 Wh', 20_000, 19_599],
    ['200 Wh', 5_000, 4_799],
  ])(
    'when device and platform differ by more than %s, then 8 energy-differs, billed from the device registers and settled',
    (_, deviceWh, platformWh) => {
      const { start, stop, events } = lastSamplesLost(deviceWh, platformWh);
      const bill = theBillOf({ events, nowMs: T0 + 2 * HOUR });
      expect(bill.codes).toEqual([8]);
      const differs = anomalyOf(bill, 8);
      expect(differs.rule).toBe('energy-differs');
      expect(differs.evidence.values).toEqual({ deviceWh: String(deviceWh), platformWh: String(platformWh) });
      expect(differs.evidence.threshold).toBe('max(200 Wh, 0.02)');
      expect(differs.evidence.journalIds).toEqual(expect.arrayContaining(idsOf(start, stop)));
      expect(bill.energySource).toBe('device-registers');
      expect(bill.energyWh.toString()).toBe(String(deviceWh));
      expect(bill.status).toBe('settled');
    },
  );

  it.each([
    ['2 % of 20,000 Wh', 20_000, 19_600],
    ['200 Wh', 5_000, 4_800],
  ])('when device and platform differ by %s exactly, then no energy mismatch', (_, deviceWh, platformWh) => {
    expect(theBillOf({ events: lastSamplesLost(deviceWh, platformWh).events, nowMs: T0 + 2 * HOUR }).codes).toEqual([]);
  });
});

describe('code 9, duration differs from the platform', () => {
  /** A by-the-book session of `minutes` whose stop frame reached us `lateMs` after its stamp. */
  const stopArrivingLate = (lateMs: number, minutes = 60) => {
    const session = aChargingSession({ startAt: T0, minutes });
    const events = session.events.map((e) => (e === session.stopped ? { ...e, receivedAt: e.atMs + lateMs } : e));
    return { session, events };
  };

  it('when the live stop reached us 121 s after its stamp, then 9 duration-differs', () => {
    const { session, events } = stopArrivingLate(121 * SECOND);
    const bill = theBillOf({ events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([9]);
    const differs = anomalyOf(bill, 9);
    expect(differs.rule).toBe('duration-differs');
    expect(differs.evidence.values).toEqual({ deviceMs: String(HOUR), platformMs: String(HOUR + 121 * SECOND) });
    expect(differs.evidence.threshold).toBe('max(120000 ms, 0.02)');
    expect(differs.evidence.journalIds).toEqual(expect.arrayContaining(idsOf(session.started, session.stopped)));
    expect(bill.status).toBe('settled');
  });

  it('when the live stop reached us 120 s after its stamp, then no duration mismatch', () => {
    const { session, events } = stopArrivingLate(120 * SECOND);
    expect(theBillOf({ events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  // The pile clock is 300 s behind ours at the start and 300 s ahead at the stop (each inside the
  // code 3 skew): its duration is 600 s longer than ours, and 2 % of 8 h is 576 s, of 10 h 720 s.
  const drifting = (hours: number) => {
    const session = aChargingSession({ startAt: T0, minutes: hours * 60 });
    const events = session.events.map((e) =>
      e === session.started
        ? { ...e, receivedAt: e.atMs + 300 * SECOND }
        : e === session.stopped
          ? { ...e, receivedAt: e.atMs - 300 * SECOND }
          : e,
    );
    return { session, events };
  };

  it('when the pile clock drifts 600 s over 8 h, then 9: beyond 2 %', () => {
    const { session, events } = drifting(8);
    const bill = theBillOf({ events, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([9]);
    expect(anomalyOf(bill, 9).evidence.values).toEqual({
      deviceMs: String(8 * HOUR),
      platformMs: String(8 * HOUR - 600 * SECOND),
    });
  });

  it('when the pile clock drifts 600 s over 10 h, then no duration mismatch: inside 2 %', () => {
    const { session, events } = drifting(10);
    expect(theBillOf({ events, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });

  it('when the start was replayed after an offline span, then the platform has no duration of its own and 9 is not checked', () => {
    const { events, offline, session } = replayedStart();
    const bill = theBillOf({ events, offline, nowMs: session.stopAt + HOUR });
    // Had it been checked: the pile says 60 min, the server saw the start 20 min late.
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('settled');
  });
});

describe('code 10, amount differs from the platform', () => {
  /** A by-the-book session of `energyWh` and the pile's own bill of it for `amountFen`. */
  const billedByThePile = (energyWh: number, amountFen: number, minutes = 60) => {
    const session = aChargingSession({ startAt: T0, minutes, energyWh });
    const own = deviceBill({
      startAt: T0,
      stopAt: session.stopAt,
      registerStartWh: 100_000,
      registerStopWh: 100_000 + energyWh,
      amountFen,
    });
    return { own, events: [...session.events, own], nowMs: session.stopAt + HOUR };
  };

  // Flat 1.10 + 0.80 CNY/kWh: 20,000 Wh is 2,200 + 1,600 = 3,800 fen, and 0.5 % of it 19 fen.
  it('when the pile bills 20 fen more than the platform prices its 20 kWh, then 10 amount-differs and settled', () => {
    const { own, events, nowMs } = billedByThePile(20_000, 3_820);
    const bill = theBillOf({ events, nowMs });
    expect(bill.codes).toEqual([10]);
    const differs = anomalyOf(bill, 10);
    expect(differs.rule).toBe('amount-differs');
    expect(differs.evidence.journalIds).toEqual([own.journalId]);
    expect(differs.evidence.values).toEqual({ deviceFen: '3820', platformFen: '3800' });
    expect(differs.evidence.threshold).toBe('max(1 fen × 2 lines, 0.005)');
    expect(bill.totalFen.toString()).toBe('3800');
    expect(bill.status).toBe('settled');
  });

  it('when the pile bills 19 fen more, then no amount mismatch', () => {
    const { events, nowMs } = billedByThePile(20_000, 3_819);
    expect(theBillOf({ events, nowMs }).codes).toEqual([]);
  });

  // 200 Wh is 22 + 16 = 38 fen; 0.5 % is under a fen, so 1 fen per line (2 lines) is the tolerance.
  it('when the pile bills 3 fen less than the platform prices its 200 Wh, then 10: beyond 1 fen per line', () => {
    const { events, nowMs } = billedByThePile(200, 35, 5);
    const bill = theBillOf({ events, nowMs });
    expect(bill.codes).toEqual([10]);
    expect(anomalyOf(bill, 10).evidence.values).toEqual({ deviceFen: '35', platformFen: '38' });
  });

  it('when the pile bills 2 fen less for 200 Wh, then no amount mismatch', () => {
    const { events, nowMs } = billedByThePile(200, 36, 5);
    expect(theBillOf({ events, nowMs }).codes).toEqual([]);
  });
});

describe('code 11, energy lost', () => {
  /** A second session 30 minutes after the first, starting `gapWh` past where the first stopped (130,000 Wh). */
  const gapOf = (gapWh: number) => {
    const first = aChargingSession({ startAt: T0, transactionId: 1 });
    const second = aChargingSession({ startAt: first.stopAt + 30 * MINUTE, transactionId: 2, fromWh: 130_000 + gapWh });
    return { first, second, events: [...first.events, ...second.events] };
  };

  it('when the register moved 51 Wh between two sessions on a connector, then 11 gap-between-sessions on the later one, settled', () => {
    const { first, second, events } = gapOf(51);
    const [earlier, later] = billsOf({ events, nowMs: second.stopAt + HOUR });
    expect(earlier!.codes).toEqual([]);
    expect(later!.codes).toEqual([11]);
    const lost = anomalyOf(later!, 11);
    expect(lost.rule).toBe('gap-between-sessions');
    expect(lost.evidence.values).toEqual({ previousStopWh: '130000', startWh: '130051', gapWh: '51' });
    expect(lost.evidence.threshold).toBe('50 Wh');
    expect(lost.evidence.journalIds).toEqual(expect.arrayContaining(idsOf(first.stopped, second.started)));
    expect(later!.status).toBe('settled');
  });

  it('when the register moved 50 Wh between two sessions, then no energy lost', () => {
    const { second, events } = gapOf(50);
    expect(billsOf({ events, nowMs: second.stopAt + HOUR }).map((b) => b.codes)).toEqual([[], []]);
  });

  // Field case D's workaround: the operator bills from the pile's own total, not its registers.
  const deviceTotalFirst = {
    energyPrecedence: ['device-total', 'device-registers', 'platform-registers', 'estimate'] as const,
  };

  /** The pile's own bill totals `billedWh` while its registers advanced 20,000 Wh. */
  const pileBilling = (billedWh: number) => {
    const session = aChargingSession({ startAt: T0, energyWh: 20_000 });
    const own = deviceBill({
      startAt: T0,
      stopAt: session.stopAt,
      registerStartWh: 100_000,
      registerStopWh: 120_000,
      energyWh: billedWh,
      amountFen: 3_762,
    });
    return { session, own, events: [...session.events, own] };
  };

  it('when the registers advanced 201 Wh more than the pile billed, then 11 registers-above-billed', () => {
    const { session, events } = pileBilling(19_799);
    const bill = theBillOf({ events, params: deviceTotalFirst, nowMs: session.stopAt + HOUR });
    expect(bill.codes).toEqual([11]);
    const lost = anomalyOf(bill, 11);
    expect(lost.rule).toBe('registers-above-billed');
    expect(lost.evidence.values).toEqual({ registersWh: '20000', billedWh: '19799' });
    expect(lost.evidence.threshold).toBe('200 Wh');
    expect(lost.evidence.journalIds).toEqual(expect.arrayContaining(idsOf(session.started, session.stopped)));
    expect(bill.energySource).toBe('device-total');
    expect(bill.status).toBe('settled');
  });

  it('when the pile bills 0 Wh while its registers advanced 20 kWh, then it is billed from the registers with 11', () => {
    const { session, events } = pileBilling(0);
    const bill = theBillOf({ events, nowMs: session.stopAt + HOUR });
    // 37.62 CNY for 0 Wh is also not what the tariff says: 10.
    expect(bill.codes).toEqual([10, 11]);
    const lost = anomalyOf(bill, 11);
    expect(lost.rule).toBe('registers-above-device-bill');
    expect(lost.evidence.values).toEqual({ registersWh: '20000', deviceBillWh: '0' });
    expect(bill.energySource).toBe('device-registers');
    expect(bill.energyWh.toString()).toBe('20000');
  });

  it('when the registers advanced 200 Wh more than the pile billed, then no energy lost', () => {
    const { session, events } = pileBilling(19_800);
    expect(theBillOf({ events, params: deviceTotalFirst, nowMs: session.stopAt + HOUR }).codes).toEqual([]);
  });
});
