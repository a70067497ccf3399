// Replies stored in their call's row: a reply known before the call's group commit is written
// with it, so the commonest exchange (a MeterValues or Heartbeat and its answer) is one row,
// stored before the reply is sent. Frozen in time: never edit after release.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('journal').addColumn('reply_id', 'char(26)').execute();
  await db.schema.alterTable('journal').addColumn('reply_at', 'bigint').execute();
  await db.schema
    .alterTable('journal')
    .addColumn('reply_raw', sql`mediumtext`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['reply_raw', 'reply_at', 'reply_id']) {
    await db.schema.alterTable('journal').dropColumn(column).execute();
  }
}
