// What a pile told us, in pilegate's words: the app translates stored transaction messages,
// status frames and offline intervals into these before the session fold sees them (OCPP names
// stay at the edge, STYLE.md). Every event points at the journal row it came from.
import type { Dec } from './decimal.js';
import type { PowerReading, RegisterReading } from './meter-readings.js';

export const CONNECTOR_STATES = [
  'available',
  'preparing',
  'charging',
  'suspended-ev',
  'suspended-evse',
  'finishing',
  'reserved',
  'unavailable',
  'faulted',
] as const;
export type ConnectorState = (typeof CONNECTOR_STATES)[number];

interface EventBase {
  readonly journalId: string;
  /** Server receive time of the frame. */
  readonly receivedAt: number;
  /** The pile's own time for the event. */
  readonly atMs: number;
}

export interface SessionStarted extends EventBase {
  readonly type: 'started';
  readonly connectorId: number;
  readonly transactionId: number;
  readonly idTag: string;
  readonly meterStartWh: Dec;
}

export interface Sampled extends EventBase {
  readonly type: 'sampled';
  readonly connectorId: number;
  /** null or an id no StartTransaction gave: matched by connector and time. */
  readonly transactionId: number | null;
  readonly registers: readonly RegisterReading[];
  readonly power: readonly PowerReading[];
}

export interface SessionStopped extends EventBase {
  readonly type: 'stopped';
  /** As sent: -1 or an unknown id makes it an orphan. */
  readonly transactionId: number;
  readonly meterStopWh: Dec;
  readonly reason: string | null;
  readonly registers: readonly RegisterReading[];
}

export interface DeviceBillTier {
  readonly tier: string;
  readonly energyWh: Dec;
  readonly amountFen: Dec;
}

/** The pile's own bill (Robinson DeviceBill); atMs is its stop time. */
export interface DeviceBilled extends EventBase {
  readonly type: 'device-billed';
  readonly deviceBillNo: string;
  readonly transactionId: number;
  readonly connectorId: number;
  readonly idTag: string | null;
  readonly startType: string | null;
  readonly startMs: number;
  readonly registerStartWh: Dec | null;
  readonly registerStopWh: Dec | null;
  readonly energyWh: Dec;
  readonly tiers: readonly DeviceBillTier[];
  readonly amountFen: Dec;
  readonly stopReason: string | null;
}

export interface StatusChanged extends EventBase {
  readonly type: 'status';
  readonly connectorId: number;
  readonly state: ConnectorState;
  readonly errorCode: string | null;
}

/** Robinson MeterHeartbeat: a connector's register and state with every heartbeat. */
export interface RegisterHeartbeat extends EventBase {
  readonly type: 'register-heartbeat';
  readonly connectorId: number;
  readonly state: ConnectorState | null;
  readonly reading: RegisterReading;
}

export type ChargeEvent = SessionStarted | Sampled | SessionStopped | DeviceBilled | StatusChanged | RegisterHeartbeat;

/**
 * A transaction message we answered with a CALLERROR (it failed the schema): the pile may have
 * dropped it from its queue, so what it carried may never come (domain.md §B4, code 1). Its ids
 * are those the frame named, where they were integers.
 */
export interface RefusedMessage {
  readonly journalId: string;
  readonly receivedAt: number;
  readonly action: string;
  readonly reason: string;
  readonly connectorId: number | null;
  readonly transactionId: number | null;
}

/** A stretch with no frame from the pile; toMs null while it lasts. */
export interface OfflineSpan {
  readonly fromMs: number;
  readonly toMs: number | null;
}
