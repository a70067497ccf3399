// Bill versions with deterministic defaults for the storage and API tests: a 36.36 kWh session
// in the flat tier, priced 0.85123 + 0.25 yuan/kWh, settled without codes. Bill numbers count up
// per test file, so they never collide inside one file's database.
import type { BillVersion } from '../../src/app/ports.js';
import type { Anomaly, AnomalyCode } from '../../src/core/anomaly.js';
import { Dec } from '../../src/core/decimal.js';

export const SESSION_START = Date.parse('2025-03-01T08:00:00Z');

let counter = 0;

/** A 20-digit bill number as the field writes them, unique within the test file. */
export function aBillNo(): string {
  counter += 1;
  return `20250301160000${String(counter).padStart(6, '0')}`;
}

export function aBillAnomaly(code: AnomalyCode, overrides: Partial<Anomaly> = {}): Anomaly {
  return {
    code,
    rule: `rule-${code}`,
    evidence: { journalIds: [`J${code}`], values: { deviceWh: '36360', platformWh: '35100' }, threshold: '727' },
    ...overrides,
  };
}

/** Codes with one anomaly each, as billSession derives them. */
export function withCodes(...codes: AnomalyCode[]): Pick<BillVersion, 'codes' | 'anomalies'> {
  return { codes, anomalies: codes.map((code) => aBillAnomaly(code)) };
}

export function aBillVersion(overrides: Partial<BillVersion> = {}): BillVersion {
  const billNo = overrides.billNo ?? aBillNo();
  return {
    billNo,
    sessionKey: `tx:${billNo.slice(-6)}`,
    connectorId: 1,
    transactionId: Number(billNo.slice(-6)),
    idTag: 'CARD-1',
    startMs: SESSION_START,
    stopMs: SESSION_START + 45 * 60_000,
    energyWh: new Dec(36_360),
    energySource: 'device-registers',
    splitMethod: 'interpolated',
    tariffId: 'tariff-1',
    tariffVersion: 1,
    lines: [
      {
        kind: 'electricity',
        tier: 'flat',
        quantity: new Dec(36_360),
        unitPrice: new Dec('0.85123'),
        amountFen: new Dec(3_095),
        method: 'interpolated',
      },
      {
        kind: 'service',
        tier: 'flat',
        quantity: new Dec(36_360),
        unitPrice: new Dec('0.25'),
        amountFen: new Dec(909),
        method: 'interpolated',
      },
    ],
    totalFen: new Dec(4_004),
    codes: [],
    anomalies: [],
    status: 'settled',
    occupancyMs: 0,
    pileId: 'CP-1',
    stationId: 'station-1',
    version: 1,
    reason: 'rated',
    author: 'billing',
    createdAt: SESSION_START + 46 * 60_000,
    ...overrides,
  };
}

/** The next version of `previous`, as a rebuild or a repair makes it. */
export function nextVersion(previous: BillVersion, overrides: Partial<BillVersion> = {}): BillVersion {
  return {
    ...previous,
    version: previous.version + 1,
    reason: 'rebuilt',
    createdAt: previous.createdAt + 60_000,
    ...overrides,
  };
}
