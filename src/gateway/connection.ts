// One pile's live connection: journals its frames, dispatches its calls to the handler table,
// keeps its presence, and ends it cleanly whichever way it ends.
import type { Logger } from 'pino';
import type { JournalWriter } from '../app/journal-writer.js';
import type { Clock, IdGenerator, Pile } from '../app/ports.js';
import type { PresenceTracker } from '../app/presence-tracker.js';
import { protocolAnomaly, type MessageOrigin, type TransactionIntake } from '../app/transaction-intake.js';
import { createFrameRecorder, type InboundFrame } from './frame-recorder.js';
import type { CallContext, HandlerTable } from './handlers/index.js';
import type { Quirk } from './quirks.js';
import { createRpcError, type RpcClient } from './rpc.js';

export interface LiveConnection {
  readonly pile: Pile;
  readonly connectionId: string;
  readonly client: RpcClient;
  readonly lastSeenAt: number;
  /** A newer connection of the same pile took over. */
  replace(): void;
  /** The watchdog found the pile silent since lastSeenAt. */
  silence(): void;
}

/** One call's context; a class so that the hot path makes one object of a fixed shape. */
class Call implements CallContext {
  readonly origin: MessageOrigin;
  /** The commits the reply waits for: the call's own, and any the handler adds. */
  readonly stored: Promise<void>[];
  #logger: Logger | undefined;

  constructor(
    readonly pile: Pile,
    inbound: InboundFrame,
    readonly quirks: readonly Quirk[],
    private readonly connectionLogger: Logger,
    private readonly action: string,
    private readonly messageId: string,
  ) {
    this.origin = { pileId: pile.id, journalId: inbound.frame.id, receivedAt: inbound.frame.receivedAt };
    this.stored = [inbound.committed];
  }

  /** Made on first use: most calls log nothing. */
  get logger(): Logger {
    return (this.#logger ??= this.connectionLogger.child({ action: this.action, messageId: this.messageId }));
  }

  replyAfter(commit: Promise<void>): void {
    this.stored.push(commit);
  }
}

export function attachConnection(deps: {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly journal: JournalWriter;
  readonly presence: PresenceTracker;
  readonly client: RpcClient;
  readonly pile: Pile;
  readonly connectionId: string;
  readonly handlers: HandlerTable;
  readonly intake: TransactionIntake;
  readonly quirks: WeakMap<object, Quirk[]>;
  readonly live: Map<string, LiveConnection>;
  /** Told of every presence write, so that shutdown can wait for them. */
  readonly track: (write: Promise<void>) => void;
}): LiveConnection {
  const { client, pile, connectionId, clock, journal, presence } = deps;
  const logger = deps.logger.child({ pileId: pile.id, connectionId });
  const frames = createFrameRecorder({ pileId: pile.id, connectionId, journal, clock, ids: deps.ids, logger });
  const warnOnFailure = (what: string) => (err: unknown) => logger.warn({ err }, `${what} failed`);
  let lastSeenAt = clock.now();
  // Set when the gateway ends the connection; undefined means the pile (or the network) did.
  let endedBy: 'silence' | 'replaced' | undefined;

  const seen = () => {
    lastSeenAt = clock.now();
    presence.seen(pile.id, connectionId, lastSeenAt)?.then((held) => {
      // A newer socket of this pile landed on another node (DESIGN.md §3: one socket per pile).
      if (!held && endedBy === undefined) connection.replace();
    }, warnOnFailure('presence update'));
  };

  client.on('message', ({ message, outbound }) => {
    if (outbound) return frames.outbound(message);
    frames.inbound(message);
    seen();
  });
  client.on('ping', seen);
  // A refused call is marked on its frame; a refused transaction message also gets its session
  // billed with code 1 (the intake decides which actions those are).
  const refuse = (reason: string, params: unknown) => {
    const current = frames.current;
    frames.refuseCurrent(reason);
    if (current === undefined) return;
    const { frame } = current;
    const origin = { pileId: pile.id, journalId: frame.id, receivedAt: frame.receivedAt };
    deps.intake.refused(origin, { action: frame.action, reason, params });
  };
  client.on('badMessage', ({ error }) => {
    refuse(`${error.rpcErrorCode ?? 'GenericError'}: ${error.message}`, undefined);
    logger.warn({ err: error }, 'bad frame refused');
  });
  client.on('strictValidationFailure', ({ error, outbound, isCall, method, params }) => {
    if (!outbound && isCall) refuse(`${error.rpcErrorCode ?? 'FormatViolation'}: ${error.message}`, params);
    logger.warn({ action: method, outbound, reason: error.message }, 'frame failed schema validation');
  });
  client.on('socketError', (err) => {
    // ws drops an oversized frame before ocpp-rpc sees it and closes with 1009 (RFC 6455 §7.4.1).
    if ((err as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') frames.dropped(err.message);
    logger.warn({ err }, 'socket error');
  });

  for (const [action, handler] of Object.entries(deps.handlers)) {
    client.handle(action, async ({ params, messageId }) => {
      // Taken synchronously: ocpp-rpc calls the handler in the tick that journaled the frame.
      const inbound = frames.current!;
      const ctx = new Call(pile, inbound, deps.quirks.get(params as object) ?? [], logger, action, messageId);
      const { stored } = ctx;
      if (ctx.quirks.length > 0) {
        ctx.logger.info({ quirks: ctx.quirks }, 'pile quirks normalised');
        void journal.append({
          anomalies: ctx.quirks.map((kind) => protocolAnomaly(deps.ids, ctx.origin, `quirk:${kind}`, { action })),
        });
      }
      const handle = handler as (c: CallContext, p: unknown) => Promise<unknown>;
      try {
        const result = await handle(ctx, params);
        // Only when everything the handler stored rides in the call's own commit: then the
        // reply, stored in the same row, is committed exactly when the call is.
        if (stored.every((commit) => commit === inbound.committed)) frames.storeReply(inbound, result);
        await (stored.length === 1 ? inbound.committed : Promise.all(stored));
        return result;
      } catch (err) {
        // Not stored, so not acknowledged: the pile keeps the message and retries it.
        ctx.logger.error({ err }, 'call not stored or not processed');
        throw createRpcError('InternalError', 'The gateway could not store this message; retry later');
      }
    });
  }

  // Connect and disconnect reach the presence store in order, however fast a socket closes.
  let lifecycle = presence.connected(pile.id, connectionId).then(() => undefined, warnOnFailure('presence connect'));
  deps.track(lifecycle);
  const end = (cause: 'disconnect' | 'silence', atMs: number) => {
    lifecycle = lifecycle.then(() =>
      presence.disconnected(pile.id, connectionId, atMs, cause).catch(warnOnFailure('offline record')),
    );
    deps.track(lifecycle);
  };

  client.on('close', ({ code, reason }) => {
    if (deps.live.get(pile.id) === connection) deps.live.delete(pile.id);
    logger.info({ code, reason: String(reason), endedBy: endedBy ?? 'disconnect' }, 'pile disconnected');
    if (endedBy === undefined) end('disconnect', clock.now());
  });

  logger.info('pile connected');

  const connection: LiveConnection = {
    pile,
    connectionId,
    client,
    get lastSeenAt() {
      return lastSeenAt;
    },
    replace() {
      endedBy = 'replaced';
      void client.close({ code: 1000, reason: 'Replaced by a newer connection' });
    },
    silence() {
      endedBy = 'silence';
      end('silence', lastSeenAt);
      void client.close({ code: 1001, reason: 'No frame and no pong: offline' });
    },
  };
  return connection;
}
