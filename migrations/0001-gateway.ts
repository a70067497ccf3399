// Gateway foundation: piles, idTags, the journal, transactions, offline history, API tokens.
// Frozen in time: never edit after release; add a new migration instead.
import { type Kysely, MysqlAdapter, sql } from 'kysely';

// MEDIUMTEXT holds frames up to 16 MiB on MySQL (TEXT stops at 64 KiB); SQLite reads any
// type name containing TEXT as text.
const longText = sql`mediumtext`;

// MySQL only: utf8mb4 whatever the server's default is (MySQL 5.7's latin1 rejects the Chinese
// text piles send), and a binary collation so that keys compare as on SQLite: the default
// case-insensitive collations would make piles 'P1' and 'p1' one row on MySQL and two on SQLite.
function createTable(db: Kysely<any>, name: string) {
  const builder = db.schema.createTable(name);
  return db.getExecutor().adapter instanceof MysqlAdapter
    ? builder.modifyEnd(sql`default character set utf8mb4 collate utf8mb4_bin`)
    : builder;
}

export async function up(db: Kysely<any>): Promise<void> {
  await createTable(db, 'piles')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('station_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('dialect', 'varchar(16)', (c) => c.notNull())
    .addColumn('connectors', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addColumn('boot_vendor', 'varchar(64)')
    .addColumn('boot_model', 'varchar(64)')
    .addColumn('boot_serial', 'varchar(64)')
    .addColumn('boot_firmware', 'varchar(64)')
    .addColumn('booted_at', 'bigint')
    .execute();
  await db.schema.createIndex('piles_station').on('piles').column('station_id').execute();

  await createTable(db, 'id_tags')
    .addColumn('id_tag', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('parent_id_tag', 'varchar(20)')
    .addColumn('label', 'varchar(255)')
    .execute();

  await createTable(db, 'journal')
    .addColumn('id', 'char(26)', (c) => c.primaryKey())
    .addColumn('pile_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('connection_id', 'char(26)', (c) => c.notNull())
    .addColumn('direction', 'varchar(3)', (c) => c.notNull())
    .addColumn('message_type', 'smallint')
    .addColumn('message_id', 'varchar(255)')
    .addColumn('action', 'varchar(64)')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('raw', longText, (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('journal_pile_time').on('journal').columns(['pile_id', 'received_at']).execute();

  await createTable(db, 'tx_messages')
    .addColumn('pile_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('dedupe_key', 'char(64)', (c) => c.notNull())
    .addColumn('journal_id', 'char(26)', (c) => c.notNull())
    .addColumn('connector_id', 'integer')
    .addColumn('transaction_id', 'integer')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('payload', longText, (c) => c.notNull())
    .addPrimaryKeyConstraint('tx_messages_pk', ['pile_id', 'kind', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('tx_messages_pile_time').on('tx_messages').columns(['pile_id', 'received_at']).execute();
  await db.schema.createIndex('tx_messages_pile_tx').on('tx_messages').columns(['pile_id', 'transaction_id']).execute();

  await createTable(db, 'protocol_anomalies')
    .addColumn('id', 'char(26)', (c) => c.primaryKey())
    .addColumn('pile_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('journal_id', 'char(26)', (c) => c.notNull())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('detected_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('protocol_anomalies_pile_time')
    .on('protocol_anomalies')
    .columns(['pile_id', 'detected_at'])
    .execute();

  await createTable(db, 'transactions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('pile_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('connector_id', 'integer', (c) => c.notNull())
    .addColumn('id_tag', 'varchar(20)', (c) => c.notNull())
    .addColumn('auth_status', 'varchar(16)', (c) => c.notNull())
    .addColumn('meter_start_wh', 'bigint', (c) => c.notNull())
    .addColumn('start_timestamp', 'varchar(64)', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('journal_id', 'char(26)', (c) => c.notNull())
    .addColumn('dedupe_key', 'char(64)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transactions_dedupe')
    .unique()
    .on('transactions')
    .columns(['pile_id', 'dedupe_key'])
    .execute();

  await createTable(db, 'offline_intervals')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('pile_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('cause', 'varchar(16)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('offline_intervals_pile_time')
    .on('offline_intervals')
    .columns(['pile_id', 'started_at'])
    .execute();

  await createTable(db, 'api_tokens')
    .addColumn('id', 'char(26)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'api_tokens',
    'offline_intervals',
    'transactions',
    'protocol_anomalies',
    'tx_messages',
    'journal',
    'id_tags',
    'piles',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
