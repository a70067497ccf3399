import { describe, expect, it } from 'vitest';
import { createJournalWriter } from '../../src/app/journal-writer.js';
import type { JournalBatch, JournalFrame, JournalStore } from '../../src/app/ports.js';

const aFrame = (id: string): JournalFrame => ({
  id,
  pileId: 'P1',
  connectionId: 'C1',
  direction: 'in',
  messageType: 2,
  messageId: id,
  action: 'Heartbeat',
  receivedAt: 0,
  raw: '[2,"x","Heartbeat",{}]',
  error: null,
});

/** A store that records each commit and completes it only when told to. */
function aSlowStore() {
  const commits: { batch: JournalBatch; finish: (error?: Error) => void }[] = [];
  const store: JournalStore = {
    commit: (batch) =>
      new Promise((resolve, reject) => commits.push({ batch, finish: (e) => (e ? reject(e) : resolve()) })),
    frames: async () => [],
    txMessages: async () => [],
    anomalies: async () => [],
    pilesWithTxMessagesSince: async () => [],
  };
  return { store, commits };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('journal group commit', () => {
  it('when a batch is taken for its commit, then it is no longer open for records', async () => {
    const { store, commits } = aSlowStore();
    const writer = createJournalWriter(store);
    const a = writer.append({ frames: [aFrame('a')] });
    expect(writer.isOpen(a)).toBe(true);
    await tick();
    expect(writer.isOpen(a)).toBe(false);
    const b = writer.append({ frames: [aFrame('b')] });
    expect(writer.isOpen(b)).toBe(true);
    commits[0]!.finish();
    await a;
    await tick();
    expect(writer.isOpen(b)).toBe(false);
    commits[1]!.finish();
    await b;
  });

  it('when records arrive in one tick, then they are committed together', async () => {
    const { store, commits } = aSlowStore();
    const writer = createJournalWriter(store);
    const a = writer.append({ frames: [aFrame('a')] });
    const b = writer.append({ frames: [aFrame('b')], anomalies: [] });
    await tick();
    expect(commits.map((c) => c.batch.frames.map((f) => f.id))).toEqual([['a', 'b']]);
    commits[0]!.finish();
    await Promise.all([a, b]);
  });

  it('when records arrive while a commit is in flight, then they wait and go in the next one', async () => {
    const { store, commits } = aSlowStore();
    const writer = createJournalWriter(store);
    const first = writer.append({ frames: [aFrame('a')] });
    await tick();
    let secondDone = false;
    const second = writer.append({ frames: [aFrame('b')] }).then(() => (secondDone = true));
    writer.append({ frames: [aFrame('c')] });
    await tick();
    expect(commits).toHaveLength(1);
    commits[0]!.finish();
    await first;
    await tick();
    expect(secondDone).toBe(false);
    expect(commits[1]!.batch.frames.map((f) => f.id)).toEqual(['b', 'c']);
    commits[1]!.finish();
    await second;
    expect(writer.stats).toEqual({ commits: 2, frames: 3, failures: 0 });
  });

  it('when a commit fails, then its appenders see the error and later batches still commit', async () => {
    const { store, commits } = aSlowStore();
    const writer = createJournalWriter(store);
    const failed = writer.append({ frames: [aFrame('a')] });
    await tick();
    commits[0]!.finish(new Error('disk full'));
    await expect(failed).rejects.toThrow('disk full');
    const next = writer.append({ frames: [aFrame('b')] });
    await tick();
    commits[1]!.finish();
    await expect(next).resolves.toBeUndefined();
    expect(writer.stats.failures).toBe(1);
  });

  it('when flushed, then it resolves only after everything appended is committed', async () => {
    const { store, commits } = aSlowStore();
    const writer = createJournalWriter(store);
    writer.append({ frames: [aFrame('a')] });
    let flushed = false;
    const flush = writer.flush().then(() => (flushed = true));
    await tick();
    expect(flushed).toBe(false);
    commits[0]!.finish();
    await flush;
    expect(flushed).toBe(true);
  });

  it('when two commits may run at once, then a second batch starts while the first is in flight, and flush waits for both', async () => {
    const { store, commits } = aSlowStore();
    const writer = createJournalWriter(store, 2);
    writer.append({ frames: [aFrame('a')] });
    await tick();
    writer.append({ frames: [aFrame('b')] });
    await tick();
    writer.append({ frames: [aFrame('c')] });
    await tick();
    expect(commits.map((c) => c.batch.frames.map((f) => f.id))).toEqual([['a'], ['b']]);
    let flushed = false;
    const flush = writer.flush().then(() => (flushed = true));
    commits[1]!.finish();
    await tick();
    expect(commits[2]!.batch.frames.map((f) => f.id)).toEqual(['c']);
    commits[0]!.finish();
    commits[2]!.finish();
    await flush;
    expect(flushed).toBe(true);
  });
});
