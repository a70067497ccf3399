// Remote commands from the API to a pile, with an answer for every way it can go.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

forEachDialect('gateway: remote commands', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ stores: ctx.stores() });
    for (const id of ['CMD-1', 'CMD-OFF']) await gw.addPile(id);
  });
  afterAll(() => gw.close());

  const send = (pileId: string, action: string, payload: unknown, timeoutMs?: number) =>
    gw.api('POST', `/piles/${pileId}/commands`, { action, payload, ...(timeoutMs ? { timeoutMs } : {}) });

  it('when the pile answers, rejects, fails or stays silent, then the API says which', async () => {
    const pile = await connectPile(gw, 'CMD-1', { strictMode: true });
    pile.handle('Reset', async ({ params }) => ({ status: params?.type === 'Soft' ? 'Accepted' : 'Rejected' }));
    pile.handle('GetConfiguration', async () => ({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '60' }],
    }));
    pile.handle('UnlockConnector', async () => {
      throw new Error('motor jammed');
    });
    pile.handle('TriggerMessage', () => new Promise(() => undefined));

    expect(await send('CMD-1', 'Reset', { type: 'Soft' })).toMatchObject({
      status: 200,
      body: { outcome: 'answered', result: { status: 'Accepted' } },
    });
    expect((await send('CMD-1', 'Reset', { type: 'Hard' })).body).toMatchObject({ result: { status: 'Rejected' } });
    expect((await send('CMD-1', 'GetConfiguration', {})).body.result.configurationKey[0].key).toBe('HeartbeatInterval');
    const failed = await send('CMD-1', 'UnlockConnector', { connectorId: 1 });
    expect(failed.status).toBe(502);
    expect(failed.body.error.ocppError).toEqual({ code: 'GenericError', description: 'motor jammed' });
    expect((await send('CMD-1', 'TriggerMessage', { requestedMessage: 'Heartbeat' }, 300)).status).toBe(504);
    const invalid = await send('CMD-1', 'Reset', { type: 'Sideways' });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('type');

    // force: the TriggerMessage handler never settles, and a graceful close would wait for it.
    await pile.close({ force: true });
    await gw.flushJournal();
    const outbound = (await gw.stores.journal.frames({ pileId: 'CMD-1' })).filter((f) => f.direction === 'out');
    expect(outbound.map((f) => f.action)).toEqual([
      'Reset',
      'Reset',
      'GetConfiguration',
      'UnlockConnector',
      'TriggerMessage',
    ]);
    const answers = (await gw.stores.journal.frames({ pileId: 'CMD-1' })).filter((f) => f.direction === 'in');
    expect(answers.map((f) => [f.messageType, f.action])).toEqual([
      [3, 'Reset'],
      [3, 'Reset'],
      [3, 'GetConfiguration'],
      [4, 'UnlockConnector'],
    ]);
  });

  it('when the pile is offline or unknown, or the action is not a command, then the API refuses clearly', async () => {
    const offline = await send('CMD-OFF', 'Reset', { type: 'Soft' });
    expect(offline.status).toBe(409);
    expect(JSON.stringify(offline.body)).toContain('pile-offline');
    expect((await send('NO-SUCH-PILE', 'Reset', { type: 'Soft' })).status).toBe(404);
    expect((await send('CMD-OFF', 'BootNotification', {})).status).toBe(400);
  });
});
