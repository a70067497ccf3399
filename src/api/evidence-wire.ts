// Journal entries, transaction messages, anomalies and transactions as the operator API shows
// them: schemas and the mapping from the stored records.
import type { JournalFrame, ProtocolAnomaly, Transaction, TxMessage } from '../app/ports.js';
import { TX_MESSAGE_KINDS } from '../app/ports.js';
import { AUTHORIZATION_STATUSES } from '../core/authorization.js';
import { instantSchema, toIso } from './wire-time.js';

export const evidenceSchemas = [
  {
    $id: 'JournalFrame',
    type: 'object',
    required: ['id', 'connectionId', 'direction', 'messageType', 'messageId', 'action', 'receivedAt', 'raw', 'error'],
    properties: {
      id: { type: 'string' },
      connectionId: { type: 'string' },
      direction: { type: 'string', enum: ['in', 'out'] },
      messageType: { type: ['integer', 'null'], description: '2 CALL, 3 CALLRESULT, 4 CALLERROR; null if unparsable' },
      messageId: { type: ['string', 'null'] },
      action: { type: ['string', 'null'] },
      receivedAt: instantSchema,
      raw: { type: 'string', description: 'the frame exactly as sent or received' },
      error: { type: ['string', 'null'], description: 'why the frame was refused, if it was' },
    },
  },
  {
    $id: 'TxMessage',
    type: 'object',
    required: ['kind', 'dedupeKey', 'journalId', 'connectorId', 'transactionId', 'receivedAt', 'payload'],
    properties: {
      kind: { type: 'string', enum: TX_MESSAGE_KINDS },
      dedupeKey: { type: 'string', description: 'resends with the same content share it and are stored once' },
      journalId: { type: 'string', description: 'the frame this message was first stored from' },
      connectorId: { type: ['integer', 'null'] },
      transactionId: { type: ['integer', 'null'], description: 'as the pile sent it; -1 or unknown = orphan' },
      receivedAt: instantSchema,
      payload: { type: 'object', additionalProperties: true, description: 'normalised payload' },
    },
  },
  {
    $id: 'ProtocolAnomaly',
    type: 'object',
    required: ['id', 'journalId', 'kind', 'detail', 'detectedAt'],
    properties: {
      id: { type: 'string' },
      journalId: { type: 'string' },
      kind: { type: 'string' },
      detail: { type: 'string' },
      detectedAt: instantSchema,
    },
  },
  {
    $id: 'Transaction',
    type: 'object',
    required: [
      'id',
      'connectorId',
      'idTag',
      'authStatus',
      'meterStartWh',
      'startTimestamp',
      'startedAt',
      'receivedAt',
      'journalId',
    ],
    properties: {
      id: { type: 'integer' },
      connectorId: { type: 'integer' },
      idTag: { type: 'string' },
      authStatus: { type: 'string', enum: AUTHORIZATION_STATUSES },
      meterStartWh: { type: 'integer' },
      startTimestamp: { type: 'string', description: "the pile's timestamp exactly as sent" },
      startedAt: instantSchema,
      receivedAt: instantSchema,
      journalId: { type: 'string' },
    },
  },
];

export const frameToWire = (f: JournalFrame) => ({ ...f, receivedAt: toIso(f.receivedAt) });

// The payload is JSON the gateway wrote itself; text that does not parse is a broken invariant.
export const txMessageToWire = (m: TxMessage) => ({
  ...m,
  receivedAt: toIso(m.receivedAt),
  payload: JSON.parse(m.payload) as unknown,
});

export const anomalyToWire = (a: ProtocolAnomaly) => ({ ...a, detectedAt: toIso(a.detectedAt) });

export const transactionToWire = (t: Transaction) => ({
  ...t,
  startedAt: toIso(t.startedAt),
  receivedAt: toIso(t.receivedAt),
});
