// When billing runs. A pile is billed again shortly after any transaction message of it was
// stored, and again on every run while one of its sessions still has no final bill, so that
// codes 1 and 2 are raised when their grace time is up and cleared when the late bill comes.
// At start every registered pile is billed once: nothing is lost across a restart.
import type { Clock, PileStore } from './ports.js';

export interface PileBiller {
  billPile(pileId: string, nowMs: number): Promise<{ readonly ok: boolean; readonly pending?: number }>;
}

export interface BillingScheduler {
  /** Marks a pile for the next run: a transaction message of it was stored. */
  touched(pileId: string): void;
  /** Bills every marked pile once; resolves when done. Runs never overlap. */
  runOnce(): Promise<void>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createBillingScheduler(deps: {
  readonly billing: PileBiller;
  readonly piles: PileStore;
  readonly clock: Clock;
  readonly onError: (pileId: string, error: unknown) => void;
}): BillingScheduler {
  const marked = new Set<string>();
  const pending = new Set<string>();
  let seeded = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function run(): Promise<void> {
    if (!seeded) {
      for (const pile of await deps.piles.list()) marked.add(pile.id);
      seeded = true;
    }
    const due = new Set([...marked, ...pending]);
    marked.clear();
    pending.clear();
    for (const pileId of due) {
      try {
        const result = await deps.billing.billPile(pileId, deps.clock.now());
        if (result.ok && (result.pending ?? 0) > 0) pending.add(pileId);
      } catch (error) {
        // Tried again on the next run; one pile's failure does not stop the others.
        marked.add(pileId);
        deps.onError(pileId, error);
      }
    }
  }

  const runOnce = (): Promise<void> => {
    running ??= run().finally(() => (running = undefined));
    return running;
  };

  return {
    touched: (pileId) => void marked.add(pileId),
    runOnce,
    start(intervalMs) {
      timer = setInterval(() => void runOnce().catch((error) => deps.onError('*', error)), intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
