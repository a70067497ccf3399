// When billing runs. A pile is billed on the next run after a session of it started, stopped
// or was billed by the pile, and again when a session still waiting for its final bill falls
// due for code 1 or 2, so that those codes are raised on time and cleared when the late bill
// comes; and on the next run after billing another pile changed a bill that its bills are
// judged against (code 7, one idTag in two places at once). At start every pile with
// transaction messages in the lookback window is billed once: nothing is lost across a restart,
// and an idle fleet costs one query.
import type { Clock } from './ports.js';

export interface PileBiller {
  billPile(
    pileId: string,
    nowMs: number,
  ): Promise<{ readonly ok: boolean; readonly recheckAt?: number | null; readonly rebill?: readonly string[] }>;
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
  /** The piles that may have sessions to bill: those with recent transaction messages. */
  readonly activePiles: () => Promise<readonly string[]>;
  readonly clock: Clock;
  readonly onError: (pileId: string, error: unknown) => void;
}): BillingScheduler {
  const marked = new Set<string>();
  /** Piles with a session waiting for its final bill, and when codes 1 and 2 fall due. */
  const waiting = new Map<string, number>();
  let seeded = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function run(): Promise<void> {
    if (!seeded) {
      for (const pileId of await deps.activePiles()) marked.add(pileId);
      seeded = true;
    }
    const nowMs = deps.clock.now();
    const due = new Set(marked);
    for (const [pileId, atMs] of waiting) if (atMs <= nowMs) due.add(pileId);
    marked.clear();
    for (const pileId of due) {
      // One pile at a time, letting the gateway's frames and commits in between: on SQLite a
      // read blocks the event loop, and at start every registered pile is due.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const result = await deps.billing.billPile(pileId, deps.clock.now());
        const recheckAt = result.ok ? result.recheckAt : null;
        if (result.ok) for (const other of result.rebill ?? []) marked.add(other);
        if (recheckAt === null || recheckAt === undefined) waiting.delete(pileId);
        else waiting.set(pileId, recheckAt);
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
