import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aTariffDraft, oneSeason } from '../support/tariffs.js';
import { NOW, startApi, type ApiHarness } from './api-harness.js';

/** A draft as an operator posts it: effectiveFrom as an RFC 3339 instant. */
const aDraftBody = (overrides: Record<string, unknown> = {}) =>
  aTariffDraft({ effectiveFrom: '2025-01-01T00:00:00+08:00', ...overrides });

describe('operator API: tariffs', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  const post = (tariffId: string, body: unknown) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/tariffs/${tariffId}/versions`,
      headers: h.auth,
      payload: body as object,
    });
  const bind = (stationId: string, body: Record<string, unknown>) =>
    h.app.inject({ method: 'PUT', url: `/api/v1/stations/${stationId}/tariff`, headers: h.auth, payload: body });
  const get = (url: string) => h.app.inject({ url: `/api/v1${url}`, headers: h.auth });

  it('when a valid version is posted, then 201 with version 1, decimals as text and instants in UTC', async () => {
    const res = await post('beijing-dc', aDraftBody());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      tariffId: 'beijing-dc',
      version: 1,
      effectiveFrom: '2024-12-31T16:00:00.000Z',
      timeZone: 'Asia/Shanghai',
      idleFee: { freeMinutes: 30, pricePerMinute: '1.00000', capYuan: '50.00' },
      createdAt: new Date(NOW).toISOString(),
    });
    expect(body.prices.peak).toEqual({ electricityPerKwh: '1.21100', servicePerKwh: '0.80000' });
    expect(body.prices['deep-valley']).toEqual({ electricityPerKwh: '0.14205', servicePerKwh: '0.40000' });
    expect(body.seasons).toEqual(aDraftBody()['seasons']);
    expect(body.holidays).toEqual(aDraftBody()['holidays']);
  });

  it('when a tariff gets a second version, then it is numbered 2 and both are listed, oldest first', async () => {
    await post('T1', aDraftBody());
    const second = await post('T1', aDraftBody({ effectiveFrom: '2025-06-01T00:00:00+08:00', idleFee: null }));
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ version: 2, idleFee: null });
    const list = await get('/tariffs/T1/versions');
    expect(list.statusCode).toBe(200);
    expect(list.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it('when a schedule has a gap and an overlap, then 400 with problems naming the times', async () => {
    const res = await post(
      'T1',
      aDraftBody({
        seasons: oneSeason([
          { from: '00:00', to: '10:00', tier: 'valley' },
          { from: '10:00', to: '12:00', tier: 'peak' },
          { from: '11:30', to: '13:00', tier: 'flat' },
          { from: '14:00', to: '24:00', tier: 'flat' },
        ]),
      }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'invalid-request',
      message: 'the request breaks a rule',
      problems: [
        '10:00–12:00 (peak) overlaps 11:30–13:00 (flat) in season months 1–12',
        'no period covers 13:00–14:00 in season months 1–12',
      ],
    });
  });

  it('when prices and the zone break the rules, then every problem comes back at once', async () => {
    const prices = {
      ...(aDraftBody()['prices'] as object),
      peak: { electricityPerKwh: '1.2110001', servicePerKwh: '-1' },
    };
    const res = await post('T1', aDraftBody({ prices, timeZone: 'Asia/Beijing' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual([
      'timeZone "Asia/Beijing" is not an IANA time zone such as Asia/Shanghai',
      'prices.peak.electricityPerKwh "1.2110001" has more than 5 decimals',
      'prices.peak.servicePerKwh "-1" must not be negative',
    ]);
  });

  it('when the body misses a field or names an unknown tier, then 400 from the schema, naming the field', async () => {
    const { seasons: _omitted, ...noSeasons } = aDraftBody();
    expect((await post('T1', noSeasons)).json().error.problems).toEqual(['body.seasons is required']);
    const badTier = aDraftBody({ seasons: oneSeason([{ from: '00:00', to: '24:00', tier: 'super-peak' }]) });
    expect((await post('T1', badTier)).json().error.problems).toEqual([
      'body.seasons[0].periods[0].tier must be one of sharp, peak, flat, valley, deep-valley',
    ]);
    expect((await post('T1', aDraftBody({ effectiveFrom: 'next monday' }))).statusCode).toBe(400);
  });

  it('when the tariff id is not URL-safe, then 400', async () => {
    const res = await post('bad%20id', aDraftBody());
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual(['tariffId must be 1 to 48 characters of A-Z a-z 0-9 . _ -']);
  });

  it('when tariffs are listed, then each comes with its latest version; an unknown one is 404', async () => {
    await post('B', aDraftBody());
    await post('A', aDraftBody());
    await post('A', aDraftBody());
    const res = await get('/tariffs');
    expect(res.statusCode).toBe(200);
    const updatedAt = new Date(NOW).toISOString();
    expect(res.json()).toEqual({
      tariffs: [
        { tariffId: 'A', latestVersion: 2, updatedAt },
        { tariffId: 'B', latestVersion: 1, updatedAt },
      ],
    });
    expect((await get('/tariffs/NOPE/versions')).statusCode).toBe(404);
  });

  it('when a tariff is bound to a station, then the station shows the binding and the version in force now', async () => {
    await post('T1', aDraftBody());
    const res = await bind('station-1', { tariffId: 'T1', effectiveFrom: '2025-02-01T00:00:00+08:00' });
    expect(res.statusCode).toBe(200);
    const binding = {
      stationId: 'station-1',
      tariffId: 'T1',
      effectiveFrom: '2025-01-31T16:00:00.000Z',
      boundAt: new Date(NOW).toISOString(),
    };
    expect(res.json()).toEqual(binding);
    const station = await get('/stations/station-1/tariff');
    expect(station.statusCode).toBe(200);
    expect(station.json()).toMatchObject({
      stationId: 'station-1',
      bindings: [binding],
      current: { binding, version: { tariffId: 'T1', version: 1 } },
      currentProblem: null,
    });
  });

  it('when versions follow each other, then the one in force at the session start is chosen', async () => {
    await post('T1', aDraftBody());
    await post('T1', aDraftBody({ effectiveFrom: '2025-03-02T00:00:00+08:00' }));
    await bind('S1', { tariffId: 'T1', effectiveFrom: '2025-01-01T00:00:00+08:00' });
    const versionAt = async (at?: string) => {
      const res = await get(`/stations/S1/tariff${at === undefined ? '' : `?at=${encodeURIComponent(at)}`}`);
      return res.json().current.version.version;
    };
    expect(await versionAt()).toBe(1);
    expect(await versionAt('2025-03-01T23:59:59+08:00')).toBe(1);
    expect(await versionAt('2025-03-02T00:00:00+08:00')).toBe(2);
  });

  it('when asked about an instant before any binding, then current is null and says why', async () => {
    await post('T1', aDraftBody());
    await bind('S1', { tariffId: 'T1', effectiveFrom: '2025-02-01T00:00:00Z' });
    const res = await get(`/stations/S1/tariff?at=${encodeURIComponent('2025-01-15T00:00:00Z')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      current: null,
      currentProblem: 'station S1 has no tariff bound at 2025-01-15T00:00:00.000Z',
    });
  });

  it('when the bound tariff has no version in force yet, then current is null and says so, never a zero price', async () => {
    await post('T1', aDraftBody({ effectiveFrom: '2025-06-01T00:00:00Z' }));
    // The API refuses such a binding; one written behind its back must still not price at 0.
    const effectiveFrom = Date.parse('2025-01-01T00:00:00Z');
    await h.stores.tariffs.bind({ stationId: 'S1', tariffId: 'T1', effectiveFrom, boundAt: NOW });
    const res = await get('/stations/S1/tariff');
    expect(res.json()).toMatchObject({
      current: null,
      currentProblem: 'tariff T1 has no version in force at 2025-03-01T08:00:00.000Z',
    });
  });

  it('when a binding names an unknown tariff, repeats an instant or precedes every version, then 404, 409, 400', async () => {
    await post('T1', aDraftBody());
    expect((await bind('S1', { tariffId: 'NOPE', effectiveFrom: '2025-02-01T00:00:00Z' })).statusCode).toBe(404);
    expect((await bind('S1', { tariffId: 'T1', effectiveFrom: '2025-02-01T00:00:00Z' })).statusCode).toBe(200);
    const again = await bind('S1', { tariffId: 'T1', effectiveFrom: '2025-02-01T00:00:00Z' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toEqual({
      code: 'conflict',
      message: 'station S1 has a tariff bound from 2025-02-01T00:00:00.000Z already',
    });
    const early = await bind('S1', { tariffId: 'T1', effectiveFrom: '2024-12-01T00:00:00Z' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.problems).toEqual([
      'tariff T1 has no version in force at 2024-12-01T00:00:00.000Z; its first takes effect at 2024-12-31T16:00:00.000Z',
    ]);
  });

  it('when a station has no tariff bound, then 404', async () => {
    const res = await get('/stations/unbound/tariff');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'not-found', message: 'station unbound has no tariff bound' });
  });

  it('when no token is given, then 401', async () => {
    const res = await h.app.inject({ url: '/api/v1/tariffs' });
    expect(res.statusCode).toBe(401);
  });
});
