import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Presence, PresenceEntry } from '../../src/app/ports.js';
import { createMemoryPresence } from '../../src/cache/memory-presence.js';
import { createRedis } from '../../src/cache/redis-connection.js';
import { createRedisPresence } from '../../src/cache/redis-presence.js';
import {
  aKeyPrefix,
  anEntry,
  deleteKeys,
  describeUnlessSkipped,
  REDIS_URL,
  redisSkipReason,
  T0,
} from './cache-harness.js';

interface Implementation {
  readonly name: string;
  readonly skipReason: string | undefined;
  open(): Promise<{ fresh(): Presence; close(): Promise<void> }>;
}

const implementations: readonly Implementation[] = [
  {
    name: 'memory',
    skipReason: undefined,
    async open() {
      return { fresh: createMemoryPresence, close: async () => {} };
    },
  },
  {
    name: 'redis',
    skipReason: redisSkipReason,
    async open() {
      const redis: Redis = createRedis(REDIS_URL!);
      const filePrefix = aKeyPrefix();
      let n = 0;
      return {
        // A prefix per test: each starts from an empty cluster.
        fresh: () => createRedisPresence(redis, { keyPrefix: `${filePrefix}${n++}:` }),
        async close() {
          await deleteKeys(redis, filePrefix);
          await redis.quit();
        },
      };
    },
  },
];

const byPileId = (entries: readonly PresenceEntry[]) => [...entries].sort((a, b) => a.pileId.localeCompare(b.pileId));

for (const implementation of implementations) {
  describeUnlessSkipped(`presence: ${implementation.name}`, implementation.skipReason, () => {
    let opened: Awaited<ReturnType<Implementation['open']>>;
    let presence: Presence;
    beforeAll(async () => {
      opened = await implementation.open();
    });
    afterAll(() => opened.close());
    beforeEach(() => {
      presence = opened.fresh();
    });

    it('when a pile connects for the first time, then nothing is replaced and get returns the entry', async () => {
      expect(await presence.connect(anEntry())).toBeUndefined();
      expect(await presence.get('pile-1')).toEqual(anEntry());
    });

    it('when a pile reconnects, then connect returns the old entry and the new connection holds the pile', async () => {
      await presence.connect(anEntry());
      await presence.touch('pile-1', 'conn-1', T0 + 5_000);
      const second = anEntry({
        nodeId: 'node-b',
        connectionId: 'conn-2',
        connectedAt: T0 + 9_000,
        lastSeenAt: T0 + 9_000,
      });

      expect(await presence.connect(second)).toEqual(anEntry({ lastSeenAt: T0 + 5_000 }));
      expect(await presence.get('pile-1')).toEqual(second);
    });

    it('when the connection touches, then lastSeenAt only ever moves forward', async () => {
      await presence.connect(anEntry());
      expect(await presence.touch('pile-1', 'conn-1', T0 + 2_000)).toBe(true);
      expect(await presence.touch('pile-1', 'conn-1', T0 + 1_000)).toBe(true);
      expect((await presence.get('pile-1'))?.lastSeenAt).toBe(T0 + 2_000);
    });

    it('when the replaced connection touches or disconnects late, then the new connection keeps the pile', async () => {
      await presence.connect(anEntry());
      const second = anEntry({ connectionId: 'conn-2', lastSeenAt: T0 + 1_000 });
      await presence.connect(second);

      expect(await presence.touch('pile-1', 'conn-1', T0 + 60_000)).toBe(false);
      expect(await presence.disconnect('pile-1', 'conn-1')).toBe(false);
      expect(await presence.get('pile-1')).toEqual(second);
    });

    it('when the holding connection disconnects, then the pile is gone', async () => {
      await presence.connect(anEntry());
      expect(await presence.disconnect('pile-1', 'conn-1')).toBe(true);
      expect(await presence.get('pile-1')).toBeUndefined();
      expect(await presence.list()).toEqual([]);
    });

    it('when a pile was never connected, then touch creates nothing and disconnect reports false', async () => {
      expect(await presence.touch('pile-x', 'conn-1', T0)).toBe(false);
      expect(await presence.disconnect('pile-x', 'conn-1')).toBe(false);
      expect(await presence.get('pile-x')).toBeUndefined();
    });

    it('when several piles are connected, then list returns each one once', async () => {
      const pile2 = anEntry({ pileId: 'pile-2', nodeId: 'node-b', connectionId: 'conn-2' });
      const pile3 = anEntry({ pileId: 'pile-3', connectionId: 'conn-3', lastSeenAt: T0 + 7 });
      const pile1 = anEntry({ connectionId: 'conn-4' });
      for (const entry of [pile2, anEntry(), pile3, pile1]) await presence.connect(entry);

      expect(byPileId(await presence.list())).toEqual([pile1, pile2, pile3]);
    });

    it('when piles fall silent, then listSilentSince returns those last seen strictly before the cutoff', async () => {
      await presence.connect(anEntry({ pileId: 'quiet', connectionId: 'c-quiet', lastSeenAt: T0 }));
      await presence.connect(anEntry({ pileId: 'edge', connectionId: 'c-edge', lastSeenAt: T0 + 1_000 }));
      await presence.connect(anEntry({ pileId: 'woke', connectionId: 'c-woke', lastSeenAt: T0 }));
      await presence.touch('woke', 'c-woke', T0 + 5_000);

      const silent = await presence.listSilentSince(T0 + 1_000);
      expect(silent.map((e) => e.pileId)).toEqual(['quiet']);
      expect(silent[0]).toEqual(anEntry({ pileId: 'quiet', connectionId: 'c-quiet' }));
    });
  });
}
