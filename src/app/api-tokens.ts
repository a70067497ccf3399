// Bearer tokens for the operator API. Only a SHA-256 of each token is stored: tokens are
// 32 random bytes, so a slow hash adds nothing.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenStore, Clock, IdGenerator } from './ports.js';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ApiTokens {
  /**
   * At first start: stores `configured` if given, else a new random token, and returns the
   * plaintext of a newly made token so it can be shown once. Later starts return undefined,
   * except that a configured token is always (idempotently) present.
   */
  ensureAdmin(configured: string | undefined): Promise<string | undefined>;
  verify(token: string): Promise<boolean>;
}

export function createApiTokens(deps: {
  readonly tokens: ApiTokenStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}): ApiTokens {
  const { tokens, ids, clock } = deps;
  const store = (name: string, token: string) =>
    tokens.create({ id: ids.next(), name, tokenHash: hashApiToken(token), createdAt: clock.now() });
  return {
    async ensureAdmin(configured) {
      if (configured !== undefined) {
        if ((await tokens.findByHash(hashApiToken(configured))) === undefined)
          await store('admin (configured)', configured);
        return undefined;
      }
      if ((await tokens.count()) > 0) return undefined;
      const token = randomBytes(32).toString('base64url');
      await store('admin', token);
      return token;
    },
    async verify(token) {
      return (await tokens.findByHash(hashApiToken(token))) !== undefined;
    },
  };
}
