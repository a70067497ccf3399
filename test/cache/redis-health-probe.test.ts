import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis } from '../../src/cache/redis-connection.js';
import { createRedisHealthProbe } from '../../src/cache/redis-health-probe.js';
import { describeUnlessSkipped, REDIS_URL, redisSkipReason } from './cache-harness.js';

describeUnlessSkipped('redis health probe: reachable', redisSkipReason, () => {
  let redis: Redis;
  beforeAll(() => {
    redis = createRedis(REDIS_URL!);
  });
  afterAll(() => redis.quit());

  it('when Redis answers PING, then the probe is ok', async () => {
    const probe = createRedisHealthProbe(redis);
    expect(probe.name).toBe('redis');
    expect(await probe.check()).toEqual({ ok: true });
  });
});

// Needs no Redis: port 1 on the loopback refuses connections.
describe('redis health probe: unreachable', () => {
  it('when nothing listens at the URL, then the probe fails fast with a reason instead of hanging', async () => {
    const errors: Error[] = [];
    const redis = createRedis('redis://127.0.0.1:1', { onError: (error) => errors.push(error) });
    try {
      const started = performance.now();
      const result = await createRedisHealthProbe(redis, { timeoutMs: 3_000 }).check();

      expect(result.ok).toBe(false);
      expect(result.detail).toEqual(expect.any(String));
      // The client gives up after one reconnect attempt, well before the probe's own deadline.
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
