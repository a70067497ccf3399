// Brings the schema to the newest migration. Runs at start and from `pilegate migrate`;
// kysely's lock table keeps two nodes starting together from migrating twice.
import { type Kysely, Migrator } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Database } from './schema.js';

/** Applies the pending migrations in order; returns their names (empty when up to date). */
export async function migrateToLatest(db: Kysely<Database>): Promise<readonly string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? '(before any migration ran)';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed} failed: ${reason}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
