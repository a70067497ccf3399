// A transactionId or connectorId larger than the journal's 32-bit columns (OCPP's schema sets no
// bound): answered normally, journaled raw, flagged, and never failing the group commit that
// carries other piles' frames with it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const HUGE = 2 ** 40;
const sample = (transactionId: number) => ({
  connectorId: 1,
  transactionId,
  meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '1000' }] }],
});

forEachDialect('gateway: ids too large to store', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ stores: ctx.stores() });
    await gw.addPile('HUGE-ID-1');
    await gw.addPile('HUGE-ID-2');
  });
  afterAll(() => gw.close());

  it('when a pile sends a transactionId beyond 32 bits, then it is answered, stored without it and flagged, and another pile in the same commit is unharmed', async () => {
    const [odd, normal] = await Promise.all([connectPile(gw, 'HUGE-ID-1'), connectPile(gw, 'HUGE-ID-2')]);
    const replies = await Promise.all([
      odd.call('MeterValues', sample(HUGE)),
      normal.call('MeterValues', sample(7)),
      odd.call('StopTransaction', { transactionId: HUGE, meterStop: 2000, timestamp: new Date().toISOString() }),
    ]);
    expect(replies).toEqual([{}, {}, {}]);
    await Promise.all([odd.close(), normal.close()]);
    await gw.flushJournal();

    const stored = (await gw.api('GET', '/piles/HUGE-ID-1/transactions')).status;
    expect(stored).toBe(200);
    const anomalies = (await gw.api('GET', '/piles/HUGE-ID-1/anomalies')).body.anomalies as {
      kind: string;
      detail: unknown;
    }[];
    expect(anomalies.filter((a) => a.kind === 'id-out-of-range').map((a) => JSON.parse(a.detail as string))).toEqual([
      { field: 'transactionId', value: HUGE },
      { field: 'transactionId', value: HUGE },
    ]);
    const messages = await ctx.stores().journal.txMessages({ pileId: 'HUGE-ID-1' });
    expect(messages.map((m) => [m.kind, m.transactionId])).toEqual(
      expect.arrayContaining([
        ['meter', null],
        ['stop', null],
      ]),
    );
    const theirs = await ctx.stores().journal.txMessages({ pileId: 'HUGE-ID-2' });
    expect(theirs.map((m) => m.transactionId)).toEqual([7]);
  });
});
