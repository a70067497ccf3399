// Bills as the operator API shows them: schemas and the mapping from the stored versions.
// Money crosses as integer fen plus yuan text ("244.40"), energy as integer Wh plus kWh text
// ("128.630"), decimals of lines as text; never as a float that could round.
import type { BillVersion, CodeCombinationCount } from '../app/ports.js';
import { ANOMALY_CODES, type Anomaly } from '../core/anomaly.js';
import { BILL_STATUSES } from '../core/bill.js';
import type { Dec } from '../core/decimal.js';
import { formatYuan } from '../core/money.js';
import type { BillLine } from '../core/rating.js';
import { ENERGY_SOURCES } from '../core/session-energy.js';
import { TIERS } from '../core/tariff.js';
import { ref } from './schema-refs.js';
import { instantSchema, nullableInstantSchema, toIso, toIsoOrNull } from './wire-time.js';

export const codeSchema = { type: 'integer', enum: ANOMALY_CODES, description: 'abnormal-bill code 1–11' } as const;

const fenSchema = (what: string) => ({ type: 'integer', description: `${what}, whole fen` }) as const;
const yuanSchema = (what: string) => ({ type: 'string', description: `${what} in yuan, two decimals` }) as const;

const lineSchema = {
  type: 'object',
  required: ['kind', 'tier', 'quantity', 'unitPrice', 'amountFen', 'amountYuan', 'method'],
  properties: {
    kind: { type: 'string', enum: ['electricity', 'service', 'idle'] },
    tier: { type: ['string', 'null'], enum: [...TIERS, null], description: 'null on the idle line' },
    quantity: { type: 'string', description: 'decimal: Wh on an energy line, minutes charged on the idle line' },
    unitPrice: { type: 'string', description: 'decimal: yuan per kWh, or per minute on the idle line' },
    amountFen: fenSchema('the line rounded half-up'),
    amountYuan: yuanSchema('the line'),
    method: {
      type: ['string', 'null'],
      enum: ['interpolated', 'time-pro-rata', null],
      description: 'how the tier energy was split; time-pro-rata across gaps without samples',
    },
  },
} as const;

const anomalySchema = {
  type: 'object',
  required: ['code', 'rule', 'evidence'],
  properties: {
    code: codeSchema,
    rule: { type: 'string', description: 'which check of the code fired' },
    evidence: {
      type: 'object',
      required: ['journalIds', 'values', 'threshold'],
      properties: {
        journalIds: { type: 'array', items: { type: 'string' }, description: 'the journal entries the rule read' },
        values: { type: 'object', additionalProperties: { type: 'string' }, description: 'the figures compared' },
        threshold: { type: ['string', 'null'] },
      },
    },
  },
} as const;

/** What every version carries, and the summary of a bill (its latest version) too. */
const versionProperties = {
  version: { type: 'integer', description: '1, 2, 3, …; a repair or a rebuild adds one' },
  stationId: { type: 'string' },
  connectorId: { type: 'integer' },
  transactionId: { type: ['integer', 'null'] },
  idTag: { type: ['string', 'null'] },
  startAt: instantSchema,
  stopAt: { ...nullableInstantSchema, description: 'null while the session has no known end' },
  energyWh: { type: 'integer' },
  energyKwh: { type: 'string', description: 'the same energy in kWh, three decimals' },
  energySource: { type: 'string', enum: ENERGY_SOURCES },
  splitMethod: { type: 'string', enum: ['interpolated', 'time-pro-rata'] },
  tariffId: { type: 'string' },
  tariffVersion: { type: 'integer' },
  totalFen: fenSchema('the sum of the rounded lines'),
  totalYuan: yuanSchema('the total'),
  codes: { type: 'array', items: codeSchema, description: 'ascending; empty for a normal bill' },
  status: { type: 'string', enum: BILL_STATUSES },
  occupancyMs: { type: ['integer', 'null'], description: 'plugged in after charging; null when unknown' },
  reason: { type: 'string', description: 'why this version exists: rated, rebuilt, or the repair' },
  author: { type: 'string' },
  createdAt: instantSchema,
} as const;
const versionRequired = Object.keys(versionProperties);

const identityProperties = {
  billNo: { type: 'string' },
  pileId: { type: 'string' },
  sessionKey: { type: 'string', description: 'the session the bill is of; one bill per session' },
} as const;
const summaryRequired = [...Object.keys(identityProperties), ...versionRequired];

export const billSchemas = [
  {
    $id: 'BillVersion',
    type: 'object',
    required: [...versionRequired, 'lines', 'anomalies'],
    properties: {
      ...versionProperties,
      lines: { type: 'array', items: lineSchema },
      anomalies: { type: 'array', items: anomalySchema, description: 'each with the evidence of its rule' },
    },
  },
  {
    $id: 'BillSummary',
    description: "a bill's latest version, without its lines and evidence",
    type: 'object',
    required: summaryRequired,
    properties: { ...identityProperties, ...versionProperties },
  },
  {
    $id: 'BillDetail',
    description: "a bill's latest version and every version, oldest first",
    type: 'object',
    required: [...summaryRequired, 'versions'],
    properties: { ...identityProperties, ...versionProperties, versions: { type: 'array', items: ref('BillVersion') } },
  },
  {
    $id: 'AbnormalBillReport',
    type: 'object',
    required: ['from', 'to', 'stationId', 'combinations', 'total'],
    properties: {
      from: instantSchema,
      to: instantSchema,
      stationId: { type: ['string', 'null'], description: 'null: every station' },
      combinations: {
        type: 'array',
        description: 'most common first',
        items: {
          type: 'object',
          required: ['codes', 'bills'],
          properties: {
            codes: { type: 'string', description: 'the codes of a bill in ascending order, e.g. "6,8"' },
            bills: { type: 'integer' },
          },
        },
      },
      total: { type: 'integer', description: 'abnormal bills in the period: the sum of the combinations' },
    },
  },
];

/** Whole fen or Wh as a JSON integer: exact, the store keeps them below 2^53. */
const whole = (value: Dec): number => value.toNumber();

const kwh = (wh: Dec): string => wh.dividedBy(1000).toFixed(3);

const lineToWire = (l: BillLine) => ({
  kind: l.kind,
  tier: l.tier,
  quantity: l.quantity.toFixed(),
  unitPrice: l.unitPrice.toFixed(),
  amountFen: whole(l.amountFen),
  amountYuan: formatYuan(l.amountFen),
  method: l.method,
});

const anomalyToWire = (a: Anomaly) => ({ code: a.code, rule: a.rule, evidence: a.evidence });

function versionFields(v: BillVersion) {
  return {
    version: v.version,
    stationId: v.stationId,
    connectorId: v.connectorId,
    transactionId: v.transactionId,
    idTag: v.idTag,
    startAt: toIso(v.startMs),
    stopAt: toIsoOrNull(v.stopMs),
    energyWh: whole(v.energyWh),
    energyKwh: kwh(v.energyWh),
    energySource: v.energySource,
    splitMethod: v.splitMethod,
    tariffId: v.tariffId,
    tariffVersion: v.tariffVersion,
    totalFen: whole(v.totalFen),
    totalYuan: formatYuan(v.totalFen),
    codes: v.codes,
    status: v.status,
    occupancyMs: v.occupancyMs,
    reason: v.reason,
    author: v.author,
    createdAt: toIso(v.createdAt),
  };
}

export const billSummaryToWire = (v: BillVersion) => ({
  billNo: v.billNo,
  pileId: v.pileId,
  sessionKey: v.sessionKey,
  ...versionFields(v),
});

export const billVersionToWire = (v: BillVersion) => ({
  ...versionFields(v),
  lines: v.lines.map(lineToWire),
  anomalies: v.anomalies.map(anomalyToWire),
});

/** `versions` oldest first, as the store returns them; the last one is the bill's state. */
export function billDetailToWire(versions: readonly [BillVersion, ...BillVersion[]]) {
  return { ...billSummaryToWire(versions[versions.length - 1]!), versions: versions.map(billVersionToWire) };
}

export function reportToWire(
  window: { readonly fromMs: number; readonly toMs: number; readonly stationId?: string },
  combinations: readonly CodeCombinationCount[],
) {
  return {
    from: toIso(window.fromMs),
    to: toIso(window.toMs),
    stationId: window.stationId ?? null,
    combinations,
    total: combinations.reduce((sum, c) => sum + c.bills, 0),
  };
}
