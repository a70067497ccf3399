import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOperatorBook } from '../../src/app/operator-book.js';
import { billingParamsJson } from '../../src/core/billing-overrides.js';
import { DEFAULT_BILLING_PARAMS } from '../../src/core/billing-params.js';
import { NOW, startApi, type ApiHarness } from './api-harness.js';

const DEFAULTS = billingParamsJson(DEFAULT_BILLING_PARAMS);
const UPDATED_AT = new Date(NOW).toISOString();

describe('operator API: operators and their billing thresholds', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  const put = (operatorId: string, body: unknown) =>
    h.app.inject({ method: 'PUT', url: `/api/v1/operators/${operatorId}`, headers: h.auth, payload: body as object });
  const get = (url: string) => h.app.inject({ url: `/api/v1${url}`, headers: h.auth });

  it('when a new operator is put, then 201 with what it set and every threshold in force', async () => {
    const res = await put('bus-fleet', {
      name: '  Bus Fleet Co.  ',
      billingParams: { maxSessionWh: '600000', powerMargin: '0.05', billGraceOnlineMs: 120_000 },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      operatorId: 'bus-fleet',
      name: 'Bus Fleet Co.',
      billingParams: { maxSessionWh: '600000', powerMargin: '0.05', billGraceOnlineMs: 120_000 },
      effectiveBillingParams: { ...DEFAULTS, maxSessionWh: '600000', powerMargin: '0.05', billGraceOnlineMs: 120_000 },
      updatedAt: UPDATED_AT,
    });
    // The defaults as an operator reads them: decimals as canonical text, durations in ms.
    expect(body.effectiveBillingParams).toMatchObject({
      slackWh: '200',
      minEnergyWh: '100',
      amountToleranceRatio: '0.005',
      maxSessionMs: 86_400_000,
      epochMinMs: Date.UTC(2018, 0, 1),
      energyPrecedence: ['device-registers', 'platform-registers', 'device-total', 'estimate'],
    });
  });

  it('when an operator sets no thresholds, then billingParams is empty and the defaults are in force', async () => {
    const res = await put('plain', { name: 'Plain' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ billingParams: {}, effectiveBillingParams: DEFAULTS });
    expect(res.json().effectiveBillingParams.powerMargin).toBe('0.1');
  });

  it('when an operator is put again, then 200 and it is replaced: thresholds left out revert to the defaults', async () => {
    await put('op-1', { name: 'First', billingParams: { maxSessionWh: '600000', energyPrecedence: ['estimate'] } });
    const res = await put('op-1', { name: 'Renamed', billingParams: { slackWh: '500' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      operatorId: 'op-1',
      name: 'Renamed',
      billingParams: { slackWh: '500' },
      effectiveBillingParams: { ...DEFAULTS, slackWh: '500' },
    });
    const stored = await get('/operators/op-1');
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual(res.json());
    expect(stored.json().effectiveBillingParams.maxSessionWh).toBe('200000');
    expect(stored.json().effectiveBillingParams.energyPrecedence).toEqual(DEFAULTS.energyPrecedence);
  });

  it('when an operator is read back, then it is as it was put, thresholds and all', async () => {
    const put1 = await put('op.A_1', {
      name: 'A',
      billingParams: { epochMinMs: Date.UTC(2022, 0, 1), energyPrecedence: ['platform-registers', 'estimate'] },
    });
    const res = await get('/operators/op.A_1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(put1.json());
    expect(res.json()).toMatchObject({
      operatorId: 'op.A_1',
      billingParams: { epochMinMs: Date.UTC(2022, 0, 1), energyPrecedence: ['platform-registers', 'estimate'] },
      effectiveBillingParams: {
        epochMinMs: Date.UTC(2022, 0, 1),
        energyPrecedence: ['platform-registers', 'estimate'],
      },
      updatedAt: UPDATED_AT,
    });
  });

  it('when operators are listed, then every one comes back, sorted by id', async () => {
    expect((await get('/operators')).json()).toEqual({ operators: [] });
    await put('charlie', { name: 'C' });
    await put('alpha', { name: 'A', billingParams: { minEnergyWh: '50' } });
    await put('bravo', { name: 'B' });
    const res = await get('/operators');
    expect(res.statusCode).toBe(200);
    const { operators } = res.json();
    expect(operators.map((o: { operatorId: string }) => o.operatorId)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(operators[0]).toMatchObject({ name: 'A', billingParams: { minEnergyWh: '50' } });
    expect(operators[0].effectiveBillingParams.minEnergyWh).toBe('50');
    expect(operators[1]).toMatchObject({ name: 'B', billingParams: {}, effectiveBillingParams: DEFAULTS });
  });

  it('when an unknown operator is asked for, then 404 not-found', async () => {
    const res = await get('/operators/nobody');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'not-found', message: 'operator nobody does not exist' });
  });

  it('when thresholds break the rules, then 400 with one problem naming each bad field, and nothing is stored', async () => {
    const res = await put('op-1', {
      name: 'Op',
      billingParams: { powerMargin: '1.5', maxSessionWh: '0', maxSessionMs: 0, energyPrecedence: [], colour: 'blue' },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error).toMatchObject({ code: 'invalid-request', message: 'the request breaks a rule' });
    expect(error.problems).toHaveLength(5);
    expect(error.problems[0]).toBe('powerMargin must be a ratio from "0" to "1" as text, such as "0.02"');
    expect(error.problems[1]).toBe('maxSessionWh must be more than 0 Wh');
    expect(error.problems[2]).toMatch(/^maxSessionMs must be whole ms from 1 to /);
    expect(error.problems[3]).toMatch(/^energyPrecedence must list energy sources/);
    expect(error.problems[4]).toMatch(/^colour is not a billing threshold/);
    expect((await get('/operators/op-1')).statusCode).toBe(404);
  });

  it('when a valid operator is re-put with bad thresholds, then 400 and the stored one is unchanged', async () => {
    const first = await put('op-1', { name: 'Op', billingParams: { slackWh: '300' } });
    const res = await put('op-1', { name: 'Op 2', billingParams: { slackWh: '-1' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual([
      'slackWh must be Wh as decimal text of at most 3 decimals, such as "200"',
    ]);
    expect((await get('/operators/op-1')).json()).toEqual(first.json());
  });

  it('when the body has a field an operator does not have, then 400 naming it', async () => {
    const res = await put('op-1', { name: 'Op', colour: 'blue' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'invalid-request',
      message: 'the request breaks a rule',
      problems: ['colour is not a field of an operator'],
    });
  });

  it('when the name is missing, blank or too long, then 400 naming the name', async () => {
    const missing = await put('op-1', { billingParams: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.problems).toEqual(['body.name is required']);
    const blank = await put('op-1', { name: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.problems).toEqual(['name must be 1 to 255 characters']);
    const long = await put('op-1', { name: 'x'.repeat(256) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.problems).toEqual(['name must be 1 to 255 characters']);
    expect((await put('op-1', { name: 'x'.repeat(255) })).statusCode).toBe(201);
  });

  it('when the thresholds are not an object, then 400 from the schema', async () => {
    const res = await put('op-1', { name: 'Op', billingParams: ['powerMargin'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid-request',
      problems: ['body.billingParams must be object'],
    });
  });

  it('when the operator id is not URL-safe or too long, then 400 naming the id', async () => {
    const spaced = await put('bad%20id', { name: 'Op' });
    expect(spaced.statusCode).toBe(400);
    expect(spaced.json().error).toEqual({
      code: 'invalid-request',
      message: 'the request breaks a rule',
      problems: ['operatorId must be 1 to 64 characters of A-Z a-z 0-9 . _ -'],
    });
    expect((await put('x'.repeat(65), { name: 'Op' })).statusCode).toBe(400);
    expect((await put('x'.repeat(64), { name: 'Op' })).statusCode).toBe(201);
    expect((await get('/operators')).json().operators).toHaveLength(1);
  });

  it('when the operator id and the thresholds are both wrong, then both problems come back at once', async () => {
    const res = await put('bad%20id', { name: 'Op', billingParams: { futureMs: -1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual([
      'operatorId must be 1 to 64 characters of A-Z a-z 0-9 . _ -',
      expect.stringMatching(/^futureMs must be whole ms from 0 to /),
    ]);
  });

  it('when the stored thresholds were altered behind the API, then reading the operator is a 500 that tells nothing', async () => {
    await h.stores.operators.put({ id: 'op-1', name: 'Op', billingOverrides: { powerMargin: '7' }, updatedAt: NOW });
    const res = await get('/operators/op-1');
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toEqual({ code: 'internal', message: 'internal error' });
  });

  it('when no bearer token is given, then every operator route is 401', async () => {
    const routes = [
      { method: 'PUT', url: '/api/v1/operators/op-1', payload: { name: 'Op' } },
      { method: 'GET', url: '/api/v1/operators/op-1' },
      { method: 'GET', url: '/api/v1/operators' },
      { method: 'PUT', url: '/api/v1/stations/S1/operator', payload: { operatorId: 'op-1' } },
      { method: 'GET', url: '/api/v1/stations/S1/operator' },
    ] as const;
    for (const route of routes) {
      const res = await h.app.inject(route);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const wrong = await h.app.inject({ url: '/api/v1/operators', headers: { authorization: 'Bearer not-a-token' } });
    expect(wrong.statusCode).toBe(401);
    expect((await get('/operators/op-1')).statusCode).toBe(404);
  });
});

describe('operator API: the operator of a station', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  const put = (operatorId: string, body: unknown) =>
    h.app.inject({ method: 'PUT', url: `/api/v1/operators/${operatorId}`, headers: h.auth, payload: body as object });
  const bind = (stationId: string, body: unknown) =>
    h.app.inject({
      method: 'PUT',
      url: `/api/v1/stations/${stationId}/operator`,
      headers: h.auth,
      payload: body as object,
    });
  const get = (url: string) => h.app.inject({ url: `/api/v1${url}`, headers: h.auth });

  it('when a station is bound to an unknown operator, then 404 and the station stays unbound', async () => {
    const res = await bind('S1', { operatorId: 'nobody' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'not-found', message: 'operator nobody does not exist' });
    expect((await get('/stations/S1/operator')).statusCode).toBe(404);
  });

  it('when a station is bound to a known operator, then 200 with the binding, and it reads back', async () => {
    await put('op-1', { name: 'Op 1' });
    const res = await bind('S1', { operatorId: 'op-1' });
    expect(res.statusCode).toBe(200);
    const binding = { stationId: 'S1', operatorId: 'op-1', boundAt: UPDATED_AT };
    expect(res.json()).toEqual(binding);
    const read = await get('/stations/S1/operator');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(binding);
  });

  it('when a station is bound to another operator, then the new binding replaces the old', async () => {
    await put('op-1', { name: 'Op 1' });
    await put('op-2', { name: 'Op 2' });
    expect((await bind('S1', { operatorId: 'op-1' })).statusCode).toBe(200);
    const res = await bind('S1', { operatorId: 'op-2' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stationId: 'S1', operatorId: 'op-2' });
    expect((await get('/stations/S1/operator')).json()).toEqual({
      stationId: 'S1',
      operatorId: 'op-2',
      boundAt: UPDATED_AT,
    });
  });

  it('when stations are bound, then each keeps its own operator', async () => {
    await put('op-1', { name: 'Op 1' });
    await put('op-2', { name: 'Op 2' });
    await bind('S1', { operatorId: 'op-1' });
    await bind('S2', { operatorId: 'op-2' });
    expect((await get('/stations/S1/operator')).json().operatorId).toBe('op-1');
    expect((await get('/stations/S2/operator')).json().operatorId).toBe('op-2');
  });

  it('when a station is bound, then billing uses its operator’s thresholds; an unbound one the defaults', async () => {
    await put('bus-fleet', { name: 'Buses', billingParams: { maxSessionWh: '600000' } });
    await bind('depot', { operatorId: 'bus-fleet' });
    const book = createOperatorBook({ operators: h.stores.operators, clock: { now: () => NOW } });
    expect(billingParamsJson(await book.billingParamsOf('depot'))).toEqual({ ...DEFAULTS, maxSessionWh: '600000' });
    expect(await book.billingParamsOf('elsewhere')).toBe(DEFAULT_BILLING_PARAMS);
  });

  it('when the station has no operator, then 404 not-found', async () => {
    const res = await get('/stations/unbound/operator');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'not-found', message: 'station unbound is bound to no operator' });
  });

  it('when the body has no operator id or an empty one, then 400', async () => {
    const missing = await bind('S1', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.problems).toEqual(['body.operatorId is required']);
    const empty = await bind('S1', { operatorId: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.problems).toEqual(['operatorId must be an operator id']);
  });

  it('when the station id is blank or longer than 64 characters, then 400 naming the station id', async () => {
    await put('op-1', { name: 'Op 1' });
    const blank = await bind('%20', { operatorId: 'op-1' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.problems).toEqual(['stationId must be 1 to 64 characters']);
    expect((await bind('s'.repeat(65), { operatorId: 'op-1' })).statusCode).toBe(400);
    expect((await bind('s'.repeat(64), { operatorId: 'op-1' })).statusCode).toBe(200);
  });
});
