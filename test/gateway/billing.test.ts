// Sessions driven through the real gateway by ocpp-rpc clients end up as the expected bills,
// on every SQL dialect (issue 3): the journal the gateway writes is what billing reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RPCClient } from 'ocpp-rpc';
import { TOU_PERIODS, TOU_PRICES } from '../support/billing-builders.js';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, connectRaw, eventually, startTestGateway, type TestGateway } from '../support/gateway-harness.js';
import { oneSeason } from '../support/tariffs.js';

// 2026-03-02, Shanghai. The gateway's clock is set to the time of each message, as if the
// pile's clock and ours agreed.
const localMs = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00+08:00`);
const local = (hhmm: string) => new Date(localMs(hhmm)).toISOString();
let nowMs = localMs('00:00');
const clock = { now: () => nowMs };
const setTime = (hhmm: string) => void (nowMs = localMs(hhmm) + 2_000);
// aTouTariff's schedule: the sessions below lie in its 07:30–08:30 flat/peak and afternoon flat.
const TARIFF = {
  effectiveFrom: '2026-01-01T00:00:00+08:00',
  timeZone: 'Asia/Shanghai',
  prices: TOU_PRICES,
  seasons: oneSeason(TOU_PERIODS),
  idleFee: null,
};

const meterValues = (transactionId: number | undefined, hhmm: string, wh: number) => ({
  connectorId: 1,
  ...(transactionId === undefined ? {} : { transactionId }),
  meterValue: [
    {
      timestamp: local(hhmm),
      sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
    },
  ],
});

async function startSession(pile: RPCClient, hhmm: string, meterStart: number): Promise<number> {
  setTime(hhmm);
  await pile.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
  const started = (await pile.call('StartTransaction', {
    connectorId: 1,
    idTag: 'CARD0001',
    meterStart,
    timestamp: local(hhmm),
  })) as {
    transactionId: number;
  };
  await pile.call('StatusNotification', {
    connectorId: 1,
    errorCode: 'NoError',
    status: 'Charging',
    timestamp: local(hhmm),
  });
  return started.transactionId;
}

forEachDialect('billing through the gateway', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ stores: ctx.stores(), clock });
    await gw.addIdTag('CARD0001');
    expect((await gw.api('POST', '/tariffs/TOU-2026/versions', TARIFF)).status).toBe(201);
    expect(
      (await gw.api('PUT', '/stations/S1/tariff', { tariffId: 'TOU-2026', effectiveFrom: '2026-01-01T00:00:00+08:00' }))
        .status,
    ).toBe(200);
  });
  afterAll(() => gw.close());

  const billsOf = async (pileId: string) => (await gw.api('GET', `/bills?pileId=${pileId}`)).body.bills as any[];

  describe('a session across the 08:00 boundary', () => {
    const PILE = 'BILL-TOU-01';
    it('when a pile starts, samples and stops, then one settled bill splits its energy at 08:00', async () => {
      await gw.addPile(PILE);
      const pile = await connectPile(gw, PILE);
      const tx = await startSession(pile, '07:30', 1_000_000);
      const samples = [
        ['07:30', 1_000_000],
        ['07:45', 1_010_000],
        ['08:00', 1_020_000],
        ['08:15', 1_030_000],
        ['08:30', 1_040_000],
      ] as const;
      for (const [hhmm, wh] of samples) {
        setTime(hhmm);
        await pile.call('MeterValues', meterValues(tx, hhmm, wh));
      }
      await pile.call('StopTransaction', {
        transactionId: tx,
        meterStop: 1_040_000,
        timestamp: local('08:30'),
        reason: 'EVDisconnected',
      });
      setTime('08:40');
      await pile.call('StatusNotification', {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Available',
        timestamp: local('08:40'),
      });
      await pile.close();
      await gw.billNow();

      const [bill, ...more] = await billsOf(PILE);
      expect(more).toEqual([]);
      expect(bill).toMatchObject({
        energyWh: 40_000,
        energySource: 'device-registers',
        status: 'settled',
        codes: [],
        version: 1,
      });
      expect(bill.billNo).toMatch(/^20260302073000\d{6}$/);
      const detail = (await gw.api('GET', `/bills/${bill.billNo}`)).body;
      const lines = detail.versions[0].lines.map((l: any) => [l.kind, l.tier, l.quantity, l.amountFen]);
      // flat 07:30–08:00: 20 kWh × (0.80 + 0.60); peak 08:00–08:30: 20 kWh × (1.20 + 0.80).
      expect(lines).toEqual([
        ['electricity', 'peak', '20000', 2400],
        ['service', 'peak', '20000', 1600],
        ['electricity', 'flat', '20000', 1600],
        ['service', 'flat', '20000', 1200],
      ]);
      expect(bill.totalFen).toBe(6800);
    });

    it('when billing runs again on the same journal, then no new version is stored', async () => {
      await gw.billNow();
      const [bill] = await billsOf(PILE);
      expect(bill.version).toBe(1);
    });
  });

  describe('a lost bill that arrives late', () => {
    const PILE = 'BILL-LATE-01';
    it('when the stop never comes, then a provisional bill from trusted readings; when the device bill comes, then version 2', async () => {
      // The platform saw 10 kWh until 13:20; the pile's own bill says 20 kWh until 13:40: code 8,
      // settled from the pile's registers (the default authority).
      await gw.addPile(PILE);
      const pile = await connectPile(gw, PILE);
      const tx = await startSession(pile, '13:00', 2_000_000);
      for (const [hhmm, wh] of [
        ['13:00', 2_000_000],
        ['13:10', 2_005_000],
        ['13:20', 2_010_000],
      ] as const) {
        setTime(hhmm);
        await pile.call('MeterValues', meterValues(tx, hhmm, wh));
      }
      await gw.billNow();
      const [provisional] = await billsOf(PILE);
      expect(provisional).toMatchObject({
        energyWh: 10_000,
        energySource: 'estimate',
        status: 'provisional',
        version: 1,
      });

      const bill = {
        deviceBillNo: '20260302130000000001',
        transactionId: tx,
        connectorId: 1,
        idTag: 'CARD0001',
        startType: 'card',
        startTime: local('13:00'),
        stopTime: local('13:40'),
        registerStartWh: 2_000_000,
        registerStopWh: 2_020_000,
        energyWh: 20_000,
        tiers: [{ tier: 'flat', energyWh: 20_000, amountFen: 2800 }],
        amountFen: 2800,
        stopReason: 'Local',
      };
      setTime('13:42');
      await pile.call('StatusNotification', {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Available',
        timestamp: local('13:42'),
      });
      const sent = { vendorId: 'Robinson', messageId: 'DeviceBill', data: JSON.stringify(bill) };
      expect(await pile.call('DataTransfer', sent)).toEqual({ status: 'Accepted' });
      // Resent with a new message id, as Robinson piles do until they see Accepted.
      expect(await pile.call('DataTransfer', sent)).toEqual({ status: 'Accepted' });
      await pile.close();
      await gw.billNow();

      const [corrected, ...more] = await billsOf(PILE);
      expect(more).toEqual([]);
      expect(corrected).toMatchObject({
        billNo: provisional.billNo,
        version: 2,
        energyWh: 20_000,
        energySource: 'device-registers',
        totalFen: 2800,
        codes: [8],
        status: 'settled',
      });
      const versions = (await gw.api('GET', `/bills/${corrected.billNo}`)).body.versions;
      expect(versions.map((v: any) => [v.version, v.status, v.reason])).toEqual([
        [1, 'provisional', 'rated'],
        [2, 'settled', 'rebuilt'],
      ]);
    });
  });

  describe('StartTransaction skipped (field case D, steps 1,3,4,5)', () => {
    const PILE = 'BILL-SKIP-01';
    it('when a pile charges with no transactionId and only its own bill tells the session, then exactly one bill', async () => {
      await gw.addPile(PILE);
      const pile = await connectPile(gw, PILE);
      setTime('15:00');
      await pile.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
      for (const [hhmm, wh] of [
        ['15:00', 3_000_000],
        ['15:10', 3_005_000],
        ['15:20', 3_010_000],
        ['15:30', 3_015_000],
      ] as const) {
        setTime(hhmm);
        await pile.call('MeterValues', meterValues(undefined, hhmm, wh));
      }
      await pile.call('StopTransaction', { transactionId: -1, meterStop: 3_015_000, timestamp: local('15:30') });
      setTime('15:35');
      await pile.call('StatusNotification', {
        connectorId: 1,
        errorCode: 'NoError',
        status: 'Available',
        timestamp: local('15:35'),
      });
      const bill = {
        deviceBillNo: '20260302150000000002',
        transactionId: -1,
        connectorId: 1,
        idTag: 'CARD0001',
        startType: 'card',
        startTime: local('15:00'),
        stopTime: local('15:30'),
        registerStartWh: 3_000_000,
        registerStopWh: 3_015_000,
        energyWh: 15_000,
        tiers: [{ tier: 'flat', energyWh: 15_000, amountFen: 2100 }],
        amountFen: 2100,
        stopReason: 'Local',
      };
      await pile.call('DataTransfer', { vendorId: 'Robinson', messageId: 'DeviceBill', data: JSON.stringify(bill) });
      await pile.close();
      await gw.billNow();

      const [only, ...more] = await billsOf(PILE);
      expect(more).toEqual([]);
      expect(only).toMatchObject({ energyWh: 15_000, totalFen: 2100, codes: [], transactionId: null });
    });
  });

  describe('a StopTransaction we refuse', () => {
    const PILE = 'BILL-REFUSED-01';
    it('when the stop fails the schema, then code 1 at once with the refused frame; when a valid stop comes, then code 1 is gone', async () => {
      await gw.addPile(PILE);
      const pile = await connectPile(gw, PILE);
      const tx = await startSession(pile, '16:00', 4_000_000);
      setTime('16:20');
      await pile.call('MeterValues', meterValues(tx, '16:20', 4_010_000));
      await pile.close();
      // Well inside the grace for a lost bill: only the refusal can raise code 1 now.
      setTime('16:30');
      const { ws, received } = await connectRaw(gw, PILE);
      ws.send(`[2,"stop-1","StopTransaction",{"transactionId":${tx},"meterStop":4020000,"reason":"Local"}]`);
      await eventually(() => expect(received).toHaveLength(1));
      expect((received[0] as unknown[]).slice(0, 3)).toEqual([4, 'stop-1', 'OccurrenceConstraintViolation']);
      await gw.billNow();

      const [refused] = await billsOf(PILE);
      expect(refused).toMatchObject({ status: 'provisional', codes: [1], version: 1 });
      const stopFrame = (await gw.stores.journal.frames({ pileId: PILE, actions: ['StopTransaction'] })).find(
        (f) => f.direction === 'in',
      )!;
      const [anomaly] = (await gw.api('GET', `/bills/${refused.billNo}`)).body.versions[0].anomalies;
      expect(anomaly).toMatchObject({
        code: 1,
        rule: 'tx-message-refused',
        evidence: { values: { action: 'StopTransaction', refusedMessages: '1' } },
      });
      expect(anomaly.evidence.journalIds[0]).toBe(stopFrame.id);
      expect(anomaly.evidence.values.reason).toContain('timestamp');

      setTime('16:31');
      ws.send(
        `[2,"stop-2","StopTransaction",{"transactionId":${tx},"meterStop":4020000,"timestamp":"${local('16:31')}","reason":"Local"}]`,
      );
      ws.send(
        `[2,"st-1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"${local('16:32')}"}]`,
      );
      await eventually(() => expect(received).toHaveLength(3));
      ws.close();
      await gw.billNow();
      const [settled] = await billsOf(PILE);
      expect(settled).toMatchObject({ billNo: refused.billNo, version: 2, codes: [], energyWh: 20_000 });
    });
  });
});
