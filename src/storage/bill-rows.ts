// Rows of the bill tables and the port's BillVersion, both ways. Figures cross exactly: whole
// Wh and fen go into BIGINT columns as safe integers (a Dec that is not one is a broken
// invariant and throws), the decimals of bill lines go into JSON as strings; nothing passes
// through float arithmetic.
import type { Insertable, Selectable } from 'kysely';
import type { BillVersion } from '../app/ports.js';
import type { Anomaly, AnomalyCode } from '../core/anomaly.js';
import type { BillStatus } from '../core/bill.js';
import { Dec } from '../core/decimal.js';
import type { BillLine, LineKind } from '../core/rating.js';
import type { EnergySource } from '../core/session-energy.js';
import type { Tier } from '../core/tariff.js';
import type { SplitMethod } from '../core/tou-split.js';
import type { BillsTable, BillVersionsTable } from './schema.js';

/** A bill line as JSON: the decimals as strings in plain notation. */
interface StoredLine {
  readonly kind: LineKind;
  readonly tier: Tier | null;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly amountFen: string;
  readonly method: SplitMethod | null;
}

/** A version row with its bill's identity, as the queries select it. */
export type VersionRow = Selectable<BillVersionsTable> & Pick<Selectable<BillsTable>, 'pile_id' | 'session_key'>;

/** A whole Dec as the number a BIGINT column takes, exactly. */
function wholeNumber(value: Dec, field: string, billNo: string): number {
  if (!value.isInteger() || value.abs().gt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`bill ${billNo}: ${field} must be a whole number below 2^53, got ${value.toFixed()}`);
  }
  return value.toNumber();
}

/** A BIGINT as read back: a number, or a string when mysql2 finds it past 2^53. */
const fromBigint = (value: number | string): Dec => new Dec(value);

/** '6,8': ascending, as reports show combinations; '' without codes. */
export const codesText = (codes: readonly AnomalyCode[]): string => [...codes].sort((a, b) => a - b).join(',');

/** ',6,8,': every code between commas, so that `like '%,1,%'` does not match 11. */
export const codeSetText = (codes: readonly AnomalyCode[]): string =>
  codes.length === 0 ? '' : `,${codesText(codes)},`;

/** The pattern that finds a code in code_set. */
export const codeSetPattern = (code: AnomalyCode): string => `%,${code},%`;

const toCodes = (text: string): AnomalyCode[] =>
  text === '' ? [] : text.split(',').map((c) => Number(c) as AnomalyCode);

const storeLine = (l: BillLine): StoredLine => ({
  kind: l.kind,
  tier: l.tier,
  quantity: l.quantity.toFixed(),
  unitPrice: l.unitPrice.toFixed(),
  amountFen: l.amountFen.toFixed(),
  method: l.method,
});

const toLine = (l: StoredLine): BillLine => ({
  kind: l.kind,
  tier: l.tier,
  quantity: new Dec(l.quantity),
  unitPrice: new Dec(l.unitPrice),
  amountFen: new Dec(l.amountFen),
  method: l.method,
});

/** The bills columns that follow the latest version. */
export function latestColumns(v: BillVersion) {
  return {
    latest_version: v.version,
    station_id: v.stationId,
    status: v.status,
    codes: codesText(v.codes),
    code_set: codeSetText(v.codes),
    start_at: v.startMs,
    stop_at: v.stopMs,
    energy_wh: wholeNumber(v.energyWh, 'energyWh', v.billNo),
    total_fen: wholeNumber(v.totalFen, 'totalFen', v.billNo),
  } satisfies Partial<Insertable<BillsTable>>;
}

export function billRow(v: BillVersion): Insertable<BillsTable> {
  return { bill_no: v.billNo, pile_id: v.pileId, session_key: v.sessionKey, ...latestColumns(v) };
}

export function versionRow(v: BillVersion): Insertable<BillVersionsTable> {
  if (!Number.isSafeInteger(v.version) || v.version < 1) {
    throw new Error(`bill ${v.billNo}: version must be 1, 2, 3, …, got ${v.version}`);
  }
  return {
    bill_no: v.billNo,
    version: v.version,
    station_id: v.stationId,
    connector_id: v.connectorId,
    transaction_id: v.transactionId,
    id_tag: v.idTag,
    start_at: v.startMs,
    stop_at: v.stopMs,
    energy_wh: wholeNumber(v.energyWh, 'energyWh', v.billNo),
    energy_source: v.energySource,
    split_method: v.splitMethod,
    tariff_id: v.tariffId,
    tariff_version: v.tariffVersion,
    total_fen: wholeNumber(v.totalFen, 'totalFen', v.billNo),
    codes: codesText(v.codes),
    status: v.status,
    occupancy_ms: v.occupancyMs,
    lines_json: JSON.stringify(v.lines.map(storeLine)),
    anomalies_json: JSON.stringify(v.anomalies),
    reason: v.reason,
    author: v.author,
    created_at: v.createdAt,
  };
}

// The JSON columns hold what versionRow wrote; text that does not parse is a broken invariant.
export function toBillVersion(r: VersionRow): BillVersion {
  return {
    billNo: r.bill_no,
    version: r.version,
    pileId: r.pile_id,
    stationId: r.station_id,
    sessionKey: r.session_key,
    connectorId: r.connector_id,
    transactionId: r.transaction_id,
    idTag: r.id_tag,
    startMs: r.start_at,
    stopMs: r.stop_at,
    energyWh: fromBigint(r.energy_wh),
    energySource: r.energy_source as EnergySource,
    splitMethod: r.split_method as SplitMethod,
    tariffId: r.tariff_id,
    tariffVersion: r.tariff_version,
    lines: (JSON.parse(r.lines_json) as StoredLine[]).map(toLine),
    totalFen: fromBigint(r.total_fen),
    codes: toCodes(r.codes),
    anomalies: JSON.parse(r.anomalies_json) as Anomaly[],
    status: r.status as BillStatus,
    occupancyMs: r.occupancy_ms,
    reason: r.reason,
    author: r.author,
    createdAt: r.created_at,
  };
}
