// Stored transaction messages and status frames, translated into the core's charge events: the
// one place where billing reads OCPP and Robinson field names (STYLE.md: they stay at the edge).
// Payloads were stored as the pile sent them (normalised for known quirks), so anything may be
// missing or malformed here: such a message yields no event, never an exception; the journal
// still holds it and the gateway already recorded a protocol anomaly.
import type { ChargeEvent, ConnectorState, RefusedMessage } from '../core/charge-events.js';
import { Dec } from '../core/decimal.js';
import { readSampledValues, type MeterValueLike } from '../core/meter-readings.js';
import { parseDecimal, parseInstant } from '../core/wire-text.js';
import type { JournalFrame, ProtocolAnomaly, TxMessage } from './ports.js';
import { isInt32, REFUSED_TX_MESSAGE } from './transaction-intake.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
/** A transactionId as bills store it (32 bits); a larger one names no session we could know. */
const transactionIdOf = (v: unknown): number | null => {
  const id = int(v);
  return id !== null && isInt32(id) ? id : null;
};
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const wh = (v: unknown): Dec | null =>
  typeof v === 'number' || typeof v === 'string' ? (parseDecimal(v) ?? null) : null;
const meterValues = (v: unknown): MeterValueLike[] =>
  Array.isArray(v) ? v.filter((m): m is MeterValueLike => isObject(m) && Array.isArray(m.sampledValue)) : [];

/** OCPP 1.6 §7.7 ChargePointStatus; Robinson sends its index (DESIGN.md §3). */
const STATES: Readonly<Record<string, ConnectorState>> = {
  Available: 'available',
  Preparing: 'preparing',
  Charging: 'charging',
  SuspendedEV: 'suspended-ev',
  SuspendedEVSE: 'suspended-evse',
  Finishing: 'finishing',
  Reserved: 'reserved',
  Unavailable: 'unavailable',
  Faulted: 'faulted',
};
const ROBINSON_STATES = Object.values(STATES);

// An OCPP idTag is at most 20 characters (CiString20Type); a pile's own bill is not checked for
// it, and a bill row keeps 255. Longer text is no idTag: the journal keeps it as sent.
const MAX_ID_TAG = 255;
const idTagOf = (v: unknown): string | null => {
  const tag = text(v);
  return tag === null || tag.length > MAX_ID_TAG ? null : tag;
};

function fromTxMessage(m: TxMessage): ChargeEvent | undefined {
  const p: unknown = JSON.parse(m.payload);
  if (!isObject(p)) return undefined;
  const base = { journalId: m.journalId, receivedAt: m.receivedAt };
  const at = (v: unknown) => (typeof v === 'string' ? parseInstant(v) : undefined) ?? m.receivedAt;
  switch (m.kind) {
    case 'start': {
      const connectorId = int(p.connectorId);
      const meterStartWh = wh(p.meterStartWh);
      if (connectorId === null || meterStartWh === null || m.transactionId === null) return undefined;
      return {
        ...base,
        type: 'started',
        atMs: at(p.timestamp),
        connectorId,
        transactionId: m.transactionId,
        idTag: text(p.idTag) ?? '',
        meterStartWh,
      };
    }
    case 'meter': {
      const connectorId = int(p.connectorId);
      if (connectorId === null) return undefined;
      const { registers, power } = readSampledValues(meterValues(p.meterValue), 'meter-values', m.journalId);
      const atMs = registers[0]?.atMs ?? power[0]?.atMs ?? m.receivedAt;
      const transactionId = transactionIdOf(p.transactionId);
      return { ...base, type: 'sampled', atMs, connectorId, transactionId, registers, power };
    }
    case 'stop': {
      const transactionId = int(p.transactionId) === null ? null : (transactionIdOf(p.transactionId) ?? -1);
      const meterStopWh = wh(p.meterStop);
      if (transactionId === null || meterStopWh === null) return undefined;
      const { registers } = readSampledValues(meterValues(p.transactionData), 'transaction-data', m.journalId);
      return {
        ...base,
        type: 'stopped',
        atMs: at(p.timestamp),
        transactionId,
        meterStopWh,
        reason: text(p.reason),
        registers,
      };
    }
    case 'device-bill': {
      const connectorId = int(p.connectorId);
      const energyWh = wh(p.energyWh);
      const amountFen = wh(p.amountFen);
      const billNo = text(p.deviceBillNo);
      if (connectorId === null || energyWh === null || amountFen === null || billNo === null) return undefined;
      const tiers = Array.isArray(p.tiers) ? p.tiers.filter(isObject) : [];
      return {
        ...base,
        type: 'device-billed',
        atMs: at(p.stopTime),
        deviceBillNo: billNo,
        transactionId: transactionIdOf(p.transactionId) ?? -1,
        connectorId,
        idTag: idTagOf(p.idTag),
        startType: text(p.startType),
        startMs: at(p.startTime),
        registerStartWh: wh(p.registerStartWh),
        registerStopWh: wh(p.registerStopWh),
        energyWh,
        tiers: tiers.map((t) => ({
          tier: text(t.tier) ?? '',
          energyWh: wh(t.energyWh) ?? new Dec(0),
          amountFen: wh(t.amountFen) ?? new Dec(0),
        })),
        amountFen,
        stopReason: text(p.stopReason),
      };
    }
    case 'meter-heartbeat': {
      const connectorId = int(p.connectorId);
      const registerWh = wh(p.registerWh);
      if (connectorId === null || registerWh === null) return undefined;
      const atMs = at(p.timestamp);
      const state = ROBINSON_STATES[int(p.status) ?? -1] ?? null;
      return {
        ...base,
        type: 'register-heartbeat',
        atMs,
        connectorId,
        state,
        reading: { atMs, registerWh, source: 'meter-heartbeat', journalId: m.journalId },
      };
    }
  }
}

/** A StatusNotification call from the journal; its timestamp is optional (§7.6), receipt time then. */
function fromStatusFrame(frame: JournalFrame): ChargeEvent | undefined {
  if (
    frame.direction !== 'in' ||
    frame.messageType !== 2 ||
    frame.action !== 'StatusNotification' ||
    frame.error !== null
  )
    return undefined;
  const parsed: unknown = JSON.parse(frame.raw);
  const p = Array.isArray(parsed) ? parsed[3] : undefined;
  if (!isObject(p)) return undefined;
  const connectorId = int(p.connectorId);
  const state = STATES[text(p.status) ?? ''];
  if (connectorId === null || state === undefined) return undefined;
  const atMs = (typeof p.timestamp === 'string' ? parseInstant(p.timestamp) : undefined) ?? frame.receivedAt;
  return {
    type: 'status',
    journalId: frame.id,
    receivedAt: frame.receivedAt,
    atMs,
    connectorId,
    state,
    errorCode: text(p.errorCode),
  };
}

export function chargeEventsOf(txMessages: readonly TxMessage[], statusFrames: readonly JournalFrame[]): ChargeEvent[] {
  const events: ChargeEvent[] = [];
  for (const m of txMessages) {
    const e = fromTxMessage(m);
    if (e !== undefined) events.push(e);
  }
  for (const f of statusFrames) {
    const e = fromStatusFrame(f);
    if (e !== undefined) events.push(e);
  }
  return events;
}

/** The refused transaction messages among protocol anomalies (transaction-intake.ts records them). */
export function refusedMessagesOf(anomalies: readonly ProtocolAnomaly[]): RefusedMessage[] {
  const refused: RefusedMessage[] = [];
  for (const a of anomalies) {
    if (a.kind !== REFUSED_TX_MESSAGE) continue;
    const detail: unknown = JSON.parse(a.detail);
    if (!isObject(detail)) continue;
    refused.push({
      journalId: a.journalId,
      receivedAt: a.detectedAt,
      action: text(detail.action) ?? 'unknown',
      reason: text(detail.reason) ?? '',
      connectorId: int(detail.connectorId),
      transactionId: transactionIdOf(detail.transactionId),
    });
  }
  return refused;
}
