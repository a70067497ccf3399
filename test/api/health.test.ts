import { afterEach, describe, expect, it } from 'vitest';
import { PROBE_TIMEOUT_MS } from '../../src/api/health-routes.js';
import type { HealthProbe } from '../../src/app/ports.js';
import { startApi, type ApiHarness } from './api-harness.js';

const up = (name: string): HealthProbe => ({ name, check: async () => ({ ok: true }) });

describe('operator API: health and unexpected failures', () => {
  let h: ApiHarness;
  afterEach(() => h.close());

  it('when the process runs, then /healthz is 200 ok', async () => {
    h = await startApi();
    const res = await h.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('when every probe is ok, then /readyz is 200 and lists them', async () => {
    h = await startApi({ health: [up('database'), up('redis')] });
    const res = await h.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      probes: [
        { name: 'database', ok: true, detail: null },
        { name: 'redis', ok: true, detail: null },
      ],
    });
  });

  it('when a probe fails, then /readyz is 503 with its detail', async () => {
    h = await startApi({
      health: [up('database'), { name: 'redis', check: async () => ({ ok: false, detail: 'connection refused' }) }],
    });
    const res = await h.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().status).toBe('not-ready');
    expect(res.json().probes[1]).toEqual({ name: 'redis', ok: false, detail: 'connection refused' });
  });

  it('when a probe throws or hangs, then /readyz is 503 without the error text', async () => {
    const throws: HealthProbe = { name: 'database', check: async () => Promise.reject(new Error('secret-host:3306')) };
    const hangs: HealthProbe = { name: 'redis', check: () => new Promise(() => {}) };
    h = await startApi({ health: [throws, hangs] });
    const res = await h.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('secret-host');
    const hung = { name: 'redis', ok: false, detail: `no answer within ${PROBE_TIMEOUT_MS} ms` };
    expect(res.json().probes[1]).toEqual(hung);
  });

  it('when the database is gone, then 500 internal without a stack, and the error is logged', async () => {
    h = await startApi();
    await h.loseDatabase();
    const res = await h.app.inject({ url: '/api/v1/piles', headers: h.auth });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
    const errors = h.logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 50);
    expect(errors.map((l) => l.msg)).toEqual(['unexpected error in the operator API']);
  });

  it('when no route matches, then 404 in the same error shape', async () => {
    h = await startApi();
    const res = await h.app.inject({ url: '/api/v1/nothing-here?x=1', headers: h.auth });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not-found', message: 'no route GET /api/v1/nothing-here' } });
  });
});
