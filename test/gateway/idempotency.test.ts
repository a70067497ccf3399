// Principle 3 of DESIGN.md §1: piles resend transaction messages with new message ids after a
// reconnect; the content decides what is new.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

forEachDialect('gateway: resent transaction messages', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ stores: ctx.stores() });
    for (const id of ['IDEM-START', 'IDEM-STOP', 'IDEM-ORPHAN', 'IDEM-OTHER']) await gw.addPile(id);
    await gw.addIdTag('CARD0002');
  });
  afterAll(() => gw.close());

  const start = { connectorId: 1, idTag: 'CARD0002', meterStart: 1000, timestamp: '2019-11-12T00:23:38Z' };

  it('when a StartTransaction is resent after a reconnect, then it gets the same transactionId', async () => {
    const first = await connectPile(gw, 'IDEM-START');
    const a = (await first.call('StartTransaction', start)) as { transactionId: number };
    await first.close();
    const second = await connectPile(gw, 'IDEM-START');
    const b = (await second.call('StartTransaction', { ...start })) as { transactionId: number };
    const c = (await second.call('StartTransaction', { ...start, timestamp: '2019-11-12T00:23:38.000Z' })) as {
      transactionId: number;
    };
    expect(b.transactionId).toBe(a.transactionId);
    expect(c.transactionId).toBe(a.transactionId);
    const other = (await second.call('StartTransaction', { ...start, connectorId: 2 })) as { transactionId: number };
    expect(other.transactionId).not.toBe(a.transactionId);
    await second.close();
    await gw.flushJournal();
    expect((await gw.stores.transactions.list('IDEM-START', 10)).length).toBe(2);
    const frames = await gw.stores.journal.frames({ pileId: 'IDEM-START' });
    expect(frames.filter((f) => f.action === 'StartTransaction' && f.direction === 'in')).toHaveLength(4);
  });

  it('when StopTransaction, MeterValues and DeviceBill are repeated, then each is stored once and the journal keeps every copy', async () => {
    const pile = await connectPile(gw, 'IDEM-STOP');
    const { transactionId } = (await pile.call('StartTransaction', start)) as { transactionId: number };
    const meter = {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: '2019-11-12T01:00:00Z', sampledValue: [{ value: '5000' }] }],
    };
    const stop = { transactionId, meterStop: 9000, timestamp: '2019-11-12T03:50:36Z', reason: 'Local' };
    const bill = JSON.stringify({
      deviceBillNo: '20191112035036000001',
      transactionId,
      connectorId: 1,
      idTag: 'CARD0002',
      startType: 'card',
      startTime: '2019-11-12T00:23:38Z',
      stopTime: '2019-11-12T03:50:36Z',
      registerStartWh: 1000,
      registerStopWh: 9000,
      energyWh: 8000,
      tiers: [{ tier: 'valley', energyWh: 8000, amountFen: 480 }],
      amountFen: 480,
      stopReason: 'Local',
    });
    for (let i = 0; i < 3; i += 1) {
      expect(await pile.call('MeterValues', meter)).toEqual({});
      expect(await pile.call('StopTransaction', stop)).toEqual({});
      expect(await pile.call('DataTransfer', { vendorId: 'Robinson', messageId: 'DeviceBill', data: bill })).toEqual({
        status: 'Accepted',
      });
    }
    await pile.close();
    await gw.flushJournal();
    const kinds = (await gw.stores.journal.txMessages({ pileId: 'IDEM-STOP' })).map((m) => m.kind).sort();
    expect(kinds).toEqual(['device-bill', 'meter', 'start', 'stop']);
    const inbound = (await gw.stores.journal.frames({ pileId: 'IDEM-STOP' })).filter((f) => f.direction === 'in');
    expect(inbound).toHaveLength(10);
  });

  it('when a StopTransaction names -1 or an unknown transaction, then it is answered and kept as an orphan', async () => {
    const pile = await connectPile(gw, 'IDEM-ORPHAN');
    const stop = { meterStop: 500, timestamp: '2019-11-12T03:50:36Z' };
    expect(await pile.call('StopTransaction', { ...stop, transactionId: -1 })).toEqual({});
    expect(await pile.call('StopTransaction', { ...stop, transactionId: 987_654_321, idTag: 'CARD0002' })).toEqual({
      idTagInfo: { status: 'Accepted' },
    });
    await pile.close();
    await gw.flushJournal();
    const orphans = await gw.stores.journal.txMessages({ pileId: 'IDEM-ORPHAN' });
    expect(orphans.map((m) => [m.kind, m.transactionId, m.connectorId])).toEqual([
      ['stop', -1, null],
      ['stop', 987_654_321, null],
    ]);
    const anomalies = await gw.stores.journal.anomalies({ pileId: 'IDEM-ORPHAN' });
    expect(anomalies.map((a) => a.kind)).toEqual(['orphan-stop', 'orphan-stop']);
  });

  it('when another pile stops a transaction id it does not own, then that is an orphan too', async () => {
    const owner = await connectPile(gw, 'IDEM-OTHER');
    const { transactionId } = (await owner.call('StartTransaction', { ...start, meterStart: 77 })) as {
      transactionId: number;
    };
    await owner.close();
    const thief = await connectPile(gw, 'IDEM-ORPHAN');
    await thief.call('StopTransaction', { transactionId, meterStop: 99, timestamp: '2019-11-12T04:00:00Z' });
    await thief.close();
    await gw.flushJournal();
    const kinds = (await gw.stores.journal.anomalies({ pileId: 'IDEM-ORPHAN' })).map((a) => a.kind);
    expect(kinds).toEqual(['orphan-stop', 'orphan-stop', 'orphan-stop']);
  });
});
