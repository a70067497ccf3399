import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type SqlDatabase } from '../../src/storage/database.js';
import { createDatabaseHealthProbe } from '../../src/storage/database-health-probe.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { forEachDialect } from '../support/dialects.js';

const TABLES = [
  'api_tokens',
  'id_tags',
  'journal',
  'offline_intervals',
  'operators',
  'piles',
  'protocol_anomalies',
  'station_tariffs',
  'stations',
  'tariff_versions',
  'transactions',
  'tx_messages',
];

forEachDialect('database', (ctx) => {
  it('when migrated, then every table exists and the migration is recorded', async () => {
    const tables = (await ctx.db().introspection.getTables()).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(ctx.db());
    expect(applied.rows.map((r) => r.name)).toEqual([
      '0001-gateway',
      '0002-journal-replies',
      '0003-tariffs',
      '0004-bills',
      '0005-operators',
      '0006-tx-messages-by-transaction',
      '0007-bill-versions-by-id-tag',
    ]);
  });

  it('when migrated again, then nothing is applied', async () => {
    expect(await migrateToLatest(ctx.db())).toEqual([]);
  });

  it('when the database answers, then the health probe is ok', async () => {
    const probe = createDatabaseHealthProbe(ctx.db());
    expect(probe.name).toBe('database');
    expect(await probe.check()).toEqual({ ok: true });
  });
});

describe('createDatabase on a SQLite file', () => {
  let folder: string | undefined;
  let database: SqlDatabase | undefined;

  afterEach(async () => {
    await database?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
    database = undefined;
    folder = undefined;
  });

  function open(): SqlDatabase {
    folder = mkdtempSync(join(tmpdir(), 'pilegate-db-'));
    database = createDatabase({ sqlitePath: join(folder, 'missing', 'folder', 'pilegate.db') });
    return database;
  }

  it('when the folder is missing, then it is created and the migrations apply', async () => {
    const { db, dialect } = open();
    expect(dialect).toBe('sqlite');
    expect(await migrateToLatest(db)).toEqual([
      '0001-gateway',
      '0002-journal-replies',
      '0003-tariffs',
      '0004-bills',
      '0005-operators',
      '0006-tx-messages-by-transaction',
      '0007-bill-versions-by-id-tag',
    ]);
    expect(await migrateToLatest(db)).toEqual([]);
  });

  it('when opened, then the journal is durable: WAL, synchronous FULL, foreign keys on', async () => {
    const { db } = open();
    const pragma = async (name: string) => (await sql.raw(`pragma ${name}`).execute(db)).rows[0];
    expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await pragma('synchronous')).toEqual({ synchronous: 2 });
    expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(await pragma('busy_timeout')).toEqual({ timeout: 5000 });
  });

  it('when the database is closed, then the health probe reports it', async () => {
    const { db, close } = open();
    await migrateToLatest(db);
    await close();
    database = undefined;
    const result = await createDatabaseHealthProbe(db).check();
    expect(result.ok).toBe(false);
    expect(result.detail).toBeTruthy();
  });
});
