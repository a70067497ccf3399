import { expect, it } from 'vitest';
import type { ApiToken } from '../../src/app/ports.js';
import { StorageError } from '../../src/storage/errors.js';
import { forEachDialect } from '../support/dialects.js';
import { anId } from './builders.js';

function aToken(hashChar: string): ApiToken {
  return { id: anId('K'), name: 'ops console', tokenHash: hashChar.repeat(64), createdAt: 1_700_000_000_000 };
}

forEachDialect('KyselyApiTokenStore', (ctx) => {
  it('when tokens are created, then they are counted and found by hash', async () => {
    expect(await ctx.stores().apiTokens.count()).toBe(0);
    const first = aToken('1');
    const second = aToken('2');
    await ctx.stores().apiTokens.create(first);
    await ctx.stores().apiTokens.create(second);
    expect(await ctx.stores().apiTokens.count()).toBe(2);
    expect(await ctx.stores().apiTokens.findByHash(second.tokenHash)).toEqual(second);
  });

  it('when the hash is unknown, then nothing is found', async () => {
    expect(await ctx.stores().apiTokens.findByHash('f'.repeat(64))).toBeUndefined();
  });

  it('when a hash is stored twice, then the second create fails with a StorageError', async () => {
    await ctx.stores().apiTokens.create(aToken('3'));
    const error = await ctx
      .stores()
      .apiTokens.create(aToken('3'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).not.toHaveProperty('code');
  });
});
