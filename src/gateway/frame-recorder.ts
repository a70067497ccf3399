// Journals every frame of one connection, raw, in both directions (DESIGN.md §1 principle 1).
// ocpp-rpc emits 'message' for an inbound frame and then, in the same tick, parses it and calls
// its handler; so the handler can take `current` synchronously and await its commit before
// replying. A reply ready before that commit begins is stored in the call's row (one row for
// the exchange, stored before the reply is sent); any other outbound frame is a row of its
// own. Frames are read only as far as the envelope ([type, id, action]) with a prefix match:
// the full parse is ocpp-rpc's.
import type { Logger } from 'pino';
import type { JournalWriter } from '../app/journal-writer.js';
import type { Clock, IdGenerator, JournalFrame } from '../app/ports.js';

type MutableFrame = { -readonly [K in keyof JournalFrame]: JournalFrame[K] };

export interface InboundFrame {
  readonly frame: JournalFrame;
  readonly committed: Promise<void>;
}

const ENVELOPE = /^\s*\[\s*(\d{1,2})\s*,\s*"((?:[^"\\]|\\.){0,255})"\s*(?:,\s*"([A-Za-z0-9]{1,64})")?/;

function readEnvelope(raw: string): { type: number | null; messageId: string | null; name: string | null } {
  const match = ENVELOPE.exec(raw);
  if (match === null) return { type: null, messageId: null, name: null };
  return { type: Number(match[1]), messageId: match[2] ?? null, name: match[3] ?? null };
}

export function createFrameRecorder(deps: {
  readonly pileId: string;
  readonly connectionId: string;
  readonly journal: JournalWriter;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}) {
  const { pileId, connectionId, journal, clock, ids, logger } = deps;
  const reportLoss = (err: unknown) => logger.error({ err }, 'journal commit failed; frame not stored');
  // Actions of calls awaiting a result, by message id, to label results and errors.
  const pendingActions = new Map<string, string>();
  // Replies stored with their call, as the text ocpp-rpc will send, until it sends them.
  const storedReplies = new Set<string>();
  let current: { readonly frame: MutableFrame; readonly committed: Promise<void> } | undefined;

  function record(direction: 'in' | 'out', raw: string, error: string | null) {
    const { type, messageId, name } = readEnvelope(raw);
    let action: string | null = null;
    if (type === 2 && name !== null) {
      action = name;
      if (messageId !== null) pendingActions.set(`${direction}:${messageId}`, name);
    } else if ((type === 3 || type === 4) && messageId !== null) {
      // A result travels the other way from its call.
      const key = `${direction === 'in' ? 'out' : 'in'}:${messageId}`;
      action = pendingActions.get(key) ?? null;
      pendingActions.delete(key);
    }
    const frame: MutableFrame = {
      id: ids.next(),
      pileId,
      connectionId,
      direction,
      messageType: type,
      messageId,
      action,
      receivedAt: clock.now(),
      raw,
      error,
    };
    return { frame, committed: journal.append({ frames: [frame] }) };
  }

  return {
    inbound(raw: string): InboundFrame {
      current = record('in', raw, null);
      return current;
    },
    outbound(raw: string): void {
      if (storedReplies.delete(raw)) return;
      record('out', raw, null).committed.catch(reportLoss);
    },
    /**
     * Stores `result`, the reply to `inbound`, in the call's row if that row's commit has not
     * begun. The frame ocpp-rpc then sends is recognised and not stored again; if it sends
     * something else (it never should), that is stored as a row of its own.
     */
    storeReply(inbound: InboundFrame, result: unknown): void {
      // Every InboundFrame is made by `record` below, around a frame of its own.
      const frame = inbound.frame as MutableFrame;
      if (frame.messageId === null || !journal.isOpen(inbound.committed)) return;
      const raw = JSON.stringify([3, frame.messageId, result]);
      frame.reply = { id: ids.next(), sentAt: clock.now(), raw };
      storedReplies.add(raw);
      pendingActions.delete(`in:${frame.messageId}`);
    },
    /** The inbound frame being handled in this tick. */
    get current(): InboundFrame | undefined {
      return current;
    },
    /** Marks the current inbound frame as refused; called in the same tick as `inbound`. */
    refuseCurrent(reason: string): void {
      if (current !== undefined) current.frame.error = reason;
    },
    /** A frame the WebSocket layer dropped before ocpp-rpc saw it (e.g. over the size limit). */
    dropped(reason: string): void {
      record('in', '', reason).committed.catch(reportLoss);
    },
  };
}

export type FrameRecorder = ReturnType<typeof createFrameRecorder>;
