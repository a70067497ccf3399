// The OCPP 1.6-J edge: ocpp-rpc in strict mode at /ocpp/{pileId}, Basic auth at the upgrade,
// one live socket per pile, every frame journaled before its reply.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { PileAuthenticator } from '../app/pile-authenticator.js';
import type { JournalWriter } from '../app/journal-writer.js';
import type { Clock, CommandBus, IdGenerator, Pile } from '../app/ports.js';
import type { PresenceTracker } from '../app/presence-tracker.js';
import type { OfflinePolicy } from '../core/presence.js';
import { createCommandExecutor } from './command-executor.js';
import { attachConnection, type LiveConnection } from './connection.js';
import { createHandlers, type HandlerDeps } from './handlers/index.js';
import { createQuirkTolerantValidator, type Quirk } from './quirks.js';
import { createRpcServer } from './rpc.js';
import { startWatchdog } from './watchdog.js';

export interface GatewayOptions {
  readonly heartbeatIntervalS: number;
  readonly offline: OfflinePolicy;
  readonly pingIntervalS: number;
  readonly maxFrameBytes: number;
  readonly maxBadFrames: number;
}

export interface GatewayDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly nodeId: string;
  readonly authenticator: PileAuthenticator;
  readonly journal: JournalWriter;
  readonly presence: PresenceTracker;
  readonly commands: CommandBus;
  readonly handlers: Omit<HandlerDeps, 'clock' | 'heartbeatIntervalS'>;
  readonly options: GatewayOptions;
}

export interface Gateway {
  /** For the HTTP server's 'upgrade' event; answers 404 outside /ocpp/{pileId}. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Starts serving remote commands and the offline watchdog. */
  start(): Promise<void>;
  close(): Promise<void>;
  connectionCount(): number;
}

const OCPP_PATH = '/ocpp';

export function createGateway(deps: GatewayDeps): Gateway {
  const { logger, options } = deps;
  const quirks = new WeakMap<object, Quirk[]>();
  const live = new Map<string, LiveConnection>();
  // Presence and offline writes still running, including those of sockets already closed.
  const presenceWrites = new Set<Promise<void>>();
  const track = (write: Promise<void>) => {
    presenceWrites.add(write);
    void write.finally(() => presenceWrites.delete(write));
  };
  const handlers = createHandlers({
    ...deps.handlers,
    clock: deps.clock,
    heartbeatIntervalS: options.heartbeatIntervalS,
  });

  const server = createRpcServer({
    protocols: ['ocpp1.6'],
    strictMode: true,
    strictModeValidators: [createQuirkTolerantValidator(quirks)],
    pingIntervalMs: options.pingIntervalS * 1000,
    deferPingsOnActivity: true,
    maxBadMessages: options.maxBadFrames,
    callTimeoutMs: 30_000,
    wssOptions: { maxPayload: options.maxFrameBytes },
  });

  server.auth(async (accept, reject, handshake) => {
    const log = logger.child({ pileId: handshake.identity, remoteAddress: handshake.remoteAddress });
    if (handshake.endpoint !== OCPP_PATH || handshake.identity === '') {
      reject(404, 'Not found: connect to /ocpp/{pileId}');
      return;
    }
    try {
      const outcome = await deps.authenticator.authenticate(handshake.identity, handshake.password);
      if (!outcome.ok) {
        log.warn({ reason: outcome.reason }, 'pile refused at upgrade');
        reject(401, 'Unauthorized');
        return;
      }
      accept({ pile: outcome.pile, connectionId: deps.ids.next() });
    } catch (err) {
      log.error({ err }, 'pile authentication failed');
      reject(503, 'Service unavailable');
    }
  });

  server.on('client', (client) => {
    const { pile, connectionId } = client.session as { pile: Pile; connectionId: string };
    const connection = attachConnection({
      ...deps,
      client,
      pile,
      connectionId,
      handlers,
      intake: deps.handlers.intake,
      quirks,
      live,
      track,
    });
    const previous = live.get(pile.id);
    live.set(pile.id, connection);
    // One socket per pile: the newer connection wins (DESIGN.md §3).
    previous?.replace();
  });
  server.on('error', (err) => logger.error({ err }, 'WebSocket server error'));

  let stopWatchdog: (() => void) | undefined;

  return {
    handleUpgrade(request, socket, head) {
      void server.handleUpgrade(request, socket, head);
    },
    async start() {
      await deps.commands.serve(deps.nodeId, createCommandExecutor(live));
      stopWatchdog = startWatchdog({
        live,
        clock: deps.clock,
        policy: options.offline,
        presence: deps.presence,
        logger,
      });
    },
    async close() {
      stopWatchdog?.();
      const closing = { code: 1001, reason: 'Server shutting down', force: true };
      await Promise.all([...live.values()].map((c) => c.client.close(closing)));
      // Every pile's disconnect is recorded before the stores behind it are closed.
      await Promise.all(presenceWrites);
      await server.close(closing);
      await deps.journal.flush();
    },
    connectionCount: () => live.size,
  };
}
