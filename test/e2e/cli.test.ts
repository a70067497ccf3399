// The command line as an operator uses it: register a pile, start the gateway, connect, stop.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPile, PILE_PASSWORD } from '../support/gateway-harness.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'pilegate-cli-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  SQLITE_PATH: join(dir, 'pilegate.sqlite'),
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  PILE_PASSWORD_COST: '10',
};
delete env.MYSQL_URL;
delete env.REDIS_URL;
delete env.ADMIN_TOKEN;

const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
  });

/** Like `cli`, without blocking this process (which may be hosting a pile the command talks to). */
function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  return new Promise((done) => child.once('exit', (status) => done({ status, stdout })));
}

/** Starts the gateway and resolves with what it printed once it is listening. */
function start(): Promise<{ output: string; port: number; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start'], {
    cwd: root,
    env: { ...env, PORT: '0', HOST: '127.0.0.1' },
  });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const port = /OCPP endpoint: ws:\/\/127\.0\.0\.1:(\d+)\/ocpp\/\{pileId\}/.exec(output)?.[1];
      if (port !== undefined && output.includes('Log in with')) {
        resolvePromise({
          output,
          port: Number(port),
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

describe('pilegate command line', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the configuration is wrong, then start refuses with the variable named and exit code 2', () => {
    const result = cli(['start'], { PORT: 'eighty', REDIS_URL: 'http://x' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT:');
    expect(result.stderr).toContain('REDIS_URL: must start with redis://');
  });

  it('when piles are added and imported, then they are listed; bad lines are reported with their number', () => {
    const added = cli([
      'pile',
      'add',
      '--id',
      'CLI-1',
      '--password',
      PILE_PASSWORD,
      '--station',
      'S1',
      '--connector',
      '1:60000',
    ]);
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('registered pile CLI-1');
    const file = join(dir, 'piles.jsonl');
    const line = (id: string, password = PILE_PASSWORD) =>
      JSON.stringify({
        id,
        password,
        stationId: 'S2',
        dialect: 'robinson',
        connectors: [{ connectorId: 1, maxPowerW: 7000 }],
      });
    writeFileSync(file, [line('CLI-2'), line('CLI-1'), line('CLI-3', 'short')].join('\n'));
    const imported = cli(['pile', 'import', file]);
    expect(imported.status).toBe(1);
    expect(JSON.parse(imported.stdout)).toEqual({ registered: 1, existing: 1, invalid: 1 });
    expect(imported.stderr).toContain('line 3: password must be 16 to 40 characters');
    expect(cli(['pile', 'list']).stdout.split('\n').filter(Boolean)).toEqual([
      'CLI-1\tS1\tocpp',
      'CLI-2\tS2\trobinson',
    ]);
    expect(
      cli(['pile', 'add', '--id', 'CLI-4', '--password', PILE_PASSWORD, '--station', 'S1', '--connector', 'lots'])
        .stderr,
    ).toContain('--connector must look like 1:120000');
  });

  it('when started, then it prints the URLs and a one-time admin token, serves piles, and stops on SIGTERM', async () => {
    const first = await start();
    expect(first.output).toContain('Operator API:  http://127.0.0.1:');
    const token = /Authorization: Bearer (\S+)\n/.exec(first.output)?.[1];
    expect(token).toBeDefined();
    const pile = await connectPile({ ocppUrl: `ws://127.0.0.1:${first.port}/ocpp` }, 'CLI-1');
    expect(await pile.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).toMatchObject({
      status: 'Accepted',
    });
    pile.handle('Reset', async () => ({ status: 'Accepted' }));
    const api = `http://127.0.0.1:${first.port}/api/v1`;
    const reset = await cliAsync(['command', 'CLI-1', 'Reset', '{"type":"Soft"}', '--api', api, '--token', token!]);
    expect(reset).toEqual({ status: 0, stdout: '200 {"outcome":"answered","result":{"status":"Accepted"}}\n' });
    await pile.close();
    const offline = await cliAsync(['command', 'CLI-1', 'Reset', '{"type":"Soft"}', '--api', api, '--token', token!]);
    expect(offline.status).toBe(1);
    expect(offline.stdout).toContain('409');
    const piles = await fetch(`http://127.0.0.1:${first.port}/api/v1/piles`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(piles.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = await start();
    expect(second.output).toContain('the admin token shown at first start');
    expect(second.output).not.toContain(token!);
    expect(await second.stop()).toBe(0);
  });
});
