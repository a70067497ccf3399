import { expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors.js';
import { forEachDialect } from '../support/dialects.js';
import { aBatch, aFrame, aName, anAnomaly, aTxMessage } from './builders.js';

const T0 = 1_700_000_000_000;

forEachDialect('KyselyJournalStore', (ctx) => {
  const journal = () => ctx.stores().journal;

  it('when a batch is committed, then its frames, tx messages and anomalies read back whole', async () => {
    const pileId = aName('CP');
    const frame = aFrame({ pileId, raw: '[2,"m-1","DataTransfer",{"data":"充电桩 ⚡ 🚌"}]' });
    const out = aFrame({ pileId, direction: 'out', messageType: 3, action: null, error: 'schema: bad reply' });
    const message = aTxMessage({ pileId, journalId: frame.id, transactionId: null, connectorId: null });
    const anomaly = anAnomaly({ pileId, journalId: frame.id });
    await journal().commit(aBatch({ frames: [frame, out], txMessages: [message], anomalies: [anomaly] }));
    expect(await journal().frames({ pileId })).toEqual([frame, out]);
    expect(await journal().txMessages({ pileId })).toEqual([message]);
    expect(await journal().anomalies({ pileId })).toEqual([anomaly]);
  });

  it('when frames hold quotes, backslashes, control characters and non-ASCII text, then they read back unchanged', async () => {
    const pileId = aName('CP');
    const awkward = `[2,"m-'1","DataTransfer",{"data":"it's \\"q\\" \\\\ \\u0000 \u0000 \u001a \n\r\t \\' '' 充电 🚌"}]`;
    const frame = aFrame({ pileId, raw: awkward, messageId: "m-'1", error: "a 'refusal' \\ with\nlines" });
    const message = aTxMessage({ pileId, journalId: frame.id, payload: `{"note":"\\\\' \u0000 \u001a"}` });
    await journal().commit(aBatch({ frames: [frame], txMessages: [message] }));
    expect(await journal().frames({ pileId })).toEqual([frame]);
    expect(await journal().txMessages({ pileId })).toEqual([message]);
  });

  it('when piles with transaction messages since an instant are asked for, then each is named once', async () => {
    const [early, late, both] = [aName('CP'), aName('CP'), aName('CP')];
    const since = 1_800_000_000_000;
    await journal().commit(
      aBatch({
        txMessages: [
          aTxMessage({ pileId: early, receivedAt: since - 1, dedupeKey: 'e'.repeat(64) }),
          aTxMessage({ pileId: late, receivedAt: since, dedupeKey: 'f'.repeat(64) }),
          aTxMessage({ pileId: both, receivedAt: since + 5, dedupeKey: '1'.repeat(64) }),
          aTxMessage({ pileId: both, receivedAt: since + 9, dedupeKey: '2'.repeat(64) }),
        ],
      }),
    );
    expect(await journal().pilesWithTxMessagesSince(since)).toEqual([late, both].sort());
  });

  it('when the batch is empty, then commit does nothing', async () => {
    await expect(journal().commit(aBatch())).resolves.toBeUndefined();
  });

  it('when a tx message is resent in a later batch, then only the first copy is stored', async () => {
    const pileId = aName('CP');
    const first = aTxMessage({ pileId, dedupeKey: 'c'.repeat(64) });
    await journal().commit(aBatch({ frames: [aFrame({ pileId, id: first.journalId })], txMessages: [first] }));
    const resend = aTxMessage({ pileId, dedupeKey: first.dedupeKey, receivedAt: T0 + 60_000 });
    await journal().commit(aBatch({ frames: [aFrame({ pileId, id: resend.journalId })], txMessages: [resend] }));
    expect(await journal().txMessages({ pileId })).toEqual([first]);
    expect(await journal().frames({ pileId })).toHaveLength(2);
  });

  it('when a tx message is repeated inside one batch, then it is stored once, the first copy', async () => {
    const pileId = aName('CP');
    const first = aTxMessage({ pileId });
    const repeat = aTxMessage({ pileId, receivedAt: T0 + 1 });
    await journal().commit(aBatch({ txMessages: [first, repeat, aTxMessage({ pileId, receivedAt: T0 + 2 })] }));
    expect(await journal().txMessages({ pileId })).toEqual([first]);
  });

  it('when the dedupe key is the same but the kind or pile differs, then each is stored', async () => {
    const pileId = aName('CP');
    const otherPile = aName('CP');
    const start = aTxMessage({ pileId, kind: 'start' });
    const stop = aTxMessage({ pileId, kind: 'stop', receivedAt: T0 + 1 });
    const elsewhere = aTxMessage({ pileId: otherPile, kind: 'start' });
    await journal().commit(aBatch({ txMessages: [start, stop, elsewhere] }));
    expect(await journal().txMessages({ pileId })).toEqual([start, stop]);
    expect(await journal().txMessages({ pileId: otherPile })).toEqual([elsewhere]);
  });

  it('when a frame id exists already, then the whole batch fails with a StorageError and nothing of it is stored', async () => {
    const pileId = aName('CP');
    const stored = aFrame({ pileId });
    await journal().commit(aBatch({ frames: [stored] }));
    const batch = aBatch({
      frames: [aFrame({ pileId, receivedAt: T0 + 1 }), { ...stored, receivedAt: T0 + 2 }],
      txMessages: [aTxMessage({ pileId })],
      anomalies: [anAnomaly({ pileId })],
    });
    const error = await journal()
      .commit(batch)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(await journal().frames({ pileId })).toEqual([stored]);
    expect(await journal().txMessages({ pileId })).toEqual([]);
    expect(await journal().anomalies({ pileId })).toEqual([]);
  });

  it('when a batch repeats a frame id, then nothing of it is stored', async () => {
    const pileId = aName('CP');
    const frame = aFrame({ pileId });
    await expect(
      journal().commit(aBatch({ frames: [frame, frame], anomalies: [anAnomaly({ pileId })] })),
    ).rejects.toThrow(StorageError);
    expect(await journal().frames({ pileId })).toEqual([]);
    expect(await journal().anomalies({ pileId })).toEqual([]);
  });

  it('when a call is committed with its reply, then the reply reads back as a frame of its own, right after it', async () => {
    const pileId = aName('CP');
    const reply = { id: 'R0000000000000000000000001', sentAt: T0 + 5, raw: '[3,"m-1",{"currentTime":"x"}]' };
    const call = aFrame({ pileId, receivedAt: T0, reply });
    const between = aFrame({ pileId, receivedAt: T0 + 1, messageId: 'm-2' });
    await journal().commit(aBatch({ frames: [call, between] }));
    const { reply: _, ...callFrame } = call;
    const replyFrame = {
      ...callFrame,
      id: reply.id,
      direction: 'out',
      messageType: 3,
      receivedAt: T0 + 5,
      raw: reply.raw,
    };
    expect(await journal().frames({ pileId })).toEqual([callFrame, replyFrame, between]);
    expect(await journal().frames({ pileId, limit: 1 })).toEqual([callFrame]);
    expect(await journal().frames({ pileId, fromMs: T0 + 1 })).toEqual([between]);
  });

  it('when a commit comes while another transaction is open, then it waits and survives that rollback', async () => {
    const pileId = aName('CP');
    const frame = aFrame({ pileId });
    let commit: Promise<void> | undefined;
    await expect(
      ctx
        .db()
        .transaction()
        .execute(async (trx) => {
          await trx.selectFrom('piles').select('id').execute();
          commit = journal().commit(aBatch({ frames: [frame] }));
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    await commit;
    expect(await journal().frames({ pileId })).toEqual([frame]);
  });

  it('when the pile sends an oversized message id and action, then the frame is stored with them clipped and raw whole', async () => {
    const pileId = aName('CP');
    const raw = `[2,"${'m'.repeat(300)}","${'A'.repeat(100)}",{}]`;
    await journal().commit(
      aBatch({ frames: [aFrame({ pileId, raw, messageId: 'm'.repeat(300), action: 'A'.repeat(100) })] }),
    );
    const [stored] = await journal().frames({ pileId });
    expect(stored).toMatchObject({ raw, messageId: 'm'.repeat(255), action: 'A'.repeat(64) });
  });

  it('when anomalies are asked for by kind, then only those kinds come back, and none for no kinds', async () => {
    const pileId = aName('CP');
    const refusal = anAnomaly({ pileId, kind: 'tx-message-refused' });
    await journal().commit(aBatch({ anomalies: [anAnomaly({ pileId, kind: 'quirk:string-number' }), refusal] }));
    expect(await journal().anomalies({ pileId, kinds: ['tx-message-refused'] })).toEqual([refusal]);
    expect(await journal().anomalies({ pileId, kinds: [] })).toEqual([]);
  });

  it('when a time window is given, then it is half-open and results are in time then id order', async () => {
    const pileId = aName('CP');
    const late = aFrame({ pileId, receivedAt: T0 + 2_000 });
    const early = aFrame({ pileId, receivedAt: T0 });
    const tieB = aFrame({ pileId, id: 'W0000000000000000000000002', receivedAt: T0 + 1_000 });
    const tieA = aFrame({ pileId, id: 'W0000000000000000000000001', receivedAt: T0 + 1_000 });
    await journal().commit(aBatch({ frames: [late, tieB, early, tieA, aFrame({ receivedAt: T0 + 1_000 })] }));
    expect(await journal().frames({ pileId })).toEqual([early, tieA, tieB, late]);
    expect(await journal().frames({ pileId, fromMs: T0 + 1_000, toMs: T0 + 2_000 })).toEqual([tieA, tieB]);
    expect(await journal().frames({ pileId, fromMs: T0 + 1 })).toEqual([tieA, tieB, late]);
    expect(await journal().frames({ pileId, toMs: T0 + 1 })).toEqual([early]);
    expect(await journal().frames({ pileId, limit: 2 })).toEqual([early, tieA]);
  });

  it('when anomalies and tx messages are queried by window, then their own time columns count', async () => {
    const pileId = aName('CP');
    const before = anAnomaly({ pileId, detectedAt: T0 });
    const inside = anAnomaly({ pileId, detectedAt: T0 + 10 });
    const message = aTxMessage({ pileId, receivedAt: T0 + 10 });
    await journal().commit(aBatch({ anomalies: [inside, before], txMessages: [message] }));
    expect(await journal().anomalies({ pileId, fromMs: T0 + 5 })).toEqual([inside]);
    expect(await journal().txMessages({ pileId, fromMs: T0 + 5, toMs: T0 + 11 })).toEqual([message]);
    expect(await journal().txMessages({ pileId, fromMs: T0 + 11 })).toEqual([]);
  });

  it('when a batch holds more rows than one statement takes, then all of them are committed and reads are capped', async () => {
    const pileId = aName('CP');
    const frames = Array.from({ length: 10_050 }, (_, i) => aFrame({ pileId, receivedAt: T0 + i }));
    await journal().commit(aBatch({ frames }));
    expect(await journal().frames({ pileId })).toHaveLength(1_000);
    const all = await journal().frames({ pileId, limit: 20_000 });
    expect(all).toHaveLength(10_000);
    expect(all.at(-1)).toEqual(frames[9_999]);
  });

  it('when the frames of a batch are larger than a server packet, then they are split and all committed', async () => {
    const pileId = aName('CP');
    // 12 × 1.5 MiB is more than MariaDB's default max_allowed_packet (16 MiB).
    const raw = `[2,"m","DataTransfer",{"data":"${'x'.repeat(1.5 * 1024 * 1024)}"}]`;
    const frames = Array.from({ length: 12 }, (_, i) => aFrame({ pileId, raw, receivedAt: T0 + i }));
    await journal().commit(aBatch({ frames }));
    const stored = await journal().frames({ pileId });
    expect(stored.map((f) => f.raw.length)).toEqual(frames.map(() => raw.length));
  });
});
