// Operators and the stations they run (DESIGN.md §5): each operator's thresholds for the
// billing rules, and which operator a station belongs to. Frozen in time: never edit after
// release; add a new migration instead.
import { type Kysely, MysqlAdapter, sql } from 'kysely';

// As in 0001: utf8mb4 with a binary collation on MySQL, so that ids compare as on SQLite.
function createTable(db: Kysely<any>, name: string) {
  const builder = db.schema.createTable(name);
  return db.getExecutor().adapter instanceof MysqlAdapter
    ? builder.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`)
    : builder;
}

export async function up(db: Kysely<any>): Promise<void> {
  // billing_params holds only what the operator set, as JSON; the rest are the defaults of the
  // release that reads it. A release that renames or drops a threshold migrates these rows.
  await createTable(db, 'operators')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('billing_params', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await createTable(db, 'stations')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('operator_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('bound_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stations_operator').on('stations').column('operator_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stations').execute();
  await db.schema.dropTable('operators').execute();
}
