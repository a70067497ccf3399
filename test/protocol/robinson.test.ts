import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  METER_HEARTBEAT_STATUSES,
  parseRobinsonData,
  type DeviceBill,
  type MeterHeartbeat,
} from '../../protocol/index.js';

// Field case B: pile 44011300040000200061's bill 20191024144331381526, 24 Oct 2019.
const aMeterHeartbeat = (overrides: Partial<MeterHeartbeat> = {}): MeterHeartbeat => ({
  connectorId: 1,
  status: 2,
  registerWh: 92_270,
  timestamp: '2019-10-24T14:45:00+08:00',
  ...overrides,
});

const aDeviceBill = (overrides: Partial<DeviceBill> = {}): DeviceBill => ({
  deviceBillNo: '20191024144331381526',
  transactionId: 1_024,
  connectorId: 1,
  idTag: 'D4F1A2B3',
  startType: 'card',
  vin: 'LZYTBGBW6K1012345',
  startTime: '2019-10-24T14:43:31+08:00',
  stopTime: '2019-10-24T15:17:30+08:00',
  registerStartWh: 92_270,
  registerStopWh: 130_770,
  energyWh: 38_500,
  tiers: [{ tier: 'peak', energyWh: 38_500, amountFen: 7_315 }],
  amountFen: 7_315,
  stopReason: 'Local',
  ...overrides,
});

const parse = (messageId: string | undefined, data: unknown) => parseRobinsonData(messageId, JSON.stringify(data));

describe('parseRobinsonData', () => {
  it('when a MeterHeartbeat is well formed, then it parses as one', () => {
    expect(parse('MeterHeartbeat', aMeterHeartbeat())).toEqual({
      ok: true,
      messageId: 'MeterHeartbeat',
      message: aMeterHeartbeat(),
    });
  });

  it('when a pile reports status 8, then it reads as OCPP Faulted (field case B)', () => {
    const parsed = parse('MeterHeartbeat', aMeterHeartbeat({ status: 8 }));
    expect(parsed.ok && parsed.messageId === 'MeterHeartbeat' && METER_HEARTBEAT_STATUSES[parsed.message.status]).toBe(
      'Faulted',
    );
  });

  it('when the register reads 0 before a session, then it still parses (field case A)', () => {
    expect(parse('MeterHeartbeat', aMeterHeartbeat({ status: 0, registerWh: 0 })).ok).toBe(true);
  });

  it('when a DeviceBill is well formed, then it parses with its 20-digit bill number intact', () => {
    const parsed = parse('DeviceBill', aDeviceBill());
    expect(parsed).toEqual({ ok: true, messageId: 'DeviceBill', message: aDeviceBill() });
  });

  it('when the pile could not read the VIN, then a null or absent vin parses (field case I)', () => {
    const { vin: _vin, ...withoutVin } = aDeviceBill();
    expect(parse('DeviceBill', aDeviceBill({ vin: null })).ok).toBe(true);
    expect(parse('DeviceBill', withoutVin).ok).toBe(true);
  });

  it('when a DeviceBill carries implausible data, then it still parses: flagged, not refused', () => {
    const implausible = aDeviceBill({
      transactionId: -1,
      connectorId: 0,
      registerStartWh: 130_770,
      registerStopWh: 92_270,
      energyWh: -38_500,
      stopTime: '2019-10-24T14:00:00+08:00',
      tiers: [
        { tier: 'peak', energyWh: -38_500, amountFen: -7_315 },
        { tier: 'peak', energyWh: 999_999_999, amountFen: 0 },
      ],
      amountFen: -7_315,
    });
    expect(parse('DeviceBill', implausible)).toEqual({
      ok: true,
      messageId: 'DeviceBill',
      message: implausible,
    });
  });

  it('when data is not JSON, then the reason is not-json', () => {
    expect(parseRobinsonData('DeviceBill', '{"deviceBillNo": 2019')).toMatchObject({
      ok: false,
      reason: 'not-json',
    });
    expect(parseRobinsonData('MeterHeartbeat', undefined)).toMatchObject({ ok: false, reason: 'not-json' });
  });

  const heartbeat = (data: object) => ['MeterHeartbeat', { ...aMeterHeartbeat(), ...data }] as const;
  const bill = (data: object) => ['DeviceBill', { ...aDeviceBill(), ...data }] as const;
  it.each([
    ['a status outside 0..8', heartbeat({ status: 9 }), 'status'],
    ['a negative register', heartbeat({ registerWh: -1 }), 'registerWh'],
    ['a decimal-string register', heartbeat({ registerWh: '92270' }), 'registerWh'],
    ['a timestamp without offset', heartbeat({ timestamp: '2019-10-24 14:45:00' }), 'timestamp'],
    // 20 digits exceed a JSON number's exact range: the bill number must be a string.
    ['a bill number as a JSON number', bill({ deviceBillNo: 20191024144331381526 }), 'deviceBillNo'],
    ['an unknown startType', bill({ startType: 'qr' }), 'startType'],
    ['an unknown tier', bill({ tiers: [{ tier: 'night', energyWh: 1, amountFen: 1 }] }), 'tier'],
    ['a fractional energy', bill({ energyWh: 38_500.5 }), 'energyWh'],
    ['a missing stopReason', bill({ stopReason: undefined }), 'stopReason'],
    ['an unknown field', bill({ soc: 80 }), 'additional properties'],
  ])('when a message has %s, then it is invalid and the errors name it', (_case, [messageId, data], named) => {
    const parsed = parse(messageId, data);
    expect(parsed).toMatchObject({ ok: false, reason: 'invalid' });
    expect(!parsed.ok && parsed.errors).toContain(named);
  });

  it('when the messageId is not a Robinson one, then the reason is unknown-message-id', () => {
    expect(parse('MeterValues', aMeterHeartbeat())).toMatchObject({
      ok: false,
      reason: 'unknown-message-id',
    });
    expect(parse(undefined, aMeterHeartbeat())).toMatchObject({ ok: false, reason: 'unknown-message-id' });
  });
});

describe('METER_HEARTBEAT_STATUSES', () => {
  it('is OCPP 1.6 ChargePointStatus in the order of the schema ocpp-rpc validates with', () => {
    const schemas = createRequire(import.meta.url)('ocpp-rpc/lib/schemas/ocpp1_6.json') as {
      $id: string;
      properties: { status?: { enum?: string[] } };
    }[];
    const statusNotification = schemas.find((s) => s.$id === 'urn:StatusNotification.req');
    expect(METER_HEARTBEAT_STATUSES).toEqual(statusNotification?.properties.status?.enum);
  });
});
