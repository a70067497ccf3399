// Bills as immutable versions (DESIGN.md §1 principle 6): `bill_versions` holds every version
// whole and is only ever inserted into; `bills` is one row per bill that says which version is
// the latest and repeats its figures for filtering and reports. Frozen in time: never edit after
// release; add a new migration instead.
import { type Kysely, MysqlAdapter, sql } from 'kysely';

// MEDIUMTEXT on MySQL (TEXT stops at 64 KiB): an anomaly's evidence lists the journal rows it
// read, which for a long session are thousands of ids. SQLite reads it as text.
const longText = sql`mediumtext`;

// As in 0001: utf8mb4 and a binary collation on MySQL, so keys compare as on SQLite.
function createTable(db: Kysely<any>, name: string) {
  const builder = db.schema.createTable(name);
  return db.getExecutor().adapter instanceof MysqlAdapter
    ? builder.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`)
    : builder;
}

export async function up(db: Kysely<any>): Promise<void> {
  await createTable(db, 'bills')
    .addColumn('bill_no', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('pile_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('session_key', 'varchar(128)', (c) => c.notNull())
    // The rest is the latest version's, rewritten with latest_version in one statement.
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('station_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    // '6,8' for reports; ',6,8,' so that code 1 is matched with like '%,1,%' and not by 11.
    // Both are '' for a bill without codes.
    .addColumn('codes', 'varchar(32)', (c) => c.notNull())
    .addColumn('code_set', 'varchar(32)', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('stop_at', 'bigint')
    .addColumn('energy_wh', 'bigint', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bills_pile_session').unique().on('bills').columns(['pile_id', 'session_key']).execute();
  await db.schema.createIndex('bills_pile_start').on('bills').columns(['pile_id', 'start_at']).execute();
  await db.schema.createIndex('bills_station_start').on('bills').columns(['station_id', 'start_at']).execute();
  await db.schema.createIndex('bills_start').on('bills').column('start_at').execute();

  await createTable(db, 'bill_versions')
    .addColumn('bill_no', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('station_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('transaction_id', 'integer')
    .addColumn('id_tag', 'varchar(255)')
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('stop_at', 'bigint')
    .addColumn('energy_wh', 'bigint', (c) => c.notNull())
    .addColumn('energy_source', 'varchar(32)', (c) => c.notNull())
    .addColumn('split_method', 'varchar(16)', (c) => c.notNull())
    .addColumn('tariff_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('tariff_version', 'integer', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('codes', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('occupancy_ms', 'bigint')
    // JSON arrays; decimal figures inside them are strings, never JSON numbers. (Not named
    // `lines`: a reserved word on MySQL.)
    .addColumn('lines_json', longText, (c) => c.notNull())
    .addColumn('anomalies_json', longText, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('author', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bill_versions_pk', ['bill_no', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['bill_versions', 'bills']) {
    await db.schema.dropTable(table).execute();
  }
}
