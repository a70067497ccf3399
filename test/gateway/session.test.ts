// A whole charging session through the real gateway, on every SQL dialect.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const PILE = '44011300040000200061';
const ts = (minute: number) => new Date(Date.UTC(2019, 9, 24, 6, minute, 0)).toISOString();

forEachDialect('gateway: a full session', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ stores: ctx.stores(), env: { HEARTBEAT_INTERVAL_S: '120' } });
    await gw.addPile(PILE);
    await gw.addIdTag('CARD0001');
  });
  afterAll(() => gw.close());

  it('when a pile boots, charges and stops, then every call is answered and every frame journaled', async () => {
    const pile = await connectPile(gw, PILE);
    const boot = (await pile.call('BootNotification', {
      chargePointVendor: 'Robinson',
      chargePointModel: 'DC120',
      chargePointSerialNumber: 'SN-1',
      firmwareVersion: '2.3.1',
    })) as { status: string; interval: number; currentTime: string };
    expect(boot).toMatchObject({ status: 'Accepted', interval: 120 });
    expect(Math.abs(Date.parse(boot.currentTime) - Date.now())).toBeLessThan(5000);

    expect(await pile.call('Heartbeat', {})).toHaveProperty('currentTime');
    expect(
      await pile.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' }),
    ).toEqual({});
    expect(await pile.call('Authorize', { idTag: 'CARD0001' })).toEqual({ idTagInfo: { status: 'Accepted' } });

    const start = (await pile.call('StartTransaction', {
      connectorId: 1,
      idTag: 'CARD0001',
      meterStart: 92_270_000,
      timestamp: ts(44),
    })) as { transactionId: number; idTagInfo: { status: string } };
    expect(start.idTagInfo.status).toBe('Accepted');
    expect(Number.isInteger(start.transactionId)).toBe(true);

    const sample = (minute: number, wh: number) => ({
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [
        {
          timestamp: ts(minute),
          sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
        },
      ],
    });
    expect(await pile.call('MeterValues', sample(50, 92_280_000))).toEqual({});
    const heartbeat = JSON.stringify({ connectorId: 1, status: 2, registerWh: 92_290_000, timestamp: ts(55) });
    expect(
      await pile.call('DataTransfer', { vendorId: 'Robinson', messageId: 'MeterHeartbeat', data: heartbeat }),
    ).toEqual({
      status: 'Accepted',
    });
    const stop = await pile.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 92_300_000,
      timestamp: ts(58),
      idTag: 'CARD0001',
      reason: 'Local',
    });
    expect(stop).toEqual({ idTagInfo: { status: 'Accepted' } });
    const bill = {
      deviceBillNo: '20191024144331381526',
      transactionId: start.transactionId,
      connectorId: 1,
      idTag: 'CARD0001',
      startType: 'card',
      vin: null,
      startTime: ts(44),
      stopTime: ts(58),
      registerStartWh: 92_270_000,
      registerStopWh: 92_300_000,
      energyWh: 30_000,
      tiers: [{ tier: 'peak', energyWh: 30_000, amountFen: 5700 }],
      amountFen: 5700,
      stopReason: 'Local',
    };
    expect(
      await pile.call('DataTransfer', { vendorId: 'Robinson', messageId: 'DeviceBill', data: JSON.stringify(bill) }),
    ).toEqual({
      status: 'Accepted',
    });
    expect(await pile.call('DiagnosticsStatusNotification', { status: 'Idle' })).toEqual({});
    expect(await pile.call('FirmwareStatusNotification', { status: 'Installed' })).toEqual({});
    await pile.close();
    await gw.flushJournal();

    const frames = await gw.stores.journal.frames({ pileId: PILE });
    expect(frames.filter((f) => f.direction === 'in').map((f) => f.action)).toEqual([
      'BootNotification',
      'Heartbeat',
      'StatusNotification',
      'Authorize',
      'StartTransaction',
      'MeterValues',
      'DataTransfer',
      'StopTransaction',
      'DataTransfer',
      'DiagnosticsStatusNotification',
      'FirmwareStatusNotification',
    ]);
    const replies = frames.filter((f) => f.direction === 'out');
    expect(replies).toHaveLength(11);
    expect(replies.every((f) => f.messageType === 3 && f.action !== null)).toBe(true);
    expect(frames.every((f) => f.raw.startsWith('[') && f.error === null)).toBe(true);

    const messages = await gw.stores.journal.txMessages({ pileId: PILE });
    expect(messages.map((m) => m.kind).sort()).toEqual(['device-bill', 'meter', 'meter-heartbeat', 'start', 'stop']);
    const withTransaction = messages.filter((m) => m.kind !== 'meter-heartbeat');
    expect(withTransaction.every((m) => m.transactionId === start.transactionId)).toBe(true);
    expect(await gw.stores.journal.anomalies({ pileId: PILE })).toEqual([]);

    const pileView = (await gw.api('GET', `/piles/${PILE}`)).body;
    expect(pileView).toMatchObject({ boot: { vendor: 'Robinson', model: 'DC120', serial: 'SN-1', firmware: '2.3.1' } });
  });

  it('when an idTag is unknown or blocked, then Authorize says so and StartTransaction still gets an id', async () => {
    await gw.addIdTag('BLOCKED1', 'Blocked');
    const pile = await connectPile(gw, PILE);
    expect(await pile.call('Authorize', { idTag: 'NOBODY' })).toEqual({ idTagInfo: { status: 'Invalid' } });
    // IdToken is a CiString, case insensitive (OCPP 1.6 §2.2): case does not make another card.
    expect(await pile.call('Authorize', { idTag: 'card0001' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(await pile.call('Authorize', { idTag: 'BLOCKED1' })).toEqual({ idTagInfo: { status: 'Blocked' } });
    const start = (await pile.call('StartTransaction', {
      connectorId: 2,
      idTag: 'NOBODY',
      meterStart: 10,
      timestamp: ts(10),
    })) as { transactionId: number; idTagInfo: { status: string } };
    expect(start.idTagInfo.status).toBe('Invalid');
    expect(start.transactionId).toBeGreaterThan(0);
    const stored = await gw.stores.transactions.get(PILE, start.transactionId);
    expect(stored).toMatchObject({ connectorId: 2, idTag: 'NOBODY', authStatus: 'Invalid', meterStartWh: 10 });
    await pile.close();
  });
});
