// Authentication at the upgrade, one socket per pile, online/offline with stored intervals.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, connectRaw, eventually, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

forEachDialect('gateway: authentication and presence', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Offline after 1 s of silence; no server pings, so only frames count.
    gw = await startTestGateway({
      stores: ctx.stores(),
      env: { HEARTBEAT_INTERVAL_S: '1', OFFLINE_AFTER_HEARTBEATS: '1', OFFLINE_MIN_S: '0', PING_INTERVAL_S: '0' },
    });
    for (const id of ['AUTH-1', 'PRES-1', 'PRES-2', 'PRES-3']) await gw.addPile(id);
  });
  afterAll(() => gw.close());

  it('when the pile is unknown, the password wrong or missing, or the path not /ocpp/{id}, then the upgrade is refused', async () => {
    await expect(connectRaw(gw, 'NOBODY')).rejects.toThrow('HTTP 401');
    await expect(connectRaw(gw, 'AUTH-1', 'wrong-password-000')).rejects.toThrow('HTTP 401');
    await expect(connectPile({ ocppUrl: gw.ocppUrl }, 'AUTH-1', { password: '' })).rejects.toThrow();
    await expect(connectRaw({ ocppUrl: `${gw.ocppUrl}/extra` }, 'AUTH-1')).rejects.toThrow('HTTP 404');
    await gw.flushJournal();
    expect(await gw.stores.journal.frames({ pileId: 'AUTH-1' })).toEqual([]);
    expect((await gw.api('GET', '/piles/AUTH-1')).body.status.online).toBe(false);
  });

  it('when a second connection arrives with the same pile id, then it replaces the first without an offline interval', async () => {
    const first = await connectRaw(gw, 'PRES-1');
    const second = await connectPile(gw, 'PRES-1');
    expect((await first.closed).code).toBe(1000);
    expect(await second.call('Heartbeat', {})).toHaveProperty('currentTime');
    const { body } = await gw.api('GET', '/piles/PRES-1');
    expect(body.status.online).toBe(true);
    expect(body.status.offlineIntervals).toEqual([]);
    await second.close();
  });

  it('when a pile disconnects and comes back, then the offline interval is stored with start and end', async () => {
    const pile = await connectPile(gw, 'PRES-2');
    await pile.close();
    const open = await eventually(async () => {
      const { body } = await gw.api('GET', '/piles/PRES-2');
      expect(body.status.online).toBe(false);
      expect(body.status.offlineIntervals).toHaveLength(1);
      return body.status.offlineIntervals[0];
    });
    expect(open).toMatchObject({ cause: 'disconnect', endedAt: null });
    const again = await connectPile(gw, 'PRES-2');
    await eventually(async () => {
      const { body } = await gw.api('GET', '/piles/PRES-2');
      expect(body.status.online).toBe(true);
      expect(body.status.offlineIntervals[0].endedAt).not.toBeNull();
    });
    await again.close();
  });

  it('when a connected pile sends nothing for k × heartbeat, then it is offline from its last frame and its socket closed', async () => {
    const { ws, closed } = await connectRaw(gw, 'PRES-3');
    ws.send('[2,"h1","Heartbeat",{}]');
    const lastFrameAt = Date.now();
    const { code } = await closed;
    expect(code).toBe(1001);
    const interval = await eventually(async () => {
      const { body } = await gw.api('GET', '/piles/PRES-3');
      expect(body.status.online).toBe(false);
      expect(body.status.offlineIntervals).toHaveLength(1);
      return body.status.offlineIntervals[0];
    });
    expect(interval.cause).toBe('silence');
    const startedAt = typeof interval.startedAt === 'number' ? interval.startedAt : Date.parse(interval.startedAt);
    expect(Math.abs(startedAt - lastFrameAt)).toBeLessThan(500);
    expect(Date.now() - lastFrameAt).toBeGreaterThanOrEqual(1000);
  });

  it('when the gateway shuts down, then every disconnect is recorded before it returns', async () => {
    const stores = ctx.stores();
    // A slow database: offline records land well after the sockets have closed.
    const slowOfflineLog = {
      ...stores.offlineLog,
      open: async (pileId: string, atMs: number, cause: string) => {
        await new Promise((r) => setTimeout(r, 200));
        await stores.offlineLog.open(pileId, atMs, cause);
      },
    };
    const other = await startTestGateway({ stores: { ...stores, offlineLog: slowOfflineLog } });
    await other.addPile('PRES-4');
    await other.addPile('PRES-5');
    await connectPile(other, 'PRES-4');
    const leaving = await connectPile(other, 'PRES-5');
    await leaving.close();
    await other.close();
    for (const pileId of ['PRES-4', 'PRES-5']) {
      expect(await stores.offlineLog.list(pileId, 5)).toEqual([
        expect.objectContaining({ cause: 'disconnect', endedAt: null }),
      ]);
    }
  });
});
