// DESIGN.md §1 principle 1: a call is answered only after its frame is committed; a frame that
// cannot be stored is not acknowledged, so the pile keeps it and retries.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JournalBatch } from '../../src/app/ports.js';
import type { KyselyStores } from '../../src/storage/kysely-stores.js';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

/** A journal store whose commits wait for `open()` or fail while `failing` is set. */
function gatedJournal(stores: KyselyStores) {
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const state = {
    failing: false,
    committed: [] as { at: number; batch: JournalBatch }[],
    close() {
      gate = new Promise((resolve) => (release = resolve));
    },
    open: () => release(),
  };
  const journal = {
    ...stores.journal,
    async commit(batch: JournalBatch) {
      await gate;
      if (state.failing) throw new Error('disk full');
      await stores.journal.commit(batch);
      state.committed.push({ at: Date.now(), batch });
    },
  };
  return { state, stores: { ...stores, journal } };
}

forEachDialect('gateway: journal before reply', (ctx) => {
  let gw: TestGateway;
  let gated: ReturnType<typeof gatedJournal>;
  beforeAll(async () => {
    gated = gatedJournal(ctx.stores());
    gw = await startTestGateway({ stores: gated.stores });
    await gw.addPile('DUR-1');
  });
  afterAll(() => gw.close());

  const start = { connectorId: 1, idTag: 'ANY', meterStart: 5, timestamp: '2020-01-13T08:00:00Z' };

  for (const [action, params] of [
    ['Heartbeat', {}],
    ['StartTransaction', start],
  ] as const) {
    it(`when the journal commit is slow, then the ${action} reply waits for it`, async () => {
      const pile = await connectPile(gw, 'DUR-1');
      gated.state.close();
      let repliedAt = 0;
      const reply = pile.call(action, params).then(() => {
        repliedAt = Date.now();
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(repliedAt).toBe(0);
      gated.state.open();
      await reply;
      const frameCommit = gated.state.committed.find((c) =>
        c.batch.frames.some((f) => f.action === action && f.direction === 'in'),
      );
      expect(frameCommit).toBeDefined();
      expect(frameCommit!.at).toBeLessThanOrEqual(repliedAt);
      await pile.close();
    });
  }

  for (const [action, params] of [
    ['Heartbeat', {}],
    ['MeterValues', { connectorId: 1, meterValue: [] }],
  ] as const) {
    it(`when a ${action} needs no lookup, then its reply is committed in the call's row before it is sent`, async () => {
      const pile = await connectPile(gw, 'DUR-1');
      const received: string[] = [];
      pile.on('message', ({ message, outbound }: { message: string; outbound: boolean }) => {
        if (!outbound) received.push(message);
      });
      gated.state.close();
      const reply = pile.call(action, params);
      await new Promise((r) => setTimeout(r, 100));
      expect(received).toEqual([]);
      gated.state.open();
      await reply;
      const messageId = (JSON.parse(received[0]!) as [number, string])[1];
      const stored = gated.state.committed.flatMap((c) => c.batch.frames).find((f) => f.messageId === messageId);
      expect(stored?.reply?.raw).toBe(received[0]);
      await pile.close();
      await gw.flushJournal();
      const frames = await gw.stores.journal.frames({ pileId: 'DUR-1', limit: 10_000 });
      const exchange = frames.filter((f) => f.messageId === messageId);
      expect(exchange.map((f) => [f.direction, f.messageType, f.action])).toEqual([
        ['in', 2, action],
        ['out', 3, action],
      ]);
      expect(exchange[1]!.raw).toBe(received[0]);
    });
  }

  it('when the journal cannot be written, then the call gets InternalError and a retry after recovery is stored', async () => {
    const pile = await connectPile(gw, 'DUR-1');
    gated.state.failing = true;
    const stop = { transactionId: 1, meterStop: 50, timestamp: '2020-01-13T09:00:00Z' };
    await expect(pile.call('StopTransaction', stop)).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
    gated.state.failing = false;
    expect(await pile.call('StopTransaction', stop)).toEqual({});
    await pile.close();
    await gw.flushJournal();
    const stops = (await gw.stores.journal.txMessages({ pileId: 'DUR-1' })).filter((m) => m.kind === 'stop');
    expect(stops).toHaveLength(1);
  });
});
