// Readiness of the Redis connection for /readyz.
import type { Redis } from 'ioredis';
import type { HealthProbe } from '../app/ports.js';

export function createRedisHealthProbe(redis: Redis, options: { readonly timeoutMs?: number } = {}): HealthProbe {
  const timeoutMs = options.timeoutMs ?? 1_000;
  return {
    name: 'redis',
    async check() {
      // Own deadline, so a probe answers in time whatever the client's retry settings are.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([redis.ping(), deadline]);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
