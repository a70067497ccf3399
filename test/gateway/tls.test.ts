// OCPP security profile 2: with a certificate configured, piles connect over wss:// and still
// authenticate with Basic auth.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createScryptHasher } from '../../src/app/passwords.js';
import { forEachDialect } from '../support/dialects.js';
import { connectPile, PILE_PASSWORD, startTestGateway, type TestGateway } from '../support/gateway-harness.js';

const fixtures = resolve(import.meta.dirname, '../api/fixtures');
const ca = readFileSync(resolve(fixtures, 'localhost-cert.pem'));

forEachDialect('gateway: TLS', (ctx) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      stores: ctx.stores(),
      env: {
        TLS_CERT_FILE: resolve(fixtures, 'localhost-cert.pem'),
        TLS_KEY_FILE: resolve(fixtures, 'localhost-key.pem'),
      },
    });
    await ctx.stores().piles.create({
      id: 'TLS-1',
      stationId: 'S1',
      dialect: 'ocpp',
      connectors: [{ connectorId: 1, maxPowerW: 7000 }],
      passwordHash: await createScryptHasher(10).hash(PILE_PASSWORD),
      registeredAt: 0,
    });
  });
  afterAll(() => gw.close());

  it('when a certificate is configured, then piles connect over wss and are still authenticated', async () => {
    expect(gw.ocppUrl.startsWith('wss://')).toBe(true);
    const pile = await connectPile({ ocppUrl: gw.ocppUrl.replace('127.0.0.1', 'localhost') }, 'TLS-1', { ca });
    expect(await pile.call('Heartbeat', {})).toHaveProperty('currentTime');
    await pile.close();
    await expect(
      connectPile({ ocppUrl: gw.ocppUrl.replace('127.0.0.1', 'localhost') }, 'TLS-1', {
        ca,
        password: 'not-the-password-00',
      }),
    ).rejects.toThrow();
    await expect(connectPile({ ocppUrl: gw.ocppUrl.replace('wss://', 'ws://') }, 'TLS-1')).rejects.toThrow();
  });
});
