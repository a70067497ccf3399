// A real pilegate (gateway + API on one HTTP server, port 0) over the given stores, and real
// ocpp-rpc clients to talk to it. No socket mocks (STYLE.md habit 8).
import { pino } from 'pino';
import { RPCClient } from 'ocpp-rpc';
import WebSocket from 'ws';
import { createMemoryCommandBus } from '../../src/cache/memory-command-bus.js';
import { createMemoryPresence } from '../../src/cache/memory-presence.js';
import type { Clock, CommandBus, Presence } from '../../src/app/ports.js';
import { loadConfig } from '../../src/config.js';
import { assemble, createSystemClock, createUlidGenerator } from '../../src/main.js';
import type { KyselyStores } from '../../src/storage/kysely-stores.js';

export const PILE_PASSWORD = 'pile-password-0001';
export const ADMIN_TOKEN = 'test-admin-token-0001';

export interface TestGateway {
  readonly port: number;
  readonly ocppUrl: string;
  readonly apiUrl: string;
  readonly stores: KyselyStores;
  /** Registers a pile through the API (id, station "S1", connectors 1 and 2 at 120 kW). */
  addPile(id: string, dialect?: 'ocpp' | 'robinson'): Promise<void>;
  addIdTag(idTag: string, status?: 'Accepted' | 'Blocked'): Promise<void>;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Resolves when every frame appended so far is committed. */
  flushJournal(): Promise<void>;
  /** Commits the journal, then runs billing once, as its timer would. */
  billNow(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestGateway(options: {
  stores: KyselyStores;
  env?: Record<string, string>;
  presence?: Presence;
  commands?: CommandBus;
  nodeId?: string;
  /** The system clock unless given: billing tests set the time the pile's messages arrive. */
  clock?: Clock;
}): Promise<TestGateway> {
  const loaded = loadConfig({ ADMIN_TOKEN, PILE_PASSWORD_COST: '10', LOG_LEVEL: 'silent', ...options.env });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const config = loaded.config;
  const clock = options.clock ?? createSystemClock();
  const presence = options.presence ?? createMemoryPresence();
  const { gateway, api, tokens, journal, billing } = await assemble(config, pino({ level: 'silent' }), {
    clock,
    ids: createUlidGenerator(clock),
    nodeId: options.nodeId ?? 'test-node',
    stores: options.stores,
    presence,
    commands: options.commands ?? createMemoryCommandBus(presence),
    health: [],
  });
  await tokens.ensureAdmin(ADMIN_TOKEN);
  await gateway.start();
  await api.listen({ host: '127.0.0.1', port: 0 });
  const address = api.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const secure = config.tls !== undefined;
  const apiUrl = `${secure ? 'https' : 'http'}://127.0.0.1:${port}/api/v1`;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  return {
    port,
    ocppUrl: `${secure ? 'wss' : 'ws'}://127.0.0.1:${port}/ocpp`,
    apiUrl,
    stores: options.stores,
    api: call,
    async addPile(id, dialect = 'robinson') {
      const { status, body } = await call('POST', '/piles', {
        id,
        password: PILE_PASSWORD,
        stationId: 'S1',
        dialect,
        connectors: [
          { connectorId: 1, maxPowerW: 120_000 },
          { connectorId: 2, maxPowerW: 120_000 },
        ],
      });
      if (status !== 201) throw new Error(`pile ${id} not registered: ${status} ${JSON.stringify(body)}`);
    },
    async addIdTag(idTag, status = 'Accepted') {
      const response = await call('PUT', `/id-tags/${idTag}`, {
        status,
        expiresAt: null,
        parentIdTag: null,
        label: null,
      });
      if (response.status >= 300) throw new Error(`idTag ${idTag} not saved: ${JSON.stringify(response.body)}`);
    },
    flushJournal: () => journal.flush(),
    async billNow() {
      await journal.flush();
      await billing.runOnce();
    },
    async close() {
      await gateway.close();
      await api.close();
    },
  };
}

/** An ocpp-rpc client as a pile would be, connected. */
export async function connectPile(
  gw: Pick<TestGateway, 'ocppUrl'>,
  identity: string,
  options: { password?: string; strictMode?: boolean; ca?: Buffer } = {},
): Promise<RPCClient> {
  // ocpp-rpc's typings list every option as required; the library itself defaults them.
  const client = new RPCClient({
    endpoint: gw.ocppUrl,
    identity,
    password: options.password ?? PILE_PASSWORD,
    protocols: ['ocpp1.6'],
    strictMode: options.strictMode ?? false,
    reconnect: false,
    pingIntervalMs: 0,
    ...(options.ca === undefined ? {} : { wsOpts: { ca: options.ca } }),
  } as unknown as ConstructorParameters<typeof RPCClient>[0]);
  await client.connect();
  return client;
}

/** A raw WebSocket, for frames no well-behaved client would send. */
export function connectRaw(
  gw: Pick<TestGateway, 'ocppUrl'>,
  identity: string,
  password = PILE_PASSWORD,
): Promise<{ ws: WebSocket; received: unknown[]; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`${gw.ocppUrl}/${identity}`, ['ocpp1.6'], {
    headers: { authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}` },
  });
  const received: unknown[] = [];
  ws.on('message', (data) => received.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, received, closed }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Waits until `check` passes or the time is up (for effects that land asynchronously). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
