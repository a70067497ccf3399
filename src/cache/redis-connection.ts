// ioredis clients for presence and command routing. The gateway answers piles in real time, so
// a dead or hung Redis must turn into a fast error, never into requests that wait forever.
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  /**
   * Connection errors (refused, reset, reconnect attempts). Without a listener ioredis prints
   * "[ioredis] Unhandled error event" to stderr on every failed reconnect.
   */
  readonly onError?: (error: Error) => void;
}

const OPTIONS: RedisOptions = {
  lazyConnect: false,
  connectTimeout: 2_000,
  // Bounds every command, including one waiting in the offline queue or on a hung server.
  commandTimeout: 2_000,
  // A command queued while disconnected fails after one reconnect attempt instead of the
  // default 20 (which, with backoff, holds a caller for seconds per command).
  maxRetriesPerRequest: 1,
  // Kept on (the default): commands issued right after start-up or during a short reconnect
  // wait for the connection instead of failing at once; the two limits above bound the wait.
  enableOfflineQueue: true,
  // Reconnect forever, at most every 2 s: Redis coming back must heal the gateway by itself.
  retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
};

function withErrorListener(redis: Redis, options: RedisConnectionOptions): Redis {
  if (options.onError !== undefined) redis.on('error', options.onError);
  return redis;
}

/** A client for `redis://` or `rediss://` URLs; connects at once. */
export function createRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  return withErrorListener(new Redis(url, OPTIONS), options);
}

/**
 * A second connection with the same settings, for SUBSCRIBE (a subscribed connection can run
 * nothing else). Event listeners are not copied, hence options again. No ready check: it sends
 * INFO, which Redis refuses once a SUBSCRIBE queued during the connect has gone out first.
 */
export function createSubscriber(redis: Redis, options: RedisConnectionOptions = {}): Redis {
  return withErrorListener(redis.duplicate({ enableReadyCheck: false }), options);
}
