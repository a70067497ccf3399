import { expect, it } from 'vitest';
import type { BootInfo } from '../../src/app/ports.js';
import { forEachDialect } from '../support/dialects.js';
import { aName, aPile } from './builders.js';

const boot: BootInfo = {
  vendor: 'Robinson',
  model: 'DC-120',
  serial: 'SN-0042',
  firmware: null,
  bootedAt: 1_700_000_100_000,
};

forEachDialect('KyselyPileStore', (ctx) => {
  it('when a pile is created, then it reads back whole, without boot info', async () => {
    const pile = aPile();
    expect(await ctx.stores().piles.create(pile)).toBe(true);
    expect(await ctx.stores().piles.get(pile.id)).toEqual({ ...pile, boot: null });
  });

  it('when the id exists already, then create returns false and keeps the first pile', async () => {
    const pile = aPile();
    await ctx.stores().piles.create(pile);
    expect(await ctx.stores().piles.create({ ...pile, stationId: 'other' })).toBe(false);
    expect((await ctx.stores().piles.get(pile.id))?.stationId).toBe(pile.stationId);
  });

  it('when two ids differ only in case, then they are two piles on every dialect', async () => {
    const id = aName('cp-case');
    expect(await ctx.stores().piles.create(aPile({ id }))).toBe(true);
    expect(await ctx.stores().piles.create(aPile({ id: id.toUpperCase() }))).toBe(true);
    expect(await ctx.stores().piles.get(id.toUpperCase())).toMatchObject({ id: id.toUpperCase() });
  });

  it('when piles are listed, then they come in id order', async () => {
    const prefix = aName('list');
    for (const suffix of ['b', 'c', 'a']) await ctx.stores().piles.create(aPile({ id: `${prefix}-${suffix}` }));
    const ids = (await ctx.stores().piles.list()).map((p) => p.id).filter((id) => id.startsWith(prefix));
    expect(ids).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  });

  it('when the password hash is set, then it is stored, and the same hash again still counts', async () => {
    const pile = aPile();
    await ctx.stores().piles.create(pile);
    expect(await ctx.stores().piles.setPasswordHash(pile.id, 'new-hash')).toBe(true);
    expect(await ctx.stores().piles.setPasswordHash(pile.id, 'new-hash')).toBe(true);
    expect((await ctx.stores().piles.get(pile.id))?.passwordHash).toBe('new-hash');
  });

  it('when the pile is unknown, then setting its password hash returns false', async () => {
    expect(await ctx.stores().piles.setPasswordHash(aName('nobody'), 'hash')).toBe(false);
  });

  it('when a boot is recorded, then the pile carries it, and the next boot replaces it', async () => {
    const pile = aPile();
    await ctx.stores().piles.create(pile);
    await ctx.stores().piles.recordBoot(pile.id, boot);
    expect((await ctx.stores().piles.get(pile.id))?.boot).toEqual(boot);
    const reboot = { ...boot, firmware: '2.1.0', bootedAt: boot.bootedAt + 60_000 };
    await ctx.stores().piles.recordBoot(pile.id, reboot);
    expect((await ctx.stores().piles.get(pile.id))?.boot).toEqual(reboot);
  });

  it('when a pile is removed, then it is gone and removing it again returns false', async () => {
    const pile = aPile();
    await ctx.stores().piles.create(pile);
    expect(await ctx.stores().piles.remove(pile.id)).toBe(true);
    expect(await ctx.stores().piles.get(pile.id)).toBeUndefined();
    expect(await ctx.stores().piles.remove(pile.id)).toBe(false);
  });
});
