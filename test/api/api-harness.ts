// The operator API over the real use cases, real SQLite stores in memory and the in-process
// presence and command bus: no mocks, only a fixed clock and the pile executor the test chooses.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { createApi, type ApiDeps } from '../../src/api/create-api.js';
import { createApiTokens } from '../../src/app/api-tokens.js';
import { createIdTagRegistry } from '../../src/app/id-tag-registry.js';
import { createScryptHasher } from '../../src/app/passwords.js';
import { createPileRegistry } from '../../src/app/pile-registry.js';
import { createPileStatusQuery } from '../../src/app/pile-status.js';
import type { CommandExecutor, HealthProbe } from '../../src/app/ports.js';
import { createRemoteCommands } from '../../src/app/remote-commands.js';
import { createOperatorBook } from '../../src/app/operator-book.js';
import { createTariffBook } from '../../src/app/tariff-book.js';
import { createMemoryCommandBus } from '../../src/cache/memory-command-bus.js';
import { createMemoryPresence } from '../../src/cache/memory-presence.js';
import { createDatabase } from '../../src/storage/database.js';
import { createKyselyStores, type KyselyStores } from '../../src/storage/kysely-stores.js';
import { migrateToLatest } from '../../src/storage/migrate.js';

export const NOW = Date.parse('2025-03-01T08:00:00Z');
export const NODE_ID = 'node-a';

export interface ApiHarness {
  readonly app: FastifyInstance;
  /** Authorization header value with a valid token. */
  readonly auth: { readonly authorization: string };
  readonly stores: KyselyStores;
  /** Every log line the API wrote, as JSON text. */
  readonly logLines: string[];
  /** Makes the pile connected to NODE_ID, whose executor answers commands with `executor`. */
  connectPile(pileId: string, executor: CommandExecutor): Promise<void>;
  /** Closes the database under the running app, as when the server goes away. */
  loseDatabase(): Promise<void>;
  close(): Promise<void>;
}

export interface ApiOptions {
  readonly health?: readonly HealthProbe[];
  readonly https?: ApiDeps['https'];
}

export async function startApi(options: ApiOptions = {}): Promise<ApiHarness> {
  const database = createDatabase({ sqlitePath: ':memory:' });
  let databaseOpen = true;
  await migrateToLatest(database.db);
  const stores = createKyselyStores(database);
  const clock = { now: () => NOW };
  let nextId = 0;
  const ids = { next: () => `id-${String(nextId++).padStart(6, '0')}` };
  const presence = createMemoryPresence();
  // No margin: a test's timeoutMs is the whole wait, so the timeout case takes milliseconds.
  const bus = createMemoryCommandBus(presence, { replyMarginMs: 0 });
  const tokens = createApiTokens({ tokens: stores.apiTokens, ids, clock });
  const token = await tokens.ensureAdmin(undefined);
  if (token === undefined) throw new Error('a fresh database must produce an admin token');

  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });

  const app = await createApi({
    logger: pino({ level: 'debug' }, sink),
    piles: createPileRegistry({ piles: stores.piles, passwords: createScryptHasher(10), clock }),
    idTags: createIdTagRegistry({ idTags: stores.idTags, clock }),
    commands: createRemoteCommands({ piles: stores.piles, commands: bus, defaultTimeoutMs: 5_000 }),
    tokens,
    pileStatus: createPileStatusQuery({ presence, offlineLog: stores.offlineLog }),
    journal: stores.journal,
    transactions: stores.transactions,
    bills: stores.bills,
    tariffs: createTariffBook({ tariffs: stores.tariffs, clock }),
    operators: createOperatorBook({ operators: stores.operators, clock }),
    health: options.health ?? [{ name: 'database', check: async () => ({ ok: true }) }],
    maxBodyBytes: 4_096,
    ...(options.https !== undefined && { https: options.https }),
  });

  return {
    app,
    auth: { authorization: `Bearer ${token}` },
    stores,
    logLines,
    async connectPile(pileId, executor) {
      const connectionId = `conn-${pileId}`;
      await presence.connect({ pileId, nodeId: NODE_ID, connectionId, connectedAt: NOW, lastSeenAt: NOW });
      await bus.serve(NODE_ID, executor);
    },
    async loseDatabase() {
      databaseOpen = false;
      await database.close();
    },
    async close() {
      await app.close();
      await bus.close();
      if (databaseOpen) await database.close();
    },
  };
}

/** A registration body that passes every rule; override what the test is about. */
export function aPile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'PILE-0001',
    password: 'correct-horse-battery',
    stationId: 'station-1',
    dialect: 'ocpp',
    connectors: [{ connectorId: 1, maxPowerW: 60_000 }],
    ...overrides,
  };
}
