import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { CommandBus, CommandExecutor, CommandOutcome, CommandRequest, Presence } from '../../src/app/ports.js';
import { createMemoryCommandBus } from '../../src/cache/memory-command-bus.js';
import { createMemoryPresence } from '../../src/cache/memory-presence.js';
import { type BusLogger, createRedisCommandBus, nodeChannel } from '../../src/cache/redis-command-bus.js';
import { createRedis, createSubscriber } from '../../src/cache/redis-connection.js';
import { createRedisPresence } from '../../src/cache/redis-presence.js';
import {
  aKeyPrefix,
  anEntry,
  aRequest,
  deleteKeys,
  describeUnlessSkipped,
  REDIS_URL,
  redisSkipReason,
} from './cache-harness.js';

// Short, so a send whose executor never answers gives up within ~timeoutMs + 50 ms.
const REPLY_MARGIN_MS = 50;

/** One gateway cluster: shared presence and one bus per node. */
interface Cluster {
  readonly presence: Presence;
  /** The bus of another node (the memory twin has one per process, so it returns the same). */
  node(): CommandBus;
  close(): Promise<void>;
  /** Set for Redis, whose wire format a test can reach directly. */
  readonly redis?: { readonly client: Redis; readonly keyPrefix: string };
}

interface Implementation {
  readonly name: string;
  readonly skipReason: string | undefined;
  open(): Promise<{ cluster(logger: BusLogger): Cluster; close(): Promise<void> }>;
}

const implementations: readonly Implementation[] = [
  {
    name: 'memory',
    skipReason: undefined,
    async open() {
      return {
        cluster() {
          const presence = createMemoryPresence();
          const bus = createMemoryCommandBus(presence, { replyMarginMs: REPLY_MARGIN_MS });
          return { presence, node: () => bus, close: () => bus.close() };
        },
        close: async () => {},
      };
    },
  },
  {
    name: 'redis',
    skipReason: redisSkipReason,
    async open() {
      const redis = createRedis(REDIS_URL!);
      const filePrefix = aKeyPrefix();
      let n = 0;
      return {
        cluster(logger) {
          const keyPrefix = `${filePrefix}${n++}:`;
          const presence = createRedisPresence(redis, { keyPrefix });
          const nodes: { bus: CommandBus; subscriber: Redis }[] = [];
          return {
            presence,
            redis: { client: redis, keyPrefix },
            node() {
              const subscriber = createSubscriber(redis);
              const bus = createRedisCommandBus({
                publisher: redis,
                subscriber,
                presence,
                keyPrefix,
                replyMarginMs: REPLY_MARGIN_MS,
                logger,
              });
              nodes.push({ bus, subscriber });
              return bus;
            },
            async close() {
              for (const { bus, subscriber } of nodes) {
                await bus.close();
                await subscriber.quit();
              }
            },
          };
        },
        async close() {
          await deleteKeys(redis, filePrefix);
          await redis.quit();
        },
      };
    },
  },
];

const answered = (result: Record<string, unknown>): CommandOutcome => ({ kind: 'answered', result });

/** An executor that records what reached it and answers with `outcome`. */
function anExecutor(outcome: (request: CommandRequest) => Promise<CommandOutcome>) {
  const received: CommandRequest[] = [];
  const executor: CommandExecutor = (request) => {
    received.push(request);
    return outcome(request);
  };
  return { executor, received };
}

const never = () => new Promise<CommandOutcome>(() => {});

for (const implementation of implementations) {
  describeUnlessSkipped(`command bus: ${implementation.name}`, implementation.skipReason, () => {
    let opened: Awaited<ReturnType<Implementation['open']>>;
    let cluster: Cluster;
    let warnings: string[];
    beforeAll(async () => {
      opened = await implementation.open();
    });
    afterAll(() => opened.close());
    beforeEach(() => {
      warnings = [];
      cluster = opened.cluster({ warn: (_context, message) => warnings.push(message) });
    });
    afterEach(() => cluster.close());

    it('when node A sends for a pile held by node B, then B executes it and A gets B’s answer', async () => {
      const [nodeA, nodeB] = [cluster.node(), cluster.node()];
      const a = anExecutor(async () => answered({ status: 'Rejected' }));
      const b = anExecutor(async () => answered({ status: 'Accepted' }));
      await nodeA.serve('node-a', a.executor);
      await nodeB.serve('node-b', b.executor);
      await cluster.presence.connect(anEntry({ nodeId: 'node-b' }));

      expect(await nodeA.send(aRequest())).toEqual(answered({ status: 'Accepted' }));
      expect(b.received).toEqual([aRequest()]);
      expect(a.received).toEqual([]);
    });

    it('when no node holds the pile, then the outcome is offline', async () => {
      const node = cluster.node();
      const a = anExecutor(async () => answered({}));
      await node.serve('node-a', a.executor);

      expect(await node.send(aRequest())).toEqual({ kind: 'offline' });
      expect(a.received).toEqual([]);
    });

    it('when the pile’s node serves no executor (it died), then the outcome is offline at once', async () => {
      const node = cluster.node();
      await node.serve('node-a', anExecutor(async () => answered({})).executor);
      await cluster.presence.connect(anEntry({ nodeId: 'node-gone' }));

      expect(await node.send(aRequest({ timeoutMs: 60_000 }))).toEqual({ kind: 'offline' });
    });

    it('when the executor never answers, then the outcome is timeout', async () => {
      const node = cluster.node();
      await node.serve('node-a', anExecutor(never).executor);
      await cluster.presence.connect(anEntry());

      expect(await node.send(aRequest({ timeoutMs: 50 }))).toEqual({ kind: 'timeout' });
    });

    it.each<CommandOutcome>([
      { kind: 'error', code: 'NotSupported', description: 'no such connector' },
      { kind: 'invalid', description: 'connectorId must be integer' },
      { kind: 'timeout' },
    ])('when the executor answers $kind, then the sender gets that outcome unchanged', async (outcome) => {
      const [nodeA, nodeB] = [cluster.node(), cluster.node()];
      await nodeB.serve('node-b', anExecutor(async () => outcome).executor);
      await cluster.presence.connect(anEntry({ nodeId: 'node-b' }));

      expect(await nodeA.send(aRequest())).toEqual(outcome);
    });

    it('when the executor throws, then the sender gets an InternalError outcome', async () => {
      const node = cluster.node();
      await node.serve('node-a', anExecutor(async () => Promise.reject(new Error('socket gone'))).executor);
      await cluster.presence.connect(anEntry());

      expect(await node.send(aRequest())).toEqual({ kind: 'error', code: 'InternalError', description: 'socket gone' });
    });

    it('when the sending bus closes with a command in flight, then that send settles as timeout', async () => {
      const [nodeA, nodeB] = [cluster.node(), cluster.node()];
      const b = anExecutor(never);
      await nodeB.serve('node-b', b.executor);
      await cluster.presence.connect(anEntry({ nodeId: 'node-b' }));

      const outcome = nodeA.send(aRequest({ timeoutMs: 60_000 }));
      await vi.waitFor(() => expect(b.received).toHaveLength(1));
      await nodeA.close();

      expect(await outcome).toEqual({ kind: 'timeout' });
      await expect(nodeA.send(aRequest())).rejects.toThrow('command bus is closed');
    });

    // Only Redis has a wire that other processes can write garbage to.
    if (implementation.name === 'redis') {
      it('when garbage arrives on the request and reply channels, then it is dropped with a warning and routing goes on', async () => {
        const [nodeA, nodeB] = [cluster.node(), cluster.node()];
        await nodeB.serve('node-b', anExecutor(async () => answered({ status: 'Accepted' })).executor);
        await cluster.presence.connect(anEntry({ nodeId: 'node-b' }));
        expect(await nodeA.send(aRequest())).toEqual(answered({ status: 'Accepted' }));

        const { client: redis, keyPrefix } = cluster.redis!;
        const [replyChannel] = (await redis.pubsub('CHANNELS', `${keyPrefix}commands:reply:*`)) as string[];
        const garbage = [
          'not json',
          '[]',
          '{"requestId":7}',
          '{"requestId":"r","replyTo":"x","request":{"action":"Explode"}}',
        ];
        for (const text of garbage) {
          await redis.publish(nodeChannel(keyPrefix, 'node-b'), text);
          await redis.publish(replyChannel!, text);
        }
        // A well-formed reply nobody waits for (its sender gave up) is not worth a warning.
        await redis.publish(replyChannel!, JSON.stringify({ requestId: 'gone', outcome: { kind: 'offline' } }));

        await vi.waitFor(() => expect(warnings).toHaveLength(garbage.length * 2));
        expect(await nodeA.send(aRequest())).toEqual(answered({ status: 'Accepted' }));
      });
    }
  });
}
