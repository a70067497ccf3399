import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { StatusNotificationRequest } from '../ocpp16/index.js';
import deviceBillSchema from './device-bill.schema.json' with { type: 'json' };
import meterHeartbeatSchema from './meter-heartbeat.schema.json' with { type: 'json' };
import type { DeviceBill, MeterHeartbeat } from './types.generated.js';

export type * from './types.generated.js';

/** DataTransfer.req `vendorId` of the Robinson extension (DESIGN.md §3). */
export const ROBINSON_VENDOR_ID = 'Robinson';

/** The `data` of each Robinson message, by DataTransfer.req `messageId`. */
export interface RobinsonData {
  MeterHeartbeat: MeterHeartbeat;
  DeviceBill: DeviceBill;
}

export const ROBINSON_MESSAGE_IDS = ['MeterHeartbeat', 'DeviceBill'] as const satisfies readonly (keyof RobinsonData)[];
export type RobinsonMessageId = (typeof ROBINSON_MESSAGE_IDS)[number];

/** A readable message, discriminated by `messageId`: `message` is the schema-valid `data`. */
export type RobinsonParsed<K extends RobinsonMessageId = RobinsonMessageId> = {
  [P in K]: { readonly ok: true; readonly messageId: P; readonly message: RobinsonData[P] };
}[K];

export interface RobinsonParseFailure {
  readonly ok: false;
  readonly reason: 'unknown-message-id' | 'not-json' | 'invalid';
  readonly errors: string;
}

export type RobinsonParseResult = RobinsonParsed | RobinsonParseFailure;

/** `MeterHeartbeat.status` indexes OCPP 1.6 ChargePointStatus in the spec's order. */
export const METER_HEARTBEAT_STATUSES = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
] as const satisfies { readonly [I in MeterHeartbeat['status']]: StatusNotificationRequest['status'] };

// strict: a mistake in our own schemas throws once, here at load, instead of validating loosely.
const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
// ajv-formats is CommonJS: under NodeNext its default import is module.exports, the plugin's host.
addFormats.default(ajv);
const validators: { readonly [K in RobinsonMessageId]: ValidateFunction<RobinsonData[K]> } = {
  MeterHeartbeat: ajv.compile<MeterHeartbeat>(meterHeartbeatSchema),
  DeviceBill: ajv.compile<DeviceBill>(deviceBillSchema),
};

/**
 * Reads the `data` of a Robinson DataTransfer.req. Never throws: each outcome is data that the
 * gateway maps to a DataTransfer.conf status and an anomaly. Only the shape is judged here;
 * implausible values (a negative energy, a regressing register) parse and are flagged downstream.
 */
export function parseRobinsonData(messageId: string | undefined, dataText: string | undefined): RobinsonParseResult {
  if (!isRobinsonMessageId(messageId)) {
    return { ok: false, reason: 'unknown-message-id', errors: `not a Robinson messageId: ${messageId}` };
  }
  if (dataText === undefined) return { ok: false, reason: 'not-json', errors: 'no data' };
  let data: unknown;
  try {
    data = JSON.parse(dataText);
  } catch (error) {
    return { ok: false, reason: 'not-json', errors: String(error) };
  }
  return validate(messageId, data);
}

function isRobinsonMessageId(messageId: string | undefined): messageId is RobinsonMessageId {
  return ROBINSON_MESSAGE_IDS.some((id) => id === messageId);
}

function validate<K extends RobinsonMessageId>(messageId: K, data: unknown): RobinsonParsed<K> | RobinsonParseFailure {
  const isValid: ValidateFunction<RobinsonData[K]> = validators[messageId];
  if (!isValid(data)) {
    return { ok: false, reason: 'invalid', errors: ajv.errorsText(isValid.errors, { dataVar: messageId }) };
  }
  const parsed: RobinsonParsed<K> = { ok: true, messageId, message: data };
  return parsed;
}
