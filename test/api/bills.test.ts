import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BillVersion } from '../../src/app/ports.js';
import { Dec } from '../../src/core/decimal.js';
import { aBillAnomaly, aBillVersion, nextVersion, SESSION_START, withCodes } from '../support/bills.js';
import { startApi, type ApiHarness } from './api-harness.js';

const HOUR = 3_600_000;
const at = (hours: number) => SESSION_START + hours * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

// Field case B: 128.63 kWh estimated for 244.40 CNY from a register that read 0 (code 1).
const caseB = aBillVersion({
  pileId: 'PILE-B',
  stationId: 'station-1',
  startMs: at(0),
  stopMs: null,
  energyWh: new Dec(128_630),
  energySource: 'estimate',
  splitMethod: 'time-pro-rata',
  lines: [
    {
      kind: 'electricity',
      tier: 'peak',
      quantity: new Dec(128_630),
      unitPrice: new Dec('1.40123'),
      amountFen: new Dec(18_024),
      method: 'time-pro-rata',
    },
    {
      kind: 'service',
      tier: 'peak',
      quantity: new Dec(128_630),
      unitPrice: new Dec('0.49877'),
      amountFen: new Dec(6_416),
      method: 'time-pro-rata',
    },
  ],
  totalFen: new Dec(24_440),
  codes: [1],
  anomalies: [
    aBillAnomaly(1, {
      rule: 'no-final-bill',
      evidence: {
        journalIds: ['J-START', 'J-STATUS-8'],
        values: { lastEvidenceAt: '2019-10-24T15:17:30+08:00', graceMs: '1800000' },
        threshold: '1800000',
      },
    }),
  ],
  status: 'provisional',
  occupancyMs: null,
});

describe('operator API: bills', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  async function seed(...versions: BillVersion[]): Promise<void> {
    for (const v of versions) expect(await h.stores.bills.append(v)).toBe(true);
  }
  const get = (url: string) => h.app.inject({ url: `/api/v1${url}`, headers: h.auth });
  const billNos = async (query: string) => {
    const res = await get(`/bills?${query}`);
    expect(res.statusCode, query).toBe(200);
    return res.json().bills.map((b: { billNo: string }) => b.billNo);
  };

  it('when bills are listed, then money is fen plus yuan text, energy Wh plus kWh text, times RFC 3339', async () => {
    await seed(caseB);
    const res = await get('/bills');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      bills: [
        {
          billNo: caseB.billNo,
          pileId: 'PILE-B',
          sessionKey: caseB.sessionKey,
          version: 1,
          stationId: 'station-1',
          connectorId: 1,
          transactionId: caseB.transactionId,
          idTag: 'CARD-1',
          startAt: '2025-03-01T08:00:00.000Z',
          stopAt: null,
          energyWh: 128_630,
          energyKwh: '128.630',
          energySource: 'estimate',
          splitMethod: 'time-pro-rata',
          tariffId: 'tariff-1',
          tariffVersion: 1,
          totalFen: 24_440,
          totalYuan: '244.40',
          codes: [1],
          status: 'provisional',
          occupancyMs: null,
          reason: 'rated',
          author: 'billing',
          createdAt: iso(caseB.createdAt),
        },
      ],
    });
  });

  it('when filters are given, then only the latest versions that match come back, by session start', async () => {
    const a = aBillVersion({ pileId: 'P1', stationId: 'S1', startMs: at(0), ...withCodes(8) });
    const b = aBillVersion({ pileId: 'P1', stationId: 'S1', startMs: at(1), ...withCodes(11), status: 'held' });
    const c = aBillVersion({ pileId: 'P2', stationId: 'S2', startMs: at(2), ...withCodes(1, 6) });
    await seed(c, b, a, nextVersion(a, { codes: [], anomalies: [] }));

    expect(await billNos('')).toEqual([a.billNo, b.billNo, c.billNo]);
    expect(await billNos('pileId=P1')).toEqual([a.billNo, b.billNo]);
    expect(await billNos('stationId=S2')).toEqual([c.billNo]);
    expect(await billNos(`from=${iso(at(1))}&to=${iso(at(2))}`)).toEqual([b.billNo]);
    expect(await billNos('from=2025-03-01T17:00:00%2B08:00')).toEqual([b.billNo, c.billNo]);
    expect(await billNos('code=1')).toEqual([c.billNo]);
    expect(await billNos('code=8')).toEqual([]);
    expect(await billNos('status=held')).toEqual([b.billNo]);
    expect(await billNos('limit=2')).toEqual([a.billNo, b.billNo]);
  });

  it('when a query value is malformed, then 400 naming the parameter', async () => {
    const problems = async (query: string) => {
      const res = await get(`/bills?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('invalid-request');
      return res.json().error.problems;
    };
    expect(await problems('code=12')).toEqual(['querystring.code must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11']);
    expect(await problems('code=eight')).toEqual(['querystring.code must be integer']);
    expect(await problems('status=paid')).toEqual([
      'querystring.status must be one of provisional, held, settled, void',
    ]);
    expect(await problems(`from=${SESSION_START}`)).toEqual(['querystring.from must match format "date-time"']);
    expect(await problems('from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z')).toEqual([
      'querystring.from must not be after querystring.to',
    ]);
    expect(await problems('limit=0')).toEqual(['querystring.limit must be >= 1']);
    expect(await problems('limit=1001')).toEqual(['querystring.limit must be <= 1000']);
  });

  it('when one bill is read, then every version comes back oldest first with lines and anomaly evidence', async () => {
    const repaired = nextVersion(caseB, {
      stopMs: at(0) + 34 * 60_000,
      energyWh: new Dec(36_360),
      energySource: 'platform-registers',
      lines: [
        {
          kind: 'electricity',
          tier: 'peak',
          quantity: new Dec(36_360),
          unitPrice: new Dec('0.85123'),
          amountFen: new Dec(4_000),
          method: 'interpolated',
        },
        {
          kind: 'idle',
          tier: null,
          quantity: new Dec(17),
          unitPrice: new Dec('0.5'),
          amountFen: new Dec(850),
          method: null,
        },
      ],
      totalFen: new Dec(4_850),
      codes: [],
      anomalies: [],
      status: 'settled',
      reason: 'repair: platform registers from trusted readings',
      author: 'op:alice',
    });
    await seed(caseB, repaired);

    const res = await get(`/bills/${caseB.billNo}`);
    expect(res.statusCode).toBe(200);
    const bill = res.json();
    expect(bill).toMatchObject({
      billNo: caseB.billNo,
      pileId: 'PILE-B',
      version: 2,
      totalFen: 4_850,
      totalYuan: '48.50',
      energyKwh: '36.360',
      status: 'settled',
      codes: [],
    });
    expect(bill.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(bill.versions[0]).toMatchObject({ totalYuan: '244.40', codes: [1], reason: 'rated', author: 'billing' });
    expect(bill.versions[0].anomalies).toEqual([
      {
        code: 1,
        rule: 'no-final-bill',
        evidence: {
          journalIds: ['J-START', 'J-STATUS-8'],
          values: { lastEvidenceAt: '2019-10-24T15:17:30+08:00', graceMs: '1800000' },
          threshold: '1800000',
        },
      },
    ]);
    expect(bill.versions[1]).toMatchObject({
      stopAt: '2025-03-01T08:34:00.000Z',
      author: 'op:alice',
      reason: 'repair: platform registers from trusted readings',
      anomalies: [],
    });
    expect(bill.versions[1].lines).toEqual([
      {
        kind: 'electricity',
        tier: 'peak',
        quantity: '36360',
        unitPrice: '0.85123',
        amountFen: 4_000,
        amountYuan: '40.00',
        method: 'interpolated',
      },
      { kind: 'idle', tier: null, quantity: '17', unitPrice: '0.5', amountFen: 850, amountYuan: '8.50', method: null },
    ]);
  });

  it('when the bill does not exist, then 404', async () => {
    const res = await get('/bills/20250301160000999999');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'not-found', message: 'bill 20250301160000999999 does not exist' });
  });

  it('when the abnormal-bill report is asked for, then combinations by latest version, most common first, with the total', async () => {
    const bill = (hours: number, stationId: string, ...codes: Parameters<typeof withCodes>) =>
      aBillVersion({ pileId: `P-${stationId}`, stationId, startMs: at(hours), ...withCodes(...codes) });
    const repaired = bill(1, 'S1', 3);
    await seed(
      bill(0, 'S1', 8),
      bill(1, 'S1', 8),
      bill(2, 'S2', 8),
      bill(0, 'S1', 6, 8),
      bill(0, 'S2', 6, 8),
      bill(1, 'S1', 9, 6, 8),
      bill(1, 'S1'),
      repaired,
      bill(24, 'S1', 11),
    );
    await seed(nextVersion(repaired, { codes: [], anomalies: [] }));

    const res = await get(`/reports/abnormal-bills?from=${iso(at(0))}&to=${iso(at(24))}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2025-03-01T08:00:00.000Z',
      to: '2025-03-02T08:00:00.000Z',
      stationId: null,
      combinations: [
        { codes: '8', bills: 3 },
        { codes: '6,8', bills: 2 },
        { codes: '6,8,9', bills: 1 },
      ],
      total: 6,
    });
    const s2 = await get(`/reports/abnormal-bills?from=${iso(at(0))}&to=${iso(at(48))}&stationId=S2`);
    expect(s2.json()).toMatchObject({
      stationId: 'S2',
      combinations: [
        { codes: '6,8', bills: 1 },
        { codes: '8', bills: 1 },
      ],
      total: 2,
    });
  });

  it('when the report period is missing or reversed, then 400 naming the parameter', async () => {
    const missing = await get(`/reports/abnormal-bills?to=${iso(at(1))}`);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.problems).toEqual(['querystring.from is required']);
    const reversed = await get(`/reports/abnormal-bills?from=${iso(at(1))}&to=${iso(at(0))}`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.problems).toEqual(['querystring.from must not be after querystring.to']);
    const empty = await get(`/reports/abnormal-bills?from=${iso(at(1))}&to=${iso(at(1))}`);
    expect(empty.json()).toMatchObject({ combinations: [], total: 0 });
  });

  it('when no token is sent, then bills and reports are 401', async () => {
    for (const url of ['/bills', `/bills/${caseB.billNo}`, `/reports/abnormal-bills?from=${iso(0)}&to=${iso(1)}`]) {
      const res = await h.app.inject({ url: `/api/v1${url}` });
      expect(res.statusCode, url).toBe(401);
    }
  });
});
