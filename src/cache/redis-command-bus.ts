// Routes a remote command to the gateway node that holds the pile's socket (DESIGN.md §7).
// Each node SUBSCRIBEs to its own request channel; each bus SUBSCRIBEs once to its own reply
// channel, and a request carries that channel so the serving node knows where to answer.
// Pub/sub is fire-and-forget: a lost message shows up as 'timeout', never as a hang.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CommandBus, CommandExecutor, IdGenerator, Presence } from '../app/ports.js';
import { callExecutor, createPendingReplies, DEFAULT_REPLY_MARGIN_MS } from './command-calls.js';
import { parseReplyMessage, parseRequestMessage, type ReplyMessage, type RequestMessage } from './command-messages.js';

/** The subset of a pino logger the bus needs to report what it drops. */
export interface BusLogger {
  warn(context: object, message: string): void;
}

export interface RedisCommandBusDeps {
  readonly publisher: Redis;
  /** A dedicated connection: once it SUBSCRIBEs it cannot run other commands. Not closed by the bus. */
  readonly subscriber: Redis;
  readonly presence: Presence;
  /** Request and reply-channel ids; they only need to be unique. Defaults to random UUIDs. */
  readonly ids?: IdGenerator;
  readonly keyPrefix?: string;
  readonly replyMarginMs?: number;
  readonly logger?: BusLogger;
}

/** The channel a node's executor listens on. Pub/sub channels ignore the database number. */
export function nodeChannel(keyPrefix: string, nodeId: string): string {
  return `${keyPrefix}commands:node:${nodeId}`;
}

export function createRedisCommandBus(deps: RedisCommandBusDeps): CommandBus {
  const prefix = deps.keyPrefix ?? 'pilegate:';
  const ids = deps.ids ?? { next: randomUUID };
  const replyMarginMs = deps.replyMarginMs ?? DEFAULT_REPLY_MARGIN_MS;
  const replyChannel = `${prefix}commands:reply:${ids.next()}`;
  const executors = new Map<string, CommandExecutor>(); // by request channel
  const pending = createPendingReplies();
  let replySubscription: Promise<unknown> | undefined;
  let closed = false;

  function onMessage(channel: string, text: string): void {
    if (channel === replyChannel) return onReply(text);
    const executor = executors.get(channel);
    // Other channels belong to whoever else shares the subscriber connection.
    if (executor !== undefined) onRequest(channel, executor, text);
  }

  function onReply(text: string): void {
    const reply = parseReplyMessage(text);
    if (reply === undefined) return deps.logger?.warn({ channel: replyChannel }, 'malformed command reply dropped');
    // No one waiting means the sender gave up already; the late answer has nowhere to go.
    pending.settle(reply.requestId, reply.outcome);
  }

  function onRequest(channel: string, executor: CommandExecutor, text: string): void {
    const message = parseRequestMessage(text);
    if (message === undefined) return deps.logger?.warn({ channel }, 'malformed command request dropped');
    void callExecutor(executor, message.request)
      .then((outcome) => {
        const reply: ReplyMessage = { requestId: message.requestId, outcome };
        return deps.publisher.publish(message.replyTo, JSON.stringify(reply));
      })
      // The sender times out; this handler runs outside any caller and must not reject.
      .catch((error: unknown) =>
        deps.logger?.warn({ err: error, channel: message.replyTo }, 'command reply not published'),
      );
  }

  function subscribeReplies(): Promise<unknown> {
    replySubscription ??= deps.subscriber.subscribe(replyChannel).catch((error: unknown) => {
      replySubscription = undefined; // let the next send try again
      throw error;
    });
    return replySubscription;
  }

  deps.subscriber.on('message', onMessage);

  return {
    async serve(nodeId, executor) {
      if (closed) throw new Error('command bus is closed');
      const channel = nodeChannel(prefix, nodeId);
      executors.set(channel, executor);
      try {
        await deps.subscriber.subscribe(channel);
      } catch (error) {
        executors.delete(channel);
        throw error;
      }
    },
    async send(request) {
      if (closed) throw new Error('command bus is closed');
      const entry = await deps.presence.get(request.pileId);
      if (entry === undefined) return { kind: 'offline' };
      await subscribeReplies();
      const requestId = ids.next();
      const outcome = pending.wait(requestId, request.timeoutMs + replyMarginMs);
      const message: RequestMessage = { requestId, replyTo: replyChannel, request };
      let receivers: number;
      try {
        receivers = await deps.publisher.publish(nodeChannel(prefix, entry.nodeId), JSON.stringify(message));
      } catch (error) {
        pending.settle(requestId, { kind: 'timeout' }); // stops the timer; the caller gets the error
        throw error;
      }
      // Nobody listens: the entry names a node that died before it could clear its piles.
      // (Counts subscribers on one Redis; Redis Cluster would need SPUBLISH for this to hold.)
      if (receivers === 0) pending.settle(requestId, { kind: 'offline' });
      return outcome;
    },
    // Pending sends settle as 'timeout' (see PendingReplies.abandonAll). The connections stay
    // open: the composition root owns them.
    async close() {
      if (closed) return;
      closed = true;
      deps.subscriber.removeListener('message', onMessage);
      pending.abandonAll();
      const channels = [...executors.keys()];
      if (replySubscription !== undefined) channels.push(replyChannel);
      executors.clear();
      if (channels.length > 0) await deps.subscriber.unsubscribe(...channels);
    },
  };
}
