import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './api-harness.js';

describe('operator API: idTags', () => {
  let h: ApiHarness;
  beforeEach(async () => {
    h = await startApi();
  });
  afterEach(() => h.close());

  const put = (idTag: string, body: Record<string, unknown>) =>
    h.app.inject({ method: 'PUT', url: `/api/v1/id-tags/${idTag}`, headers: h.auth, payload: body });
  const get = (idTag: string) => h.app.inject({ url: `/api/v1/id-tags/${idTag}`, headers: h.auth });

  it('when a tag is put, then it reads back with its expiry in UTC and omitted fields null', async () => {
    const res = await put('CARD1', { status: 'Accepted', expiresAt: '2026-01-01T00:00:00+08:00', label: 'bus 12' });
    expect(res.statusCode).toBe(200);
    const expected = {
      idTag: 'CARD1',
      status: 'Accepted',
      expiresAt: '2025-12-31T16:00:00.000Z',
      parentIdTag: null,
      label: 'bus 12',
    };
    expect(res.json()).toEqual(expected);
    expect((await get('CARD1')).json()).toEqual(expected);
  });

  it('when a tag is put again, then it is replaced', async () => {
    await put('CARD1', { status: 'Accepted', parentIdTag: 'FLEET' });
    await put('CARD1', { status: 'Blocked', expiresAt: null });
    expect((await get('CARD1')).json()).toMatchObject({ status: 'Blocked', expiresAt: null, parentIdTag: null });
  });

  it('when tags are listed, then every tag is there', async () => {
    await put('CARD1', { status: 'Accepted' });
    await put('CARD2', { status: 'Blocked' });
    const res = await h.app.inject({ url: '/api/v1/id-tags', headers: h.auth });
    expect(
      res
        .json()
        .idTags.map((t: { idTag: string }) => t.idTag)
        .sort(),
    ).toEqual(['CARD1', 'CARD2']);
  });

  it('when a tag is deleted, then 204 and then 404 for it', async () => {
    await put('CARD1', { status: 'Accepted' });
    const del = () => h.app.inject({ method: 'DELETE', url: '/api/v1/id-tags/CARD1', headers: h.auth });
    expect((await del()).statusCode).toBe(204);
    expect((await get('CARD1')).statusCode).toBe(404);
    expect((await del()).statusCode).toBe(404);
  });

  it('when the status or the expiry is malformed, then 400 naming the field', async () => {
    const status = await put('CARD1', { status: 'Maybe' });
    expect(status.statusCode).toBe(400);
    expect(status.json().error.problems).toEqual(['body.status must be one of Accepted, Blocked']);
    const expiry = await put('CARD1', { status: 'Accepted', expiresAt: 'next tuesday' });
    expect(expiry.json().error.problems).toEqual(['body.expiresAt must match format "date-time"']);
  });

  it('when the idTag is longer than OCPP allows, then 400 from the registry', async () => {
    const res = await put('X'.repeat(21), { status: 'Accepted' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual(['idTag must be 1 to 20 characters']);
  });
});
