import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './api-harness.js';

// A self-signed certificate for localhost, made for this test only.
const cert = readFileSync(new URL('./fixtures/localhost-cert.pem', import.meta.url));
const key = readFileSync(new URL('./fixtures/localhost-key.pem', import.meta.url));

function getOverTls(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', servername: 'localhost', port, path, ca: cert }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('operator API over TLS', () => {
  let h: ApiHarness;
  afterEach(() => h.close());

  it('when a certificate is given, then the shared server speaks https', async () => {
    h = await startApi({ https: { cert, key } });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.app.server.address() as AddressInfo;
    expect(await getOverTls(port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
  });
});
