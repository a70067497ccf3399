// When billing runs: the scheduler with a recording biller and a clock set by the test.
import { describe, expect, it } from 'vitest';
import { createBillingScheduler, type PileBiller } from '../../src/app/billing-scheduler.js';

function setUp(
  active: string[],
  recheckAt: Record<string, number> = {},
  failing = new Set<string>(),
  rebill: Record<string, string[]> = {},
) {
  let nowMs = 1_000;
  const billed: string[] = [];
  const errors: string[] = [];
  const billing: PileBiller = {
    async billPile(pileId) {
      billed.push(pileId);
      if (failing.has(pileId)) throw new Error('database gone');
      return { ok: true, recheckAt: recheckAt[pileId] ?? null, rebill: rebill[pileId] ?? [] };
    },
  };
  const scheduler = createBillingScheduler({
    billing,
    activePiles: async () => active,
    clock: { now: () => nowMs },
    onError: (pileId) => errors.push(pileId),
  });
  return { scheduler, billed, errors, setTime: (ms: number) => void (nowMs = ms) };
}

describe('billing scheduler', () => {
  it('when it first runs, then every pile with recent transaction messages is billed once', async () => {
    const { scheduler, billed } = setUp(['A', 'B']);
    await scheduler.runOnce();
    expect(billed).toEqual(['A', 'B']);
    await scheduler.runOnce();
    expect(billed).toEqual(['A', 'B']);
  });

  it('when a pile is touched, then the next run bills it and only it', async () => {
    const { scheduler, billed } = setUp(['A', 'B']);
    await scheduler.runOnce();
    scheduler.touched('B');
    await scheduler.runOnce();
    expect(billed).toEqual(['A', 'B', 'B']);
  });

  it('when a session waits for its final bill, then the pile is billed again when codes 1 and 2 fall due, not before', async () => {
    const { scheduler, billed, setTime } = setUp(['A'], { A: 5_000 });
    await scheduler.runOnce();
    setTime(4_999);
    await scheduler.runOnce();
    expect(billed).toEqual(['A']);
    setTime(5_000);
    await scheduler.runOnce();
    expect(billed).toEqual(['A', 'A']);
  });

  it('when billing a pile names piles to bill again, then the next run bills them, once each', async () => {
    const { scheduler, billed } = setUp(['A', 'B', 'C'], {}, new Set(), { A: ['C', 'B'], B: ['C'] });
    await scheduler.runOnce();
    expect(billed).toEqual(['A', 'B', 'C']);
    await scheduler.runOnce();
    expect(billed).toEqual(['A', 'B', 'C', 'C', 'B']);
  });

  it('when billing a pile fails, then it is reported and billed again on the next run', async () => {
    const failing = new Set(['A']);
    const { scheduler, billed, errors } = setUp(['A', 'B'], {}, failing);
    await scheduler.runOnce();
    expect(errors).toEqual(['A']);
    failing.clear();
    await scheduler.runOnce();
    expect(billed).toEqual(['A', 'B', 'A']);
  });
});
