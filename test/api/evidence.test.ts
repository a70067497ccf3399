import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalFrame } from '../../src/app/ports.js';
import { aPile, NOW, startApi, type ApiHarness } from './api-harness.js';

const MINUTE = 60_000;

function aFrame(id: string, receivedAt: number, raw: string): JournalFrame {
  return {
    id,
    pileId: 'PILE-0001',
    connectionId: 'conn-1',
    direction: 'in',
    messageType: 2,
    messageId: `m-${id}`,
    action: 'StartTransaction',
    receivedAt,
    raw,
    error: null,
  };
}

describe('operator API: pile evidence', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
    await h.app.inject({ method: 'POST', url: '/api/v1/piles', headers: h.auth, payload: aPile() });
    const start = '{"connectorId":1,"idTag":"CARD1","meterStart":1000,"timestamp":"2025-03-01T07:00:00Z"}';
    await h.stores.journal.commit({
      frames: [
        aFrame('j1', NOW - 2 * MINUTE, `[2,"m-j1","StartTransaction",${start}]`),
        aFrame('j2', NOW, '[2,"m-j2"'),
      ],
      txMessages: [
        {
          pileId: 'PILE-0001',
          kind: 'start',
          dedupeKey: 'start:1:CARD1',
          journalId: 'j1',
          connectorId: 1,
          transactionId: null,
          receivedAt: NOW - 2 * MINUTE,
          payload: start,
        },
      ],
      anomalies: [
        { id: 'a1', pileId: 'PILE-0001', journalId: 'j2', kind: 'unparsable', detail: 'truncated', detectedAt: NOW },
      ],
    });
    await h.stores.transactions.start({
      pileId: 'PILE-0001',
      connectorId: 1,
      idTag: 'CARD1',
      authStatus: 'Accepted',
      meterStartWh: 1000,
      startTimestamp: '2025-03-01T07:00:00Z',
      startedAt: Date.parse('2025-03-01T07:00:00Z'),
      receivedAt: NOW - 2 * MINUTE,
      journalId: 'j1',
      dedupeKey: 'start:1:CARD1',
    });
  });
  afterEach(() => h.close());

  const get = (url: string) => h.app.inject({ url: `/api/v1/piles/PILE-0001${url}`, headers: h.auth });

  it('when the journal is read, then raw frames come back unchanged with the messages stored from them', async () => {
    const res = await get('/journal');
    expect(res.statusCode).toBe(200);
    const { frames, txMessages } = res.json();
    expect(frames.map((f: { id: string }) => f.id)).toEqual(['j1', 'j2']);
    expect(frames[1]).toMatchObject({ raw: '[2,"m-j2"', receivedAt: '2025-03-01T08:00:00.000Z', direction: 'in' });
    expect(txMessages).toEqual([
      {
        kind: 'start',
        dedupeKey: 'start:1:CARD1',
        journalId: 'j1',
        connectorId: 1,
        transactionId: null,
        receivedAt: '2025-03-01T07:58:00.000Z',
        payload: { connectorId: 1, idTag: 'CARD1', meterStart: 1000, timestamp: '2025-03-01T07:00:00Z' },
      },
    ]);
  });

  it('when a window is given, then only frames received in it are returned', async () => {
    const res = await get('/journal?from=2025-03-01T07:59:00Z&to=2025-03-01T08:01:00%2B00:00');
    expect(res.json().frames.map((f: { id: string }) => f.id)).toEqual(['j2']);
    expect(res.json().txMessages).toEqual([]);
  });

  it('when the window is malformed or reversed, then 400 naming the parameter', async () => {
    const epoch = await get(`/journal?from=${NOW}`);
    expect(epoch.statusCode).toBe(400);
    expect(epoch.json().error.problems).toEqual(['querystring.from must match format "date-time"']);
    const reversed = await get('/journal?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.problems).toEqual(['querystring.from must not be after querystring.to']);
    const tooMany = await get('/journal?limit=1000000');
    expect(tooMany.json().error.problems).toEqual(['querystring.limit must be <= 1000']);
  });

  it('when transactions are listed, then instants are RFC 3339 and the pile timestamp is as sent', async () => {
    const res = await get('/transactions?limit=10');
    expect(res.statusCode).toBe(200);
    expect(res.json().transactions).toEqual([
      expect.objectContaining({
        connectorId: 1,
        idTag: 'CARD1',
        authStatus: 'Accepted',
        meterStartWh: 1000,
        startTimestamp: '2025-03-01T07:00:00Z',
        startedAt: '2025-03-01T07:00:00.000Z',
        journalId: 'j1',
      }),
    ]);
  });

  it('when anomalies are listed, then each points at its journal entry', async () => {
    const res = await get('/anomalies');
    expect(res.json().anomalies).toEqual([
      { id: 'a1', journalId: 'j2', kind: 'unparsable', detail: 'truncated', detectedAt: '2025-03-01T08:00:00.000Z' },
    ]);
  });

  it('when the pile is not registered, then 404 rather than empty lists', async () => {
    for (const path of ['journal', 'transactions', 'anomalies']) {
      const res = await h.app.inject({ url: `/api/v1/piles/NOPE/${path}`, headers: h.auth });
      expect(res.statusCode, path).toBe(404);
    }
  });
});
