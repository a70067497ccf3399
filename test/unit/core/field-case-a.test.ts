// Field case A (field-cases.md): zero-meter jump, 13 Jan 2020, 20 bills on 11 Robinson piles,
// all code 8 on the old platform. Before charging the piles' heartbeats reported the register as
// 0; once the session started it read its large real value, and the old platform billed the jump
// from 0. Here the session runs 09:12:05–09:58:05 on a 120 kW connector, the register rising
// linearly from 1,523,400 Wh to 1,548,537 Wh: 25,137 Wh delivered. The old platform's figure was
// 1,548,537 Wh − 0 = 1,548.537 kWh (2,942.22 CNY at 1.90 CNY/kWh all-in).
//
// Flat tariff (aTariff): electricity 1.10, service 0.80 CNY/kWh. For 25,137 Wh:
//   electricity 25.137 × 110 fen = 2,765.07 → 2,765 fen; service 25.137 × 80 fen = 2,010.96 →
//   2,011 fen; total 4,776 fen (47.76 CNY).
import { describe, expect, it } from 'vitest';
import { DEFAULT_BILLING_PARAMS } from '../../../src/core/billing-params.js';
import { sessionFactsOf } from '../../../src/core/pile-sessions.js';
import {
  at,
  deviceBill,
  heartbeatRegister,
  sampled,
  started,
  status,
  stopped,
  theBillOf,
} from '../../support/billing-builders.js';

const startAt = at('2020-01-13 09:12:05');
const stopAt = at('2020-01-13 09:58:05');
const START_WH = 1_523_400;
const STOP_WH = 1_548_537;
const MINUTE = 60_000;
const nowMs = stopAt + 2 * 3_600_000;

/** The real register on the pile's straight charging line. */
const realRegisterAt = (atMs: number) =>
  START_WH + Math.round(((STOP_WH - START_WH) * (atMs - startAt)) / (stopAt - startAt));

/**
 * MeterValues every minute, the last one at the stop; with a Transaction.Begin sample at the
 * start instant, or from the first minute on.
 */
const chargingSamples = (o: { begin: boolean }) =>
  Array.from({ length: 47 }, (_, i) => startAt + i * MINUTE)
    .filter((t) => o.begin || t > startAt)
    .map((t) => sampled({ at: t, registerWh: realRegisterAt(t) }));

/** Robinson heartbeats before the session: the register is not read yet, so it says 0. */
const zeroHeartbeats = () => [
  heartbeatRegister({ at: at('2020-01-13 09:00:00'), registerWh: 0, state: 'available' }),
  heartbeatRegister({ at: at('2020-01-13 09:05:00'), registerWh: 0, state: 'available' }),
  heartbeatRegister({ at: at('2020-01-13 09:10:00'), registerWh: 0, state: 'preparing' }),
];

const afterCharging = () => [
  heartbeatRegister({ at: stopAt + MINUTE, registerWh: STOP_WH, state: 'finishing' }),
  status({ at: stopAt + 3 * MINUTE, state: 'available' }),
];

describe('field case A: the register reads 0 before charging, then its real value', () => {
  it('when the heartbeats said 0 and the session then reads 1,523,400 Wh, then only the 25,137 Wh of the session are billed', () => {
    const events = [
      ...zeroHeartbeats(),
      started({ at: startAt, meterStartWh: START_WH }),
      ...chargingSamples({ begin: true }),
      stopped({ at: stopAt, meterStopWh: STOP_WH }),
      deviceBill({ startAt, stopAt, registerStartWh: START_WH, registerStopWh: STOP_WH, amountFen: 4776 }),
      ...afterCharging(),
    ];

    const bill = theBillOf({ events, nowMs });

    expect(bill.energyWh.toString()).toBe('25137');
    expect(bill.energyWh.toString()).not.toBe(String(STOP_WH));
    expect(bill.energySource).toBe('device-registers');
    expect(bill.lines.map((l) => [l.kind, l.tier, l.quantity.toString(), l.amountFen.toString()])).toEqual([
      ['electricity', 'flat', '25137', '2765'],
      ['service', 'flat', '25137', '2011'],
    ]);
    expect(bill.totalFen.toString()).toBe('4776');
    // The platform's own figure agrees with the pile's: the old platform's code 8 is gone.
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('settled');
  });

  it('when the heartbeats said 0, then the zeros are rejected and the jump to the real register is no discontinuity', () => {
    const events = [
      ...zeroHeartbeats(),
      started({ at: startAt, meterStartWh: START_WH }),
      ...chargingSamples({ begin: true }),
      stopped({ at: stopAt, meterStopWh: STOP_WH }),
    ];

    const { facts } = sessionFactsOf(
      { events, offline: [], connectors: [{ connectorId: 1, maxPowerW: 120_000 }], nowMs },
      DEFAULT_BILLING_PARAMS,
    );

    const timeline = facts[0]!.timeline;
    expect(timeline.rejected.map((r) => [r.reading.registerWh.toString(), r.reason])).toEqual([
      ['0', 'zero'],
      ['0', 'zero'],
      ['0', 'zero'],
    ]);
    expect(timeline.discontinuities).toEqual([]);
    expect(timeline.trusted[0]!.registerWh.toString()).toBe(String(START_WH));
    expect(facts[0]!.energy.platformWh?.toString()).toBe('25137');
  });

  it('when the pile also put the 0 in its StartTransaction and its own bill, then the platform samples are billed and code 4 holds the bill', () => {
    // Platform samples from 09:12:35 (30 s after the start) to the stop: 1,523,673 → 1,548,537 Wh.
    // The 273 Wh of the first 30 s rest on no trusted reading, so they are not billed.
    const firstSampleAt = startAt + 30_000;
    const events = [
      ...zeroHeartbeats(),
      started({ at: startAt, meterStartWh: 0 }),
      sampled({ at: firstSampleAt, registerWh: realRegisterAt(firstSampleAt) }),
      ...chargingSamples({ begin: false }),
      stopped({ at: stopAt, meterStopWh: STOP_WH }),
      // The pile priced its own jump: 1,548.537 kWh × 1.90 CNY = 2,942.22 CNY.
      deviceBill({ startAt, stopAt, registerStartWh: 0, registerStopWh: STOP_WH, amountFen: 294_222 }),
      ...afterCharging(),
    ];

    const bill = theBillOf({ events, nowMs });

    expect(realRegisterAt(firstSampleAt)).toBe(1_523_673);
    expect(bill.energySource).toBe('platform-registers');
    // 1,548,537 − 1,523,673 = 24,864 Wh: 2,735.04 → 2,735 fen and 1,989.12 → 1,989 fen.
    expect(bill.energyWh.toString()).toBe('24864');
    expect(bill.lines.map((l) => l.amountFen.toString())).toEqual(['2735', '1989']);
    expect(bill.totalFen.toString()).toBe('4724');
    // The zero baseline and the pile's jump are code 4; an implausible device figure is not compared (no 8).
    expect(bill.codes).toEqual([4]);
    expect(bill.anomalies.map((a) => a.rule).sort()).toEqual(['above-session-cap', 'register-zero']);
    expect(bill.status).toBe('held');
  });
});
