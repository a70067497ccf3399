// Group commit for the journal. Frames, tx messages and anomalies recorded while one commit is
// in flight are collected and committed together by the next one (the store splits a large
// batch into statements of its own size inside one transaction), so a busy gateway makes few,
// large transactions and an idle one commits each frame at once. Every caller gets the promise
// of the commit that holds its records and replies to the pile only after it resolves.
import type { JournalBatch, JournalFrame, JournalStore, ProtocolAnomaly, TxMessage } from './ports.js';

export interface JournalWriter {
  append(records: Partial<JournalBatch>): Promise<void>;
  /** Resolves when everything appended so far is committed (or has failed). */
  flush(): Promise<void>;
  /**
   * True while the batch behind `committed` (a promise from append) still takes records: its
   * commit has not begun, so a record it holds can still be completed.
   */
  isOpen(committed: Promise<void>): boolean;
  readonly stats: { readonly commits: number; readonly frames: number; readonly failures: number };
}

interface OpenBatch {
  frames: JournalFrame[];
  txMessages: TxMessage[];
  anomalies: ProtocolAnomaly[];
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function openBatch(): OpenBatch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failed commit is reported to every appender; this keeps an unobserved one from crashing.
  done.catch(() => undefined);
  return { frames: [], txMessages: [], anomalies: [], done, resolve, reject };
}

/**
 * `maxInFlight` commits may run at once: 1 suits an embedded database that commits in this
 * thread; a server database overlaps one commit's round trip and fsync with the next.
 */
export function createJournalWriter(store: JournalStore, maxInFlight = 1): JournalWriter {
  let open: OpenBatch | undefined;
  const inFlight = new Set<Promise<void>>();
  const stats = { commits: 0, frames: 0, failures: 0 };

  async function commit(batch: OpenBatch): Promise<void> {
    try {
      await store.commit(batch);
      stats.commits += 1;
      stats.frames += batch.frames.length;
      batch.resolve();
    } catch (error) {
      stats.failures += 1;
      batch.reject(error);
    }
  }

  function pump(): void {
    if (inFlight.size >= maxInFlight || open === undefined) return;
    const batch = open;
    open = undefined;
    const running: Promise<void> = commit(batch).finally(() => {
      inFlight.delete(running);
      pump();
    });
    inFlight.add(running);
  }

  return {
    stats,
    append(records) {
      if (open === undefined) {
        open = openBatch();
        // Let the current tick finish so that a handler's records join its frame's batch.
        setImmediate(pump);
      }
      const batch = open;
      if (records.frames) batch.frames.push(...records.frames);
      if (records.txMessages) batch.txMessages.push(...records.txMessages);
      if (records.anomalies) batch.anomalies.push(...records.anomalies);
      return batch.done;
    },
    isOpen(committed) {
      return open !== undefined && open.done === committed;
    },
    async flush() {
      while (open !== undefined || inFlight.size > 0) {
        pump();
        await Promise.all(inFlight);
      }
    },
  };
}
