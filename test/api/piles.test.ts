import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aPile, NOW, startApi, type ApiHarness } from './api-harness.js';

describe('operator API: piles', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  const register = (body: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: '/api/v1/piles', headers: h.auth, payload: body });

  it('when a valid pile is registered, then 201 with its view and never a password or hash', async () => {
    const res = await register(aPile());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: 'PILE-0001',
      stationId: 'station-1',
      dialect: 'ocpp',
      connectors: [{ connectorId: 1, maxPowerW: 60_000 }],
      registeredAt: new Date(NOW).toISOString(),
      boot: null,
    });
    expect(res.body).not.toMatch(/password|scrypt/i);
  });

  it('when the id is registered already, then 409 conflict', async () => {
    await register(aPile());
    const res = await register(aPile({ stationId: 'station-2' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({ code: 'conflict', message: 'pile PILE-0001 is registered already' });
  });

  it('when a field has the wrong type, then 400 naming that field', async () => {
    const res = await register(aPile({ connectors: [{ connectorId: 1, maxPowerW: 'fast' }] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid-request',
      problems: ['body.connectors[0].maxPowerW must be integer'],
    });
  });

  it('when a field is missing, then 400 naming it', async () => {
    const { password: _omitted, ...body } = aPile();
    const res = await register(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual(['body.password is required']);
  });

  it('when the dialect is unknown, then 400 listing the allowed ones', async () => {
    const res = await register(aPile({ dialect: 'modbus' }));
    expect(res.json().error.problems).toEqual(['body.dialect must be one of ocpp, robinson']);
  });

  it("when the body breaks the registry's rules, then 400 with every problem", async () => {
    const res = await register(aPile({ password: 'short', connectors: [] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual([
      'password must be 16 to 40 characters (OCPP AuthorizationKey)',
      'connectors: at least one connector is needed',
    ]);
  });

  it('when the body is not JSON, then 400; when it is too large, then 413', async () => {
    const broken = await h.app.inject({
      method: 'POST',
      url: '/api/v1/piles',
      headers: { ...h.auth, 'content-type': 'application/json' },
      payload: '{"id":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('invalid-request');
    const huge = await register(aPile({ stationId: 'x'.repeat(10_000) }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload-too-large');
  });

  it('when piles are listed, then each says whether it is connected now', async () => {
    await register(aPile({ id: 'A' }));
    await register(aPile({ id: 'B' }));
    await h.connectPile('B', async () => ({ kind: 'answered', result: {} }));
    const res = await h.app.inject({ url: '/api/v1/piles', headers: h.auth });
    expect(res.statusCode).toBe(200);
    const online = Object.fromEntries(res.json().piles.map((p: { id: string; online: boolean }) => [p.id, p.online]));
    expect(online).toEqual({ A: false, B: true });
  });

  it('when one pile is asked for, then its view comes with connection status and offline history', async () => {
    await register(aPile());
    await h.stores.offlineLog.open('PILE-0001', NOW - 60_000, 'silence');
    await h.stores.offlineLog.close('PILE-0001', NOW - 30_000);
    await h.connectPile('PILE-0001', async () => ({ kind: 'answered', result: {} }));
    const res = await h.app.inject({ url: '/api/v1/piles/PILE-0001', headers: h.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toEqual({
      online: true,
      connectedAt: '2025-03-01T08:00:00.000Z',
      lastSeenAt: '2025-03-01T08:00:00.000Z',
      nodeId: 'node-a',
      offlineIntervals: [
        { startedAt: '2025-03-01T07:59:00.000Z', endedAt: '2025-03-01T07:59:30.000Z', cause: 'silence' },
      ],
    });
  });

  it('when an unknown pile is asked for, then 404', async () => {
    const res = await h.app.inject({ url: '/api/v1/piles/NOPE', headers: h.auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not-found');
  });

  it('when the password is changed, then 204, and a short one is refused with 400', async () => {
    await register(aPile());
    const change = (pileId: string, password: string) =>
      h.app.inject({ method: 'PUT', url: `/api/v1/piles/${pileId}/password`, headers: h.auth, payload: { password } });
    expect((await change('PILE-0001', 'another-long-password')).statusCode).toBe(204);
    expect((await change('PILE-0001', 'short')).statusCode).toBe(400);
    expect((await change('NOPE', 'another-long-password')).statusCode).toBe(404);
  });

  it('when a pile is deleted, then 204 and it is gone; deleting again is 404', async () => {
    await register(aPile());
    const del = () => h.app.inject({ method: 'DELETE', url: '/api/v1/piles/PILE-0001', headers: h.auth });
    expect((await del()).statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/v1/piles/PILE-0001', headers: h.auth })).statusCode).toBe(404);
    expect((await del()).statusCode).toBe(404);
  });
});
