import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandOutcome, CommandRequest } from '../../src/app/ports.js';
import { aPile, startApi, type ApiHarness } from './api-harness.js';

describe('operator API: remote commands', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
    await h.app.inject({ method: 'POST', url: '/api/v1/piles', headers: h.auth, payload: aPile() });
  });
  afterEach(() => h.close());

  const send = (body: Record<string, unknown>, pileId = 'PILE-0001') =>
    h.app.inject({ method: 'POST', url: `/api/v1/piles/${pileId}/commands`, headers: h.auth, payload: body });
  const reset = { action: 'Reset', payload: { type: 'Soft' } };
  const pileAnswers = (outcome: CommandOutcome) => h.connectPile('PILE-0001', async () => outcome);

  it('when the pile answers, then 200 with its result, and the pile got the request as sent', async () => {
    const seen: CommandRequest[] = [];
    await h.connectPile('PILE-0001', async (request) => {
      seen.push(request);
      return { kind: 'answered', result: { status: 'Accepted' } };
    });
    const res = await send({ ...reset, timeoutMs: 3_000 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ outcome: 'answered', result: { status: 'Accepted' } });
    expect(seen).toEqual([{ pileId: 'PILE-0001', action: 'Reset', payload: { type: 'Soft' }, timeoutMs: 3_000 }]);
  });

  it('when the pile is not connected, then 409 pile-offline', async () => {
    const res = await send(reset);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('pile-offline');
  });

  it('when the pile never answers, then 504 command-timeout', async () => {
    await h.connectPile('PILE-0001', () => new Promise(() => {}));
    const res = await send({ ...reset, timeoutMs: 5 });
    expect(res.statusCode).toBe(504);
    expect(res.json().error.code).toBe('command-timeout');
  });

  it('when the pile answers with a CALLERROR, then 502 carrying its code and description', async () => {
    await pileAnswers({ kind: 'error', code: 'NotSupported', description: 'no soft reset' });
    const res = await send(reset);
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({
      code: 'pile-error',
      ocppError: { code: 'NotSupported', description: 'no soft reset' },
    });
  });

  it('when the gateway finds the payload breaks the OCPP schema, then 400 naming the payload', async () => {
    await pileAnswers({ kind: 'invalid', description: 'type must be Hard or Soft' });
    const res = await send({ action: 'Reset', payload: { type: 'Medium' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual(['body.payload: type must be Hard or Soft']);
  });

  it('when the pile is not registered, then 404', async () => {
    const res = await send(reset, 'NOPE');
    expect(res.statusCode).toBe(404);
  });

  it('when the action or the timeout is not allowed, then 400 naming the field', async () => {
    const action = await send({ action: 'DeleteEverything', payload: {} });
    expect(action.statusCode).toBe(400);
    expect(action.json().error.problems[0]).toMatch(/^body\.action must be one of RemoteStartTransaction, /);
    const timeout = await send({ ...reset, timeoutMs: 0 });
    expect(timeout.json().error.problems).toEqual(['body.timeoutMs must be >= 1']);
    const payload = await send({ action: 'Reset', payload: 'Soft' });
    expect(payload.json().error.problems).toEqual(['body.payload must be object']);
  });
});
