import { expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { aName, aPile } from './builders.js';

const T0 = 1_700_000_000_000;

forEachDialect('KyselyOfflineLog', (ctx) => {
  const log = () => ctx.stores().offlineLog;

  it('when a pile goes offline, then an open interval is listed', async () => {
    const pileId = aName('CP');
    await log().open(pileId, T0, 'disconnect');
    expect(await log().list(pileId, 10)).toEqual([{ pileId, startedAt: T0, endedAt: null, cause: 'disconnect' }]);
  });

  it('when an interval is open, then opening another changes nothing', async () => {
    const pileId = aName('CP');
    await log().open(pileId, T0, 'silence');
    await log().open(pileId, T0 + 5_000, 'disconnect');
    expect(await log().list(pileId, 10)).toEqual([{ pileId, startedAt: T0, endedAt: null, cause: 'silence' }]);
  });

  it('when the same outage is noticed several times at once, then one interval is opened', async () => {
    const pile = aPile();
    await ctx.stores().piles.create(pile);
    // Rounds, so that later ones run on pooled connections that are all open at once.
    for (let round = 0; round < 10; round += 1) {
      const at = T0 + round * 100_000;
      await Promise.all([
        log().open(pile.id, at, 'disconnect'),
        log().open(pile.id, at + 1, 'silence'),
        log().open(pile.id, at + 2, 'silence'),
      ]);
      await log().close(pile.id, at + 50_000);
    }
    const intervals = await log().list(pile.id, 20);
    expect(intervals).toHaveLength(10);
    expect(intervals.every((i) => i.endedAt !== null)).toBe(true);
  });

  it('when the pile comes back, then the open interval is closed, and a second close changes nothing', async () => {
    const pileId = aName('CP');
    await log().open(pileId, T0, 'disconnect');
    await log().close(pileId, T0 + 60_000);
    await log().close(pileId, T0 + 90_000);
    expect(await log().list(pileId, 10)).toEqual([
      { pileId, startedAt: T0, endedAt: T0 + 60_000, cause: 'disconnect' },
    ]);
  });

  it('when no interval is open, then closing changes nothing', async () => {
    const pileId = aName('CP');
    await log().close(pileId, T0);
    expect(await log().list(pileId, 10)).toEqual([]);
  });

  it('when a pile goes offline again, then intervals are listed newest first, up to the limit, its own only', async () => {
    const pileId = aName('CP');
    for (const start of [T0, T0 + 100_000, T0 + 200_000]) {
      await log().open(pileId, start, 'disconnect');
      await log().close(pileId, start + 10_000);
    }
    await log().open(pileId, T0 + 300_000, 'silence');
    await log().open(aName('CP'), T0 + 400_000, 'silence');
    expect(await log().list(pileId, 2)).toEqual([
      { pileId, startedAt: T0 + 300_000, endedAt: null, cause: 'silence' },
      { pileId, startedAt: T0 + 200_000, endedAt: T0 + 210_000, cause: 'disconnect' },
    ]);
  });
});
