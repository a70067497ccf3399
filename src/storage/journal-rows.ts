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

export function toFrame(r: Selectable<JournalTable>): JournalFrame {
  return {
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
