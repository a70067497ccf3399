// Wire format of the Redis command bus. Messages come from other processes, possibly of another
// version, so both directions are checked field by field; anything else is "malformed" and the
// caller drops it.
import { REMOTE_COMMANDS, type CommandOutcome, type CommandRequest } from '../app/ports.js';

export interface RequestMessage {
  readonly requestId: string;
  /** The reply channel of the sending bus. */
  readonly replyTo: string;
  readonly request: CommandRequest;
}

export interface ReplyMessage {
  readonly requestId: string;
  readonly outcome: CommandOutcome;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRequest(value: unknown): value is CommandRequest {
  return (
    isRecord(value) &&
    typeof value.pileId === 'string' &&
    (REMOTE_COMMANDS as readonly unknown[]).includes(value.action) &&
    isRecord(value.payload) &&
    typeof value.timeoutMs === 'number' &&
    value.timeoutMs > 0
  );
}

// Typed by kind, so an outcome kind added to the port is a compile error here until the wire
// accepts it (otherwise its replies would be dropped and the sender would see 'timeout').
const OUTCOME_FIELDS_OK: { readonly [K in CommandOutcome['kind']]: (outcome: Json) => boolean } = {
  answered: (outcome) => isRecord(outcome.result),
  offline: () => true,
  timeout: () => true,
  invalid: (outcome) => typeof outcome.description === 'string',
  error: (outcome) => typeof outcome.code === 'string' && typeof outcome.description === 'string',
};

function isOutcome(value: unknown): value is CommandOutcome {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    Object.hasOwn(OUTCOME_FIELDS_OK, value.kind) &&
    OUTCOME_FIELDS_OK[value.kind as CommandOutcome['kind']](value)
  );
}

export function parseRequestMessage(text: string): RequestMessage | undefined {
  const message = parseObject(text);
  if (message === undefined || typeof message.requestId !== 'string' || typeof message.replyTo !== 'string') {
    return undefined;
  }
  return isRequest(message.request)
    ? { requestId: message.requestId, replyTo: message.replyTo, request: message.request }
    : undefined;
}

export function parseReplyMessage(text: string): ReplyMessage | undefined {
  const message = parseObject(text);
  if (message === undefined || typeof message.requestId !== 'string') return undefined;
  return isOutcome(message.outcome) ? { requestId: message.requestId, outcome: message.outcome } : undefined;
}
