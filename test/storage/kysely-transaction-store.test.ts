import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { aName, aNewTransaction } from './builders.js';

forEachDialect('KyselyTransactionStore', (ctx) => {
  const transactions = () => ctx.stores().transactions;

  it('when a transaction starts, then it gets an id and reads back whole', async () => {
    const { dedupeKey: _key, ...fields } = aNewTransaction({ pileId: aName('CP') });
    const { transaction, created } = await transactions().start({ ...fields, dedupeKey: 'd'.repeat(64) });
    expect(created).toBe(true);
    expect(Number.isInteger(transaction.id) && transaction.id > 0).toBe(true);
    expect(transaction).toEqual({ ...fields, id: transaction.id });
    expect(await transactions().get(fields.pileId, transaction.id)).toEqual(transaction);
  });

  it('when the same StartTransaction is resent, then the stored transaction comes back unchanged', async () => {
    const first = aNewTransaction({ pileId: aName('CP') });
    const original = await transactions().start(first);
    const resend = await transactions().start({
      ...first,
      receivedAt: first.receivedAt + 30_000,
      journalId: 'R'.repeat(26),
    });
    expect(resend).toEqual({ transaction: original.transaction, created: false });
  });

  it('when resends race each other, then exactly one transaction is created and all get its id', async () => {
    const pileId = aName('CP');
    // Rounds, so that later ones run on pooled connections that are all open at once.
    for (const key of ['7', '8', '9', 'a', 'b']) {
      const tx = aNewTransaction({ pileId, dedupeKey: key.repeat(64) });
      const results = await Promise.all(Array.from({ length: 6 }, () => transactions().start(tx)));
      expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    }
    expect(await transactions().list(pileId, 10)).toHaveLength(5);
  });

  it('when another pile sends the same dedupe key, then it gets a transaction of its own', async () => {
    const tx = aNewTransaction({ pileId: aName('CP') });
    const first = await transactions().start(tx);
    const other = await transactions().start({ ...tx, pileId: aName('CP') });
    expect(other.created).toBe(true);
    expect(other.transaction.id).not.toBe(first.transaction.id);
  });

  it('when the newest transaction is deleted, then its id is not handed out again', async () => {
    const pileId = aName('CP');
    const a = await transactions().start(aNewTransaction({ pileId, dedupeKey: '1'.repeat(64) }));
    const b = await transactions().start(aNewTransaction({ pileId, dedupeKey: '2'.repeat(64) }));
    expect(b.transaction.id).toBeGreaterThan(a.transaction.id);
    await sql`delete from transactions where id = ${b.transaction.id}`.execute(ctx.db());
    const c = await transactions().start(aNewTransaction({ pileId, dedupeKey: '3'.repeat(64) }));
    expect(c.transaction.id).toBeGreaterThan(b.transaction.id);
  });

  it('when a transaction is asked for under another pile, then it is not found', async () => {
    const { transaction } = await transactions().start(aNewTransaction({ pileId: aName('CP') }));
    expect(await transactions().get(aName('CP'), transaction.id)).toBeUndefined();
    expect(await transactions().get(transaction.pileId, transaction.id + 1_000_000)).toBeUndefined();
  });

  it('when transactions are listed, then they are the pile’s own, newest first, up to the limit', async () => {
    const pileId = aName('CP');
    const started = [];
    for (const key of ['4', '5', '6']) {
      started.push((await transactions().start(aNewTransaction({ pileId, dedupeKey: key.repeat(64) }))).transaction);
    }
    await transactions().start(aNewTransaction({ pileId: aName('CP') }));
    expect(await transactions().list(pileId, 2)).toEqual([started[2], started[1]]);
  });
});
