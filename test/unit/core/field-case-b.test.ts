// Field case B (field-cases.md): 34 minutes billed at 244.40 CNY. The register read 0 before
// the session and 92.27 kWh right after start; charging was linear; no frame from 15:10:28 to
// 15:17:30, then status 8 (Faulted), then Available; the bill never came.
import { describe, expect, it } from 'vitest';
import {
  at,
  deviceBill,
  heartbeatRegister,
  linearSamples,
  started,
  status,
  theBillOf,
} from '../../support/billing-builders.js';

const startAt = at('2019-10-24 14:43:31');
const lastFrameAt = at('2019-10-24 15:10:28');
const faultAt = at('2019-10-24 15:17:30');
const offline = [{ fromMs: lastFrameAt + 1, toMs: faultAt }];
const events = [
  heartbeatRegister({ at: at('2019-10-24 14:40:00'), registerWh: 0, state: 'available' }),
  heartbeatRegister({ at: at('2019-10-24 14:42:00'), registerWh: 0, state: 'preparing' }),
  started({ at: startAt, meterStartWh: 92_270 }),
  ...linearSamples({
    fromMs: startAt + 60_000,
    toMs: startAt + 26 * 60_000,
    everyMs: 60_000,
    fromWh: 93_620,
    toWh: 127_370,
  }),
  status({ at: faultAt, state: 'faulted' }),
  status({ at: faultAt + 5_000, state: 'available' }),
];

describe('field case B', () => {
  it('when the bill never comes after the pile was offline, then code 2 and a provisional bill from trusted readings only', () => {
    const bill = theBillOf({ events, offline, nowMs: faultAt + 31 * 60_000 });
    expect(bill.codes).toEqual([2]);
    expect(bill.status).toBe('provisional');
    expect(bill.energySource).toBe('estimate');
    expect(bill.energyWh.toString()).toBe('35100');
    expect(bill.energyWh.toString()).not.toBe('128630');
    expect(bill.totalFen.toString()).toBe('6669');
  });

  it('when the grace time after reconnecting has not passed, then no code yet', () => {
    const bill = theBillOf({ events, offline, nowMs: faultAt + 29 * 60_000 });
    expect(bill.codes).toEqual([]);
    expect(bill.status).toBe('provisional');
  });

  it('when the device bill arrives later, then it is billed from its registers, code 2 is gone and code 8 shows what the platform missed', () => {
    const late = deviceBill({
      startAt,
      stopAt: faultAt,
      registerStartWh: 92_270,
      registerStopWh: 128_630,
      amountFen: 6908,
      receivedAt: faultAt + 3 * 3_600_000,
    });
    const bill = theBillOf({ events: [...events, late], offline, nowMs: faultAt + 4 * 3_600_000 });
    expect(bill.codes).toEqual([8]);
    expect(bill.anomalies[0]!.evidence.values).toEqual({ deviceWh: '36360', platformWh: '33750' });
    expect(bill.status).toBe('settled');
    expect(bill.energySource).toBe('device-registers');
    expect(bill.energyWh.toString()).toBe('36360');
    expect(bill.totalFen.toString()).toBe('6909');
  });
});
