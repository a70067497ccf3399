#!/usr/bin/env node
// pilegate's command line: start the gateway, migrate, register piles and idTags, send remote
// commands (through a running gateway's API, which routes them to the node holding the pile).
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { createIdTagRegistry } from './app/id-tag-registry.js';
import { createScryptHasher } from './app/passwords.js';
import { createPileRegistry, type PileRegistry, type RegisterPileInput } from './app/pile-registry.js';
import { ConfigError, createProcessLogger, createSystemClock, openStorage, readConfig, startPilegate } from './main.js';
import type { KyselyStores } from './storage/kysely-stores.js';

/** Runs `run` on the configured database, with the pile registry the commands share. */
async function withStorage<T>(run: (s: { stores: KyselyStores; registry: PileRegistry }) => Promise<T>): Promise<T> {
  const config = readConfig();
  const storage = await openStorage(config, createProcessLogger(config));
  const registry = createPileRegistry({
    piles: storage.stores.piles,
    passwords: createScryptHasher(config.pilePasswordCost),
    clock: createSystemClock(),
  });
  try {
    return await run({ stores: storage.stores, registry });
  } finally {
    await storage.database.close();
  }
}

function parseConnector(text: string, previous: RegisterPileInput['connectors'] = []) {
  const match = /^(\d+):(\d+)$/.exec(text);
  if (match === null) throw new Error(`--connector must look like 1:120000 (connectorId:maxPowerW), got ${text}`);
  return [...previous, { connectorId: Number(match[1]), maxPowerW: Number(match[2]) }];
}

const program = new Command('pilegate').description('OCPP 1.6-J charging-station gateway with a billing engine');

program
  .command('start')
  .description('migrate the database and run the gateway and the operator API')
  .action(async () => {
    const config = readConfig();
    const logger = createProcessLogger(config);
    const running = await startPilegate(config, logger);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await running.stop();
      process.exit(0);
    };
    // `on`, not `once`: a second signal during shutdown must not fall back to the default
    // action and kill the process before the journal is flushed.
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    const lines = [
      `pilegate is running (${config.database.kind}${config.redisUrl ? ' + redis' : ''})`,
      `  OCPP endpoint: ${running.ocppUrl}`,
      `  Operator API:  ${running.apiUrl}  (OpenAPI: ${running.apiUrl}/openapi.json, docs: ${running.apiUrl}/docs)`,
      running.newAdminToken === undefined
        ? '  Log in with:   Authorization: Bearer <the admin token shown at first start, or ADMIN_TOKEN>'
        : `  Log in with:   Authorization: Bearer ${running.newAdminToken}\n                 (admin token created now and shown only once: keep it)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(() =>
    withStorage(async () => {
      process.stdout.write('database is up to date\n');
    }),
  );

const pile = program.command('pile').description('register and list piles');

pile
  .command('add')
  .description('register a pile')
  .requiredOption('--id <pileId>', 'pile id, as in /ocpp/{pileId}')
  .requiredOption('--password <password>', 'Basic-auth password (16 to 40 characters)')
  .requiredOption('--station <stationId>', 'station the pile belongs to')
  .requiredOption('--connector <id:maxPowerW>', 'a connector, repeatable (e.g. --connector 1:120000)', parseConnector)
  .addOption(new Option('--dialect <dialect>', 'protocol dialect').choices(['ocpp', 'robinson']).default('ocpp'))
  .action((options) =>
    withStorage(async ({ registry }) => {
      const result = await registry.register({
        id: options.id,
        password: options.password,
        stationId: options.station,
        dialect: options.dialect,
        connectors: options.connector,
      });
      if (!result.ok) throw new Error(`pile not registered: ${result.problems.join('; ')}`);
      process.stdout.write(`registered pile ${result.value.id}\n`);
    }),
  );

pile
  .command('import <file>')
  .description('register piles from a JSON-lines file: {"id","password","stationId","dialect","connectors":[...]}')
  .action((file: string) =>
    withStorage(async ({ registry }) => {
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      const counts = { registered: 0, existing: 0, invalid: 0 };
      // Hashing runs on libuv's thread pool; a few at a time keeps every thread busy.
      for (let i = 0; i < lines.length; i += 16) {
        await Promise.all(
          lines.slice(i, i + 16).map(async (line, j) => {
            const result = await registry.register(JSON.parse(line) as RegisterPileInput);
            if (result.ok) counts.registered += 1;
            else if (result.error === 'exists') counts.existing += 1;
            else {
              counts.invalid += 1;
              process.stderr.write(`line ${i + j + 1}: ${result.problems.join('; ')}\n`);
            }
          }),
        );
      }
      process.stdout.write(`${JSON.stringify(counts)}\n`);
      if (counts.invalid > 0) process.exitCode = 1;
    }),
  );

pile
  .command('list')
  .description('list registered piles')
  .action(() =>
    withStorage(async ({ stores }) => {
      for (const p of await stores.piles.list()) process.stdout.write(`${p.id}\t${p.stationId}\t${p.dialect}\n`);
    }),
  );

program
  .command('idtag <idTag>')
  .description('register or update an idTag (card, app user, station password)')
  .option('--blocked', 'answer Blocked for this tag')
  .option('--expires <iso8601>', 'expiry instant')
  .option('--parent <idTag>', 'parent idTag (group)')
  .option('--label <text>', 'free text, e.g. the member name')
  .action((idTag: string, options) =>
    withStorage(async ({ stores }) => {
      const expiresAt = options.expires === undefined ? null : Date.parse(options.expires);
      if (Number.isNaN(expiresAt)) throw new Error(`--expires is not an ISO 8601 instant: ${options.expires}`);
      const result = await createIdTagRegistry({ idTags: stores.idTags, clock: createSystemClock() }).put({
        idTag,
        status: options.blocked ? 'Blocked' : 'Accepted',
        expiresAt,
        parentIdTag: options.parent ?? null,
        label: options.label ?? null,
      });
      if (!result.ok) throw new Error(result.problems.join('; '));
      process.stdout.write(`idTag ${idTag} saved\n`);
    }),
  );

program
  .command('command <pileId> <action> [payload]')
  .description('send a remote command (e.g. Reset \'{"type":"Soft"}\') through a running gateway')
  .addOption(new Option('--api <url>', 'API base URL').env('PILEGATE_API_URL').default('http://localhost:8180/api/v1'))
  .addOption(new Option('--token <token>', 'API bearer token').env('PILEGATE_TOKEN').makeOptionMandatory())
  .option('--timeout <ms>', 'how long to wait for the pile', (v) => Number(v))
  .action(async (pileId: string, action: string, payload: string | undefined, options) => {
    const response = await fetch(`${options.api}/piles/${encodeURIComponent(pileId)}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action, payload: JSON.parse(payload ?? '{}'), timeoutMs: options.timeout }),
    });
    process.stdout.write(`${response.status} ${await response.text()}\n`);
    if (!response.ok) process.exitCode = 1;
  });

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`pilegate: ${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
