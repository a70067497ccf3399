// Rows of the journal tables and the port's records, both ways.
import type { Insertable, Selectable } from 'kysely';
import type { FrameDirection, JournalFrame, ProtocolAnomaly, TxMessage, TxMessageKind } from '../app/ports.js';
import type { JournalTable, ProtocolAnomaliesTable, TxMessagesTable } from './schema.js';

// Column widths of the lookup copies of fields inside `raw`.
const MESSAGE_ID_WIDTH = 255;
const ACTION_WIDTH = 64;

// messageId and action come from the pile and can be of any length. One oversized value must
// not fail a group commit that holds other piles' frames, and `raw` keeps them whole, so the
// lookup columns get a clipped copy.
function clip(value: string | null, width: number): string | null {
  return value !== null && value.length > width ? value.slice(0, width) : value;
}

/** Every column of a row type, once: a column added to the table and not here fails to compile. */
function columnsOf<R>(all: Record<keyof R & string, true>): readonly (keyof R & string)[] {
  return Object.keys(all) as (keyof R & string)[];
}

export const FRAME_COLUMNS = columnsOf<Insertable<JournalTable>>({
  id: true,
  pile_id: true,
  connection_id: true,
  direction: true,
  message_type: true,
  message_id: true,
  action: true,
  received_at: true,
  raw: true,
  error: true,
  reply_id: true,
  reply_at: true,
  reply_raw: true,
});

export const TX_COLUMNS = columnsOf<Insertable<TxMessagesTable>>({
  pile_id: true,
  kind: true,
  dedupe_key: true,
  journal_id: true,
  connector_id: true,
  transaction_id: true,
  received_at: true,
  payload: true,
});

export const ANOMALY_COLUMNS = columnsOf<Insertable<ProtocolAnomaliesTable>>({
  id: true,
  pile_id: true,
  journal_id: true,
  kind: true,
  detail: true,
  detected_at: true,
});

export function frameRow(f: JournalFrame): Insertable<JournalTable> {
  return {
    id: f.id,
    pile_id: f.pileId,
    connection_id: f.connectionId,
    direction: f.direction,
    message_type: f.messageType,
    message_id: clip(f.messageId, MESSAGE_ID_WIDTH),
    action: clip(f.action, ACTION_WIDTH),
    received_at: f.receivedAt,
    raw: f.raw,
    error: f.error,
    reply_id: f.reply?.id ?? null,
    reply_at: f.reply?.sentAt ?? null,
    reply_raw: f.reply?.raw ?? null,
  };
}

export function txRow(m: TxMessage): Insertable<TxMessagesTable> {
  return {
    pile_id: m.pileId,
    kind: m.kind,
    dedupe_key: m.dedupeKey,
    journal_id: m.journalId,
    connector_id: m.connectorId,
    transaction_id: m.transactionId,
    received_at: m.receivedAt,
    payload: m.payload,
  };
}

export function anomalyRow(a: ProtocolAnomaly): Insertable<ProtocolAnomaliesTable> {
  return {
    id: a.id,
    pile_id: a.pileId,
    journal_id: a.journalId,
    kind: a.kind,
    detail: a.detail,
    detected_at: a.detectedAt,
  };
}

/** A row's frames: the frame, and the reply stored with it if there is one. */
export function toFrames(r: Selectable<JournalTable>): JournalFrame[] {
  const frame: JournalFrame = {
    id: r.id,
    pileId: r.pile_id,
    connectionId: r.connection_id,
    direction: r.direction as FrameDirection,
    messageType: r.message_type,
    messageId: r.message_id,
    action: r.action,
    receivedAt: r.received_at,
    raw: r.raw,
    error: r.error,
  };
  if (r.reply_id === null || r.reply_at === null || r.reply_raw === null) return [frame];
  const reply: JournalFrame = {
    ...frame,
    id: r.reply_id,
    direction: r.direction === 'in' ? 'out' : 'in',
    // A stored reply is a CALLRESULT: errors are never known before their call's commit.
    messageType: 3,
    receivedAt: r.reply_at,
    raw: r.reply_raw,
    error: null,
  };
  return [frame, reply];
}

export function toTxMessage(r: Selectable<TxMessagesTable>): TxMessage {
  return {
    pileId: r.pile_id,
    kind: r.kind as TxMessageKind,
    dedupeKey: r.dedupe_key,
    journalId: r.journal_id,
    connectorId: r.connector_id,
    transactionId: r.transaction_id,
    receivedAt: r.received_at,
    payload: r.payload,
  };
}

export function toAnomaly(r: Selectable<ProtocolAnomaliesTable>): ProtocolAnomaly {
  return {
    id: r.id,
    pileId: r.pile_id,
    journalId: r.journal_id,
    kind: r.kind,
    detail: r.detail,
    detectedAt: r.detected_at,
  };
}
