// In-process twin of RedisCommandBus: only executors registered in this process can be reached,
// which is the whole cluster when there is one node and no Redis.
import type { CommandBus, CommandExecutor, Presence } from '../app/ports.js';
import { callExecutor, createPendingReplies, DEFAULT_REPLY_MARGIN_MS } from './command-calls.js';

export function createMemoryCommandBus(
  presence: Presence,
  options: { readonly replyMarginMs?: number } = {},
): CommandBus {
  const replyMarginMs = options.replyMarginMs ?? DEFAULT_REPLY_MARGIN_MS;
  const executors = new Map<string, CommandExecutor>();
  const pending = createPendingReplies();
  let nextCallId = 0;
  let closed = false;

  return {
    async serve(nodeId, executor) {
      if (closed) throw new Error('command bus is closed');
      executors.set(nodeId, executor);
    },
    async send(request) {
      if (closed) throw new Error('command bus is closed');
      const entry = await presence.get(request.pileId);
      const executor = entry === undefined ? undefined : executors.get(entry.nodeId);
      if (executor === undefined) return { kind: 'offline' };
      // The same deadline as the Redis bus, so an executor that never answers behaves alike.
      const callId = String(nextCallId++);
      const outcome = pending.wait(callId, request.timeoutMs + replyMarginMs);
      void callExecutor(executor, request).then((result) => pending.settle(callId, result));
      return outcome;
    },
    async close() {
      closed = true;
      executors.clear();
      pending.abandonAll();
    },
  };
}
