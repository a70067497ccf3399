import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './api-harness.js';

describe('operator API authentication', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  it('when no Authorization header is sent, then 401 with a Bearer challenge', async () => {
    const res = await h.app.inject({ url: '/api/v1/piles' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('Bearer') } });
  });

  it('when the token is wrong, then 401 naming invalid_token', async () => {
    const res = await h.app.inject({ url: '/api/v1/piles', headers: { authorization: 'Bearer not-a-token' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('when another scheme is used, then 401', async () => {
    const res = await h.app.inject({ url: '/api/v1/piles', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.statusCode).toBe(401);
  });

  it('when the request is unauthenticated, then it is refused before its body is validated', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/piles', payload: { nonsense: true } });
    expect(res.statusCode).toBe(401);
  });

  it('when the token is valid, then the scheme name is case-insensitive (RFC 7235)', async () => {
    const token = h.auth.authorization.slice('Bearer '.length);
    const res = await h.app.inject({ url: '/api/v1/piles', headers: { authorization: `bearer ${token}` } });
    expect(res.statusCode).toBe(200);
  });

  it('when probes and the OpenAPI document are asked for, then no token is needed', async () => {
    for (const url of ['/healthz', '/readyz', '/api/v1/openapi.json', '/api/v1/docs']) {
      expect((await h.app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it('when a request carries a token, then the log never shows it', async () => {
    h.app.get('/echo-headers', async (request) => {
      request.log.info({ headers: request.headers }, 'headers');
      return {};
    });
    await h.app.inject({ url: '/echo-headers', headers: h.auth });
    const token = h.auth.authorization.slice('Bearer '.length);
    const logged = h.logLines.join('');
    expect(logged).toContain('"authorization":"[redacted]"');
    expect(logged).not.toContain(token);
  });
});
