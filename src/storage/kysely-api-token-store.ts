import type { Kysely, Selectable } from 'kysely';
import type { ApiToken, ApiTokenStore } from '../app/ports.js';
import { guard } from './errors.js';
import type { ApiTokensTable, Database } from './schema.js';

function toApiToken(r: Selectable<ApiTokensTable>): ApiToken {
  return { id: r.id, name: r.name, tokenHash: r.token_hash, createdAt: r.created_at };
}

export function createKyselyApiTokenStore(db: Kysely<Database>): ApiTokenStore {
  return {
    create: (token) =>
      guard('apiTokens.create', async () => {
        await db
          .insertInto('api_tokens')
          .values({ id: token.id, name: token.name, token_hash: token.tokenHash, created_at: token.createdAt })
          .execute();
      }),
    findByHash: (tokenHash) =>
      guard('apiTokens.findByHash', async () => {
        const row = await db
          .selectFrom('api_tokens')
          .selectAll()
          .where('token_hash', '=', tokenHash)
          .executeTakeFirst();
        return row === undefined ? undefined : toApiToken(row);
      }),
    count: () =>
      guard('apiTokens.count', async () => {
        const { count } = await db
          .selectFrom('api_tokens')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .executeTakeFirstOrThrow();
        return Number(count);
      }),
  };
}
