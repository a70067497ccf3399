// Two gateway nodes sharing one database and one Redis: commands reach the node holding the
// pile, a reconnect to another node retires the old socket, a dead node's piles go offline.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisCommandBus } from '../../src/cache/redis-command-bus.js';
import { createRedis, createSubscriber } from '../../src/cache/redis-connection.js';
import { createRedisPresence } from '../../src/cache/redis-presence.js';
import { createDatabase } from '../../src/storage/database.js';
import { createKyselyStores } from '../../src/storage/kysely-stores.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { aKeyPrefix, deleteKeys, describeUnlessSkipped, REDIS_URL, redisSkipReason } from '../cache/cache-harness.js';
import { connectPile, connectRaw, eventually, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

describeUnlessSkipped('gateway cluster over redis', redisSkipReason, () => {
  const keyPrefix = aKeyPrefix();
  const connections: Redis[] = [];
  const database = createDatabase({ sqlitePath: ':memory:' });
  let nodeA: TestGateway;
  let nodeB: TestGateway;

  const node = async (nodeId: string) => {
    const redis = createRedis(REDIS_URL!);
    const subscriber = createSubscriber(redis);
    connections.push(redis, subscriber);
    const presence = createRedisPresence(redis, { keyPrefix });
    const commands = createRedisCommandBus({ publisher: redis, subscriber, presence, keyPrefix });
    // Offline after 3 s; presence written at most every second.
    const env = { HEARTBEAT_INTERVAL_S: '1', OFFLINE_AFTER_HEARTBEATS: '3', OFFLINE_MIN_S: '0', PING_INTERVAL_S: '0' };
    return startTestGateway({ stores: createKyselyStores(database), presence, commands, nodeId, env });
  };

  beforeAll(async () => {
    await migrateToLatest(database.db);
    nodeA = await node('node-a');
    nodeB = await node('node-b');
    for (const id of ['CL-1', 'CL-2']) await nodeA.addPile(id);
  });
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    await deleteKeys(connections[0]!, keyPrefix);
    await Promise.all(connections.map((c) => c.quit()));
    await database.close();
  });

  it('when a pile is connected to node B, then a command sent through node A reaches it', async () => {
    const pile = await connectPile(nodeB, 'CL-1');
    pile.handle('Reset', async () => ({ status: 'Accepted' }));
    const { status, body } = await nodeA.api('POST', '/piles/CL-1/commands', {
      action: 'Reset',
      payload: { type: 'Soft' },
    });
    expect(status).toBe(200);
    expect(body.result).toEqual({ status: 'Accepted' });
    expect((await nodeA.api('GET', '/piles/CL-1')).body.status).toMatchObject({ online: true, nodeId: 'node-b' });
    await pile.close();
  });

  it('when a pile reconnects to another node, then the old node closes its stale socket', async () => {
    const old = await connectRaw(nodeA, 'CL-2');
    const fresh = await connectPile(nodeB, 'CL-2');
    await new Promise((r) => setTimeout(r, 1100));
    old.ws.send('[2,"late","Heartbeat",{}]');
    expect((await old.closed).code).toBe(1000);
    expect(await fresh.call('Heartbeat', {})).toHaveProperty('currentTime');
    const { body } = await nodeA.api('GET', '/piles/CL-2');
    expect(body.status).toMatchObject({ online: true, nodeId: 'node-b' });
    expect(body.status.offlineIntervals).toEqual([]);
    await fresh.close();
  });

  it('when a node dies holding a pile, then another node marks the pile offline from its last frame', async () => {
    const presence = createRedisPresence(connections[0]!, { keyPrefix });
    const lastSeenAt = Date.now() - 60_000;
    await presence.connect({
      pileId: 'CL-DEAD',
      nodeId: 'node-gone',
      connectionId: 'c-gone',
      connectedAt: lastSeenAt,
      lastSeenAt,
    });
    await eventually(async () => {
      expect(await presence.get('CL-DEAD')).toBeUndefined();
      const intervals = await nodeA.stores.offlineLog.list('CL-DEAD', 5);
      expect(intervals).toEqual([{ pileId: 'CL-DEAD', startedAt: lastSeenAt, endedAt: null, cause: 'silence' }]);
    }, 8000);
  });
});
