// `npm run bench:gateway`: the bare ocpp-rpc server, pilegate on SQLite and pilegate on MySQL,
// one after the other, each pinned to core 0 and loaded by load.ts pinned to core 1, then one
// table and the targets. Smoke run:
//   node dist/bench/gateway/run.js --targets bare --piles 500 --duration 3
// Every option also reads BENCH_<NAME> from the environment (BENCH_OPEN_RATE for --open-rate).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findPid } from './measure.js';
import { killAllChildren, runPinned, spawnPinned, stopPinned } from './processes.js';
import { renderReport, type TargetResult } from './report.js';
import { prepareTarget, TARGETS, type TargetName } from './targets.js';

const DEFAULTS = {
  targets: TARGETS.join(','),
  piles: '19000',
  levels: '10000,19000',
  conns: '256',
  warmup: '3',
  duration: '10', // seconds measured per action in the closed loop
  'open-rate': '2000',
  'open-duration': '20',
  settle: '5',
  port: String(20_000 + (process.pid % 1_000) * 4), // see portOf
  budget: '14', // minutes for the whole run, after which the watchdog ends it
};
type Option = keyof typeof DEFAULTS;
const { values: argv } = parseArgs({
  options: Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, { type: 'string' as const }])),
});
const opt = (name: Option): string =>
  argv[name] ?? process.env[`BENCH_${name.toUpperCase().replace('-', '_')}`] ?? DEFAULTS[name];
const num = (name: Option): number => {
  const n = Number(opt(name));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${opt(name)}`);
  return n;
};

const targets = opt('targets').split(',') as TargetName[];
const unknown = targets.filter((t) => !TARGETS.includes(t));
if (unknown.length) throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${TARGETS.join(', ')}`);
const piles = num('piles');
// RSS levels above --piles are dropped and --piles itself is always the last level, so a smoke
// run with 500 piles still measures something.
const requestedLevels = opt('levels').split(',').map(Number);
const levels = [...new Set([...requestedLevels.filter((l) => l > 0 && l < piles), piles])];
const distRoot = fileURLToPath(new URL('../../', import.meta.url));
const tmpDir = mkdtempSync(join(tmpdir(), 'pilegate-bench-'));
const results: TargetResult[] = [];

// A port per target and per run: each target leaves up to 19,000 client sockets in TIME_WAIT
// towards its port for a minute, and those must not use up the ephemeral range of the next.
const portOf = (target: TargetName): number => num('port') + TARGETS.indexOf(target);

// Upper bound of one load run: the time limits load.ts sets itself, phase by phase, plus slack.
const loadTimeoutS =
  60 + // connecting the closed-loop piles
  2 * (num('warmup') + num('duration') + 5) + // two closed loops and their drains
  (levels.length + 1) * (num('settle') + 3) + // RSS baseline and levels
  levels.length * 120 + // connecting each level
  (num('open-duration') + 10) + // open loop and its last replies
  30;

const flags = (values: Record<string, string>): string[] =>
  Object.entries(values).flatMap(([name, value]) => [`--${name}`, value]);
const forwarded = ['conns', 'warmup', 'duration', 'open-rate', 'open-duration', 'settle'] as const;

function recordPhase(result: TargetResult, line: string): void {
  if (!line.startsWith('{"phase"')) return;
  const { phase, result: measured } = JSON.parse(line) as { phase: string; result: { unexpectedCloses?: number } };
  if (phase === 'done') result.unexpectedCloses = measured.unexpectedCloses;
  else Object.assign(result, { [phase]: measured }); // closed, rss, open: shaped as report.ts says
}

async function benchTarget(target: TargetName): Promise<void> {
  const started = Date.now();
  const result: TargetResult = { target, seconds: 0 };
  results.push(result);
  process.stderr.write(`\n=== ${target} ===\n`);
  const port = portOf(target);
  const prepared = await prepareTarget(target, { distRoot, tmpDir, port, piles }).catch((err: unknown) => {
    result.error = `prepare: ${err instanceof Error ? err.message : String(err)}`;
    return undefined;
  });
  if (!prepared) return;
  const server = spawnPinned({ core: 0, args: prepared.args, env: prepared.env, label: target, echoLines: 40 });
  try {
    await server.waitForLine(/OCPP endpoint: ws:\/\//, 60_000);
    process.stderr.write(
      `[${target}] ready ${Math.round((Date.now() - started) / 1000)} s after the start of its setup\n`,
    );
    // MariaDB's CPU is part of pilegate-mysql's cost; on other targets it counts as interference.
    const dbPid = target === 'pilegate-mysql' ? findPid(['mariadbd', 'mysqld']) : undefined;
    const loadCode = await runPinned(
      {
        core: 1,
        label: `${target} load`,
        echoLines: 100,
        // Taken as they come, so that a run the watchdog ends still reports its finished phases.
        onStdoutLine: (line) => recordPhase(result, line),
        env: process.env,
        args: [
          join(distRoot, 'bench/gateway/load.js'),
          ...flags({
            url: `ws://127.0.0.1:${port}/ocpp/`,
            'server-pid': String(server.child.pid),
            ...(dbPid === undefined ? {} : { 'db-pid': String(dbPid) }),
            piles: String(piles),
            levels: levels.join(','),
            ...Object.fromEntries(forwarded.map((name) => [name, opt(name)])),
          }),
        ],
      },
      loadTimeoutS * 1000,
    );
    if (loadCode !== 0) result.error = `load generator exited with ${loadCode}`;
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null)
      result.error = `server exited (${exitCode ?? signalCode}) during the run`;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    await stopPinned(server);
    await prepared
      .cleanup()
      .catch((err: unknown) => process.stderr.write(`[${target}] cleanup failed: ${String(err)}\n`));
    result.seconds = (Date.now() - started) / 1000;
  }
}

function finish(): void {
  console.log(
    `\npilegate gateway benchmark: ${piles} piles, ${opt('conns')} closed-loop connections, ` +
      `${opt('duration')} s per action, open loop ${opt('open-rate')} msg/s for ${opt('open-duration')} s`,
  );
  console.log(renderReport(results, levels));
  const file = join(tmpdir(), `pilegate-bench-gateway-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const options = Object.fromEntries((Object.keys(DEFAULTS) as Option[]).map((k) => [k, opt(k)]));
  writeFileSync(file, JSON.stringify({ options: { ...options, levels }, results }, null, 2));
  console.log(`\nraw results: ${file}`);
  rmSync(tmpDir, { recursive: true, force: true });
}

const budgetMs = num('budget') * 60_000;
const watchdog = setTimeout(() => {
  process.stderr.write(`\nwatchdog: the run took more than ${opt('budget')} min, ending every child\n`);
  killAllChildren();
  for (const r of results) if (r.seconds === 0) r.error ??= 'ended by the watchdog';
  finish();
  process.exit(1);
}, budgetMs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllChildren();
    rmSync(tmpDir, { recursive: true, force: true });
    process.exit(130);
  });
}

const runStarted = Date.now();
for (const target of targets) await benchTarget(target);
clearTimeout(watchdog);
finish();
console.log(`whole run: ${Math.round((Date.now() - runStarted) / 1000)} s`);
