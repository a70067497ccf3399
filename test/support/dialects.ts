// One test suite looped over every SQL dialect (STYLE.md, after kysely's own tests).
//
//   forEachDialect('journal store', (ctx) => {
//     it('when a batch is committed, then its frames are listed', async () => {
//       await ctx.stores().journal.commit(batch);
//       ...
//     });
//   });
//
// For each dialect the body runs inside a `describe` named `<name> [<dialect>]`, against a fresh
// database migrated in beforeAll and thrown away in afterAll:
// - sqlite: ':memory:', always;
// - mysql: when MYSQL_URL is set (mysql://root@127.0.0.1:3306/test), a new database
//   `pilegate_t_<random>` on that server, so test files can run in parallel. Without MYSQL_URL
//   the block is reported as skipped, with the reason in its name.
// Tests of one block share its database: give each test its own ids (piles, tags, tokens).
// ctx.db() and ctx.stores() work inside hooks and tests, not while the body is collected.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDatabase, type SqlDatabase } from '../../src/storage/database.js';
import type { SqlDialect } from '../../src/storage/dialect.js';
import { createKyselyStores, type KyselyStores } from '../../src/storage/kysely-stores.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import type { Database } from '../../src/storage/schema.js';

export interface DialectContext {
  readonly dialect: SqlDialect;
  db(): Kysely<Database>;
  stores(): KyselyStores;
}

interface TestDatabase {
  readonly database: SqlDatabase;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const connection = await mysql.createConnection(serverUrl);
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

async function openMysql(serverUrl: string): Promise<TestDatabase> {
  const name = `pilegate_t_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = createDatabase({ mysqlUrl: url.toString(), sqlitePath: '' });
  return {
    database,
    async drop() {
      try {
        await database.close();
      } finally {
        await onServer(serverUrl, `drop database if exists ${name}`);
      }
    },
  };
}

async function openSqlite(): Promise<TestDatabase> {
  const database = createDatabase({ sqlitePath: ':memory:' });
  return { database, drop: () => database.close() };
}

function suite(
  name: string,
  dialect: SqlDialect,
  open: () => Promise<TestDatabase>,
  body: (ctx: DialectContext) => void,
) {
  let opened: TestDatabase | undefined;
  let stores: KyselyStores | undefined;
  const database = (use: string): SqlDatabase => {
    if (opened === undefined) throw new Error(`${dialect} database is not open: use ${use} in hooks and tests`);
    return opened.database;
  };
  const ctx: DialectContext = {
    dialect,
    db: () => database('ctx.db()').db,
    stores: () => (stores ??= createKyselyStores(database('ctx.stores()'))),
  };
  describe(`${name} [${dialect}]`, () => {
    beforeAll(async () => {
      opened = await open();
      await migrateToLatest(opened.database.db);
    });
    afterAll(async () => {
      await opened?.drop();
      opened = undefined;
      stores = undefined;
    });
    body(ctx);
  });
}

export function forEachDialect(name: string, body: (ctx: DialectContext) => void): void {
  suite(name, 'sqlite', openSqlite, body);
  const mysqlUrl = process.env['MYSQL_URL'];
  if (mysqlUrl) {
    suite(name, 'mysql', () => openMysql(mysqlUrl), body);
  } else {
    const unopened: DialectContext = {
      dialect: 'mysql',
      db: () => {
        throw new Error('MYSQL_URL is not set');
      },
      stores: () => {
        throw new Error('MYSQL_URL is not set');
      },
    };
    describe.skip(`${name} [mysql] (skipped: MYSQL_URL not set)`, () => body(unopened));
  }
}
