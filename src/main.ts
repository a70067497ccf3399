// The one composition root: config → logger → database → cache → app → gateway + API. The only
// module that reads the environment, wires the real clock and picks adapters.
import { readFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { hostname } from 'node:os';
import { monotonicFactory } from 'ulid';
import { createApi } from './api/create-api.js';
import { createApiTokens } from './app/api-tokens.js';
import { createBilling } from './app/billing.js';
import { createBillingScheduler } from './app/billing-scheduler.js';
import { createIdTagRegistry } from './app/id-tag-registry.js';
import { createJournalWriter } from './app/journal-writer.js';
import { createOperatorBook } from './app/operator-book.js';
import { createScryptHasher } from './app/passwords.js';
import { createPileAuthenticator } from './app/pile-authenticator.js';
import { createPileRegistry } from './app/pile-registry.js';
import { createPileStatusQuery } from './app/pile-status.js';
import type { Clock, CommandBus, HealthProbe, IdGenerator, Presence } from './app/ports.js';
import { createPresenceTracker } from './app/presence-tracker.js';
import { createRemoteCommands } from './app/remote-commands.js';
import { createTariffBook } from './app/tariff-book.js';
import { createTransactionIntake } from './app/transaction-intake.js';
import { createMemoryCommandBus } from './cache/memory-command-bus.js';
import { createMemoryPresence } from './cache/memory-presence.js';
import { createRedisCommandBus } from './cache/redis-command-bus.js';
import { createRedis, createSubscriber } from './cache/redis-connection.js';
import { createRedisHealthProbe } from './cache/redis-health-probe.js';
import { createRedisPresence } from './cache/redis-presence.js';
import { loadConfig, type Config } from './config.js';
import { offlineAfterMs } from './core/presence.js';
import { createGateway } from './gateway/create-gateway.js';
import { createLogger, type Logger } from './log.js';
import { createDatabase } from './storage/database.js';
import { createDatabaseHealthProbe } from './storage/database-health-probe.js';
import { migrateToLatest } from './storage/migrate.js';
import { createKyselyStores, type KyselyStores } from './storage/kysely-stores.js';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

export function readConfig(): Config {
  const result = loadConfig(process.env);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}

export function createSystemClock(): Clock {
  return { now: () => Date.now() };
}

/**
 * Random numbers for ULIDs drawn from a pool that one call of the system CSPRNG refills. ulid's
 * own source asks the CSPRNG for one byte per character, which was 7% of the gateway's CPU
 * under load (every frame gets an id).
 */
export function pooledRandom(poolBytes = 4096): () => number {
  const pool = new Uint8Array(poolBytes);
  let next = poolBytes;
  return () => {
    if (next === poolBytes) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}

export function createUlidGenerator(clock: Clock): IdGenerator {
  const next = monotonicFactory(pooledRandom());
  return { next: () => next(clock.now()) };
}

export function createProcessLogger(config: Config): Logger {
  return createLogger({ ...config.log, isTerminal: process.stdout.isTTY === true });
}

/** Opens the database and applies pending migrations. */
export async function openStorage(config: Config, logger: Logger) {
  const database = createDatabase(
    config.database.kind === 'mysql'
      ? { mysqlUrl: config.database.url, sqlitePath: '' }
      : { sqlitePath: config.database.path },
  );
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ applied, database: config.database.kind }, 'migrations applied');
  return { database, stores: createKyselyStores(database) };
}

async function openCache(config: Config, ids: IdGenerator, logger: Logger) {
  if (config.redisUrl === undefined) {
    const presence: Presence = createMemoryPresence();
    const commands: CommandBus = createMemoryCommandBus(presence);
    return { presence, commands, probes: [] as HealthProbe[], close: async () => undefined };
  }
  const log = logger.child({ component: 'redis' });
  const onError = (err: Error) => log.warn({ err }, 'redis connection error');
  const redis = createRedis(config.redisUrl, { onError });
  const subscriber = createSubscriber(redis, { onError });
  const presence = createRedisPresence(redis);
  const commands = createRedisCommandBus({ publisher: redis, subscriber, presence, ids, logger: log });
  return {
    presence,
    commands,
    probes: [createRedisHealthProbe(redis)],
    close: async () => {
      await commands.close();
      await Promise.all([redis.quit(), subscriber.quit()]);
    },
  };
}

export interface Running {
  readonly ocppUrl: string;
  readonly apiUrl: string;
  /** Set only at first start when no ADMIN_TOKEN is configured: shown once. */
  readonly newAdminToken: string | undefined;
  stop(): Promise<void>;
}

/** What the application runs on; tests pass their own (a test database, a shared clock). */
export interface Infrastructure {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly nodeId: string;
  readonly stores: KyselyStores;
  readonly presence: Presence;
  readonly commands: CommandBus;
  readonly health: readonly HealthProbe[];
}

/** Builds the gateway and the API on one HTTP server, without listening. */
export async function assemble(config: Config, logger: Logger, infra: Infrastructure) {
  const { clock, ids, nodeId, stores } = infra;
  const passwords = createScryptHasher(config.pilePasswordCost);
  const idTags = createIdTagRegistry({ idTags: stores.idTags, clock });
  const journal = createJournalWriter(stores.journal, stores.journalCommitsInFlight);
  const tokens = createApiTokens({ tokens: stores.apiTokens, ids, clock });
  const offline = { heartbeatIntervalS: config.heartbeatIntervalS, ...config.offline };
  const tariffs = createTariffBook({ tariffs: stores.tariffs, clock });
  const operators = createOperatorBook({ operators: stores.operators, clock });
  const billingLog = logger.child({ component: 'billing' });
  const billing = createBillingScheduler({
    billing: createBilling({
      journal: stores.journal,
      piles: stores.piles,
      offlineLog: stores.offlineLog,
      bills: stores.bills,
      tariffAt: async (stationId, atMs) => {
        const found = await tariffs.tariffVersionAt(stationId, atMs);
        return found.ok ? found.value.version : undefined;
      },
      paramsOf: operators.billingParamsOf,
      lookbackMs: config.billing.lookbackMs,
    }),
    activePiles: () => stores.journal.pilesWithTxMessagesSince(clock.now() - config.billing.lookbackMs),
    clock,
    onError: (pileId, err) =>
      billingLog.error({ err, pileId }, 'billing run failed; the pile is billed again next run'),
  });

  const gateway = createGateway({
    logger: logger.child({ component: 'gateway' }),
    clock,
    ids,
    nodeId,
    authenticator: createPileAuthenticator({ piles: stores.piles, passwords }),
    journal,
    presence: createPresenceTracker({
      presence: infra.presence,
      offlineLog: stores.offlineLog,
      clock,
      nodeId,
      touchEveryMs: Math.max(1000, offlineAfterMs(offline) / 3),
      offlineAfterMs: offlineAfterMs(offline),
    }),
    commands: infra.commands,
    handlers: {
      piles: stores.piles,
      idTags,
      intake: createTransactionIntake({
        transactions: stores.transactions,
        idTags,
        journal,
        ids,
        touched: billing.touched,
      }),
    },
    options: {
      heartbeatIntervalS: config.heartbeatIntervalS,
      offline,
      pingIntervalS: config.pingIntervalS,
      maxFrameBytes: config.maxFrameBytes,
      maxBadFrames: config.maxBadFrames,
    },
  });

  const api = await createApi({
    logger: logger.child({ component: 'api' }),
    https: config.tls && { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) },
    piles: createPileRegistry({ piles: stores.piles, passwords, clock }),
    idTags,
    commands: createRemoteCommands({
      piles: stores.piles,
      commands: infra.commands,
      defaultTimeoutMs: config.commandTimeoutMs,
    }),
    tokens,
    pileStatus: createPileStatusQuery({ presence: infra.presence, offlineLog: stores.offlineLog }),
    journal: stores.journal,
    transactions: stores.transactions,
    bills: stores.bills,
    tariffs,
    operators,
    health: infra.health,
  });
  api.server.on('upgrade', (request, socket, head) => gateway.handleUpgrade(request, socket, head));
  return { gateway, api, tokens, journal, billing };
}

export async function startPilegate(config: Config, logger: Logger): Promise<Running> {
  const clock = createSystemClock();
  const ids = createUlidGenerator(clock);
  const { database, stores } = await openStorage(config, logger);
  const cache = await openCache(config, ids, logger);
  const { gateway, api, tokens, billing } = await assemble(config, logger, {
    clock,
    ids,
    nodeId: config.nodeId ?? `${hostname()}-${process.pid}`,
    stores,
    presence: cache.presence,
    commands: cache.commands,
    health: [createDatabaseHealthProbe(database.db), ...cache.probes],
  });

  const newAdminToken = await tokens.ensureAdmin(config.adminToken);
  await gateway.start();
  billing.start(config.billing.intervalMs);
  await api.listen({ host: config.host, port: config.port });
  const address = api.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const secure = config.tls !== undefined;
  const base = `${config.publicHost}:${port}`;

  return {
    ocppUrl: `${secure ? 'wss' : 'ws'}://${base}/ocpp/{pileId}`,
    apiUrl: `${secure ? 'https' : 'http'}://${base}/api/v1`,
    newAdminToken,
    async stop() {
      await billing.stop();
      await gateway.close();
      await api.close();
      await cache.close();
      await database.close();
    },
  };
}
