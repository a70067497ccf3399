// The short, explicit list of schema breaks that real piles commit in transaction messages
// (DESIGN.md §3). Refusing them would lose the data (OCPP 1.6 §4.7/§4.8/§4.10: a refused message
// is retried and then discarded), so they are normalised in place before strict validation,
// and the handler records which ones were applied as protocol anomalies. Anything else still
// gets the CALLERROR the spec asks for.
import { ocpp16Validator as strict } from './ocpp16-schemas.js';
import type { RpcValidator } from './rpc.js';

export const QUIRKS = [
  // "value": 1234 instead of "value": "1234"
  'sampled-value-number',
  // "meterValue": {...} (or transactionData) instead of [{...}]
  'meter-value-object',
  // "sampledValue": {...} instead of [{...}]
  'sampled-value-object',
  // "meterStart": "1234" and other integers sent as decimal strings
  'integer-as-string',
] as const;
export type Quirk = (typeof QUIRKS)[number];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const INTEGER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  StartTransaction: ['connectorId', 'meterStart', 'reservationId'],
  StopTransaction: ['meterStop', 'transactionId'],
  MeterValues: ['connectorId', 'transactionId'],
};
const METER_VALUE_FIELD: Readonly<Record<string, string>> = {
  MeterValues: 'meterValue',
  StopTransaction: 'transactionData',
};

function normaliseIntegers(params: Json, fields: readonly string[], applied: Set<Quirk>): void {
  for (const field of fields) {
    const v = params[field];
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
      params[field] = Number(v.trim());
      applied.add('integer-as-string');
    }
  }
}

function normaliseMeterValues(params: Json, field: string, applied: Set<Quirk>): void {
  if (isObject(params[field])) {
    params[field] = [params[field]];
    applied.add('meter-value-object');
  }
  const list = params[field];
  if (!Array.isArray(list)) return;
  for (const meterValue of list) {
    if (!isObject(meterValue)) continue;
    if (isObject(meterValue.sampledValue)) {
      meterValue.sampledValue = [meterValue.sampledValue];
      applied.add('sampled-value-object');
    }
    if (!Array.isArray(meterValue.sampledValue)) continue;
    for (const sample of meterValue.sampledValue) {
      if (isObject(sample) && typeof sample.value === 'number' && Number.isFinite(sample.value)) {
        sample.value = String(sample.value);
        applied.add('sampled-value-number');
      }
    }
  }
}

/** Applies the known quirks to `params` in place; returns those that were applied. */
export function normaliseQuirks(action: string, params: Json): Quirk[] {
  const applied = new Set<Quirk>();
  normaliseIntegers(params, INTEGER_FIELDS[action] ?? [], applied);
  const field = METER_VALUE_FIELD[action];
  if (field !== undefined) normaliseMeterValues(params, field, applied);
  return [...applied];
}

/**
 * A strict-mode validator for ocpp1.6 that retries a failed transaction request once after
 * normalising its quirks. `applied` remembers, per params object, what was changed.
 */
export function createQuirkTolerantValidator(applied: WeakMap<object, Quirk[]>): RpcValidator {
  return {
    subprotocol: 'ocpp1.6',
    validate(schemaId, params) {
      try {
        return strict.validate(schemaId, params);
      } catch (error) {
        const action = /^urn:(\w+)\.req$/.exec(schemaId)?.[1];
        if (action === undefined || INTEGER_FIELDS[action] === undefined || !isObject(params)) throw error;
        const quirks = normaliseQuirks(action, params);
        if (quirks.length === 0) throw error;
        try {
          strict.validate(schemaId, params);
        } catch {
          throw error;
        }
        applied.set(params, quirks);
        return true;
      }
    },
  };
}
