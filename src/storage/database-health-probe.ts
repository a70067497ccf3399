import { type Kysely, sql } from 'kysely';
import type { HealthProbe } from '../app/ports.js';
import type { Database } from './schema.js';

// A database that stopped answering must make /readyz fail, not hang it.
const TIMEOUT_MS = 2_000;

export function createDatabaseHealthProbe(db: Kysely<Database>): HealthProbe {
  return {
    name: 'database',
    async check() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      });
      try {
        await Promise.race([sql`select 1`.execute(db), timeout]);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
