import { describe, expect, it } from 'vitest';
import { createUlidGenerator, pooledRandom } from '../../src/main.js';

describe('ids', () => {
  it('when many ids are made in the same millisecond and the next, then they are unique and sorted', () => {
    let now = Date.UTC(2026, 10, 21);
    const ids = createUlidGenerator({ now: () => now });
    const made = Array.from({ length: 20_000 }, (_, i) => {
      if (i === 10_000) now += 1;
      return ids.next();
    });
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    expect(made[0]).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('when the random pool is used up, then it is refilled and every value stays in [0, 1)', () => {
    const random = pooledRandom(16);
    const values = Array.from({ length: 1_000 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values.slice(0, 16)).size).toBeGreaterThan(1);
    expect(values.slice(0, 16)).not.toEqual(values.slice(16, 32));
  });
});
