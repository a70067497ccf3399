// Shared by the cache suites: every behavioural suite runs against the in-process twin and,
// when REDIS_URL is set, against Redis. A missing Redis is reported as a skip with its reason.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { describe } from 'vitest';
import type { CommandRequest, PresenceEntry } from '../../src/app/ports.js';

export const REDIS_URL = process.env.REDIS_URL;
export const redisSkipReason = REDIS_URL === undefined ? 'REDIS_URL not set' : undefined;

export function describeUnlessSkipped(name: string, skipReason: string | undefined, body: () => void): void {
  if (skipReason === undefined) describe(name, body);
  else describe.skip(`${name} (skipped: ${skipReason})`, body);
}

/** A prefix for keys and channels that no other test file uses, so files can share one Redis. */
export function aKeyPrefix(): string {
  return `pilegate-test:${randomUUID()}:`;
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

// 2026-01-01T00:00:00.123Z: a realistic epoch-ms value, large enough to catch lossy encodings.
export const T0 = 1_767_225_600_123;

export function anEntry(overrides: Partial<PresenceEntry> = {}): PresenceEntry {
  return {
    pileId: 'pile-1',
    nodeId: 'node-a',
    connectionId: 'conn-1',
    connectedAt: T0,
    lastSeenAt: T0,
    ...overrides,
  };
}

export function aRequest(overrides: Partial<CommandRequest> = {}): CommandRequest {
  return {
    pileId: 'pile-1',
    action: 'RemoteStopTransaction',
    payload: { transactionId: 42 },
    timeoutMs: 5_000,
    ...overrides,
  };
}
