// What the memory and Redis command buses share: how an executor is called and how a sender
// waits for its outcome.
import type { CommandExecutor, CommandOutcome, CommandRequest } from '../app/ports.js';

/**
 * Extra wait beyond the request's timeoutMs. The executor applies timeoutMs to the pile call
 * itself and answers 'timeout'; the margin lets that answer (and the trip back over the bus)
 * arrive before the sender gives up on its own.
 */
export const DEFAULT_REPLY_MARGIN_MS = 1_000;

/** Runs the executor; one that throws, against its contract, becomes an InternalError outcome. */
export async function callExecutor(executor: CommandExecutor, request: CommandRequest): Promise<CommandOutcome> {
  try {
    return await executor(request);
  } catch (error) {
    return {
      kind: 'error',
      code: 'InternalError',
      description: error instanceof Error ? error.message : String(error),
    };
  }
}

export interface PendingReplies {
  /** Resolves with the outcome settled for id, or 'timeout' after waitMs. */
  wait(id: string, waitMs: number): Promise<CommandOutcome>;
  /** Returns false when nobody waits for id (already timed out, or an unknown id). */
  settle(id: string, outcome: CommandOutcome): boolean;
  /**
   * Settles every wait as 'timeout'. Used on close: the pile may or may not have acted on the
   * command, and 'timeout' is the outcome that already means "no answer, result unknown".
   */
  abandonAll(): void;
}

export function createPendingReplies(): PendingReplies {
  const waiting = new Map<string, { resolve: (outcome: CommandOutcome) => void; timer: NodeJS.Timeout }>();

  function settle(id: string, outcome: CommandOutcome): boolean {
    const entry = waiting.get(id);
    if (entry === undefined) return false;
    waiting.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(outcome);
    return true;
  }

  return {
    wait(id, waitMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => settle(id, { kind: 'timeout' }), waitMs);
        waiting.set(id, { resolve, timer });
      });
    },
    settle,
    abandonAll() {
      for (const id of [...waiting.keys()]) settle(id, { kind: 'timeout' });
    },
  };
}
