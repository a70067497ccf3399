import { expect, it } from 'vitest';
import { forEachDialect } from '../support/dialects.js';
import { aName, anIdTag } from './builders.js';

forEachDialect('KyselyIdTagStore', (ctx) => {
  it('when a tag is upserted, then it reads back whole', async () => {
    const tag = anIdTag({ parentIdTag: 'FLEET-1', label: '公交一队 🚌', expiresAt: 1_800_000_000_000 });
    await ctx.stores().idTags.upsert(tag);
    expect(await ctx.stores().idTags.get(tag.idTag)).toEqual(tag);
  });

  it('when a known tag is upserted again, then it is replaced', async () => {
    const tag = anIdTag();
    await ctx.stores().idTags.upsert(tag);
    const blocked = { ...tag, status: 'Blocked' as const, label: 'lost card' };
    await ctx.stores().idTags.upsert(blocked);
    expect(await ctx.stores().idTags.get(tag.idTag)).toEqual(blocked);
    expect((await ctx.stores().idTags.list()).filter((t) => t.idTag === tag.idTag)).toHaveLength(1);
  });

  it('when tags are listed, then they come in tag order', async () => {
    const prefix = aName('L');
    for (const suffix of ['2', '3', '1']) await ctx.stores().idTags.upsert(anIdTag({ idTag: `${prefix}-${suffix}` }));
    const tags = (await ctx.stores().idTags.list()).map((t) => t.idTag).filter((t) => t.startsWith(prefix));
    expect(tags).toEqual([`${prefix}-1`, `${prefix}-2`, `${prefix}-3`]);
  });

  it('when a tag is removed, then it is gone and removing it again returns false', async () => {
    const tag = anIdTag();
    await ctx.stores().idTags.upsert(tag);
    expect(await ctx.stores().idTags.remove(tag.idTag)).toBe(true);
    expect(await ctx.stores().idTags.get(tag.idTag)).toBeUndefined();
    expect(await ctx.stores().idTags.remove(tag.idTag)).toBe(false);
  });
});
