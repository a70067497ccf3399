// Bills of one idTag by session start: billing looks up, for every session it bills, the card's
// or account's other sessions that overlap it (code 7, one idTag charging in two places at once).
// On bill_versions, where the idTag is; the lookup joins the latest version. Frozen in time:
// never edit after release; add a new migration instead.
import { type Kysely, MysqlAdapter } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('bill_versions_id_tag_start')
    .on('bill_versions')
    .columns(['id_tag', 'start_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // MySQL names the table of an index to drop; SQLite refuses the clause.
  const drop = db.schema.dropIndex('bill_versions_id_tag_start');
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('bill_versions') : drop).execute();
}
