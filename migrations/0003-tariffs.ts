// Tariffs: versions of each tariff and the tariff each station uses from when (DESIGN.md §4).
// Decimals are text (JSON strings and varchar), never DECIMAL: SQLite would store a DECIMAL
// column as a float. Frozen in time: never edit after release; add a new migration instead.
import { type Kysely, MysqlAdapter, sql } from 'kysely';

// As in 0001: utf8mb4 with a binary collation on MySQL, so that ids compare as on SQLite.
function createTable(db: Kysely<any>, name: string) {
  const builder = db.schema.createTable(name);
  return db.getExecutor().adapter instanceof MysqlAdapter
    ? builder.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`)
    : builder;
}

export async function up(db: Kysely<any>): Promise<void> {
  // One row per version; the primary key numbers versions 1, 2, 3, … per tariff without gaps
  // or twins, whoever writes concurrently.
  await createTable(db, 'tariff_versions')
    .addColumn('tariff_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('effective_from', 'bigint', (c) => c.notNull())
    .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
    .addColumn('prices', 'text', (c) => c.notNull())
    .addColumn('seasons', sql`mediumtext`, (c) => c.notNull())
    .addColumn('holidays', sql`mediumtext`, (c) => c.notNull())
    .addColumn('idle_free_minutes', 'integer')
    .addColumn('idle_price_per_minute', 'varchar(32)')
    .addColumn('idle_cap_yuan', 'varchar(32)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tariff_versions_pk', ['tariff_id', 'version'])
    .execute();

  // Bindings are history: a later effectiveFrom replaces an earlier one from then on.
  await createTable(db, 'station_tariffs')
    .addColumn('station_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('effective_from', 'bigint', (c) => c.notNull())
    .addColumn('tariff_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('bound_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('station_tariffs_pk', ['station_id', 'effective_from'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('station_tariffs').execute();
  await db.schema.dropTable('tariff_versions').execute();
}
