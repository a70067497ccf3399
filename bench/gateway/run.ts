// `npm run bench:gateway`: the bare ocpp-rpc server, pilegate on SQLite and pilegate on MySQL,
// all pinned to core 0 and loaded one at a time by load.ts pinned to core 1 (closed loops in
// rounds, then RSS and the open loop), then one table and the targets. Smoke run:
//   node dist/bench/gateway/run.js --targets bare --piles 500 --duration 3 --rounds 1
// Every option also reads BENCH_<NAME> from the environment (BENCH_OPEN_RATE for --open-rate).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findPid, sleep } from './measure.js';
import { killAllChildren, runPinned, spawnPinned, stopPinned, type Pinned } from './processes.js';
import { renderReport, type ClosedResult, type Failed, type TargetResult } from './report.js';
import { prepareTarget, TARGETS, type PreparedTarget, type TargetName } from './targets.js';

type Done = { readonly unexpectedCloses: number };

const DEFAULTS = {
  targets: TARGETS.join(','),
  piles: '19000',
  levels: '10000,19000',
  conns: '256',
  warmup: '3',
  duration: '10', // seconds measured per action in the closed loop
  rounds: '3', // closed loops per server, taken in turns; the table shows medians
  'open-rate': '2000',
  'open-duration': '20',
  settle: '5',
  port: String(20_000 + (process.pid % 1_000) * 4), // see portOf
  budget: '25', // minutes for the whole run, after which the watchdog ends it
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

const flags = (values: Record<string, string>): string[] =>
  Object.entries(values).flatMap(([name, value]) => [`--${name}`, value]);
const forwarded = ['conns', 'warmup', 'duration', 'open-rate', 'open-duration', 'settle'] as const;

// Upper bounds of one load run: the time limits load.ts sets itself, phase by phase, plus slack.
const closedTimeoutS =
  60 + // connecting the closed-loop piles
  2 * (num('warmup') + num('duration') + 5) + // two closed loops and their drains
  30;
const rssOpenTimeoutS =
  (levels.length + 1) * (num('settle') + 3) + // RSS baseline and levels
  levels.length * 120 + // connecting each level
  (num('open-duration') + 10) + // open loop and its last replies
  30;

interface Running {
  readonly target: TargetName;
  readonly result: TargetResult;
  readonly started: number;
  readonly server: Pinned;
  readonly prepared: PreparedTarget;
  readonly dbPid: number | undefined;
}

function recordPhase(result: TargetResult, line: string): void {
  if (!line.startsWith('{"phase"')) return;
  const { phase, result: measured } = JSON.parse(line) as { phase: string; result: unknown };
  if (phase === 'done') result.unexpectedCloses = (result.unexpectedCloses ?? 0) + (measured as Done).unexpectedCloses;
  else if (phase === 'closed') (result.closedRounds ??= []).push(measured as ClosedResult | Failed);
  else Object.assign(result, { [phase]: measured }); // rss, open: shaped as report.ts says
}

async function startTarget(target: TargetName): Promise<Running | undefined> {
  const started = Date.now();
  const result: TargetResult = { target, seconds: 0 };
  results.push(result);
  process.stderr.write(`\n=== ${target} ===\n`);
  const prepared = await prepareTarget(target, { distRoot, tmpDir, port: portOf(target), piles }).catch(
    (err: unknown) => {
      result.error = `prepare: ${err instanceof Error ? err.message : String(err)}`;
      return undefined;
    },
  );
  if (!prepared) return undefined;
  const server = spawnPinned({ core: 0, args: prepared.args, env: prepared.env, label: target, echoLines: 40 });
  try {
    await server.waitForLine(/OCPP endpoint: ws:\/\//, 60_000);
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    await stopPinned(server);
    await prepared.cleanup();
    return undefined;
  }
  process.stderr.write(
    `[${target}] ready ${Math.round((Date.now() - started) / 1000)} s after the start of its setup\n`,
  );
  // MariaDB's CPU is part of pilegate-mysql's cost; on other targets it counts as interference.
  const dbPid = target === 'pilegate-mysql' ? findPid(['mariadbd', 'mysqld']) : undefined;
  return { target, result, started, server, prepared, dbPid };
}

/** One run of load.ts against a running target, its results recorded as they come. */
async function runLoad(t: Running, phases: string, timeoutS: number): Promise<void> {
  const { exitCode, signalCode } = t.server.child;
  if (exitCode !== null || signalCode !== null) {
    t.result.error ??= `server exited (${exitCode ?? signalCode}) during the run`;
    return;
  }
  const code = await runPinned(
    {
      core: 1,
      label: `${t.target} ${phases}`,
      echoLines: 100,
      // Taken as they come, so that a run the watchdog ends still reports its finished phases.
      onStdoutLine: (line) => recordPhase(t.result, line),
      env: process.env,
      args: [
        join(distRoot, 'bench/gateway/load.js'),
        ...flags({
          url: `ws://127.0.0.1:${portOf(t.target)}/ocpp/`,
          'server-pid': String(t.server.child.pid),
          ...(t.dbPid === undefined ? {} : { 'db-pid': String(t.dbPid) }),
          piles: String(piles),
          levels: levels.join(','),
          phases,
          ...Object.fromEntries(forwarded.map((name) => [name, opt(name)])),
        }),
      ],
    },
    timeoutS * 1000,
  );
  if (code !== 0) t.result.error ??= `load generator (${phases}) exited with ${code}`;
}

async function stopTarget(t: Running): Promise<void> {
  const { exitCode, signalCode } = t.server.child;
  if (exitCode !== null || signalCode !== null) t.result.error ??= `server exited (${exitCode ?? signalCode})`;
  await stopPinned(t.server);
  await t.prepared
    .cleanup()
    .catch((err: unknown) => process.stderr.write(`[${t.target}] cleanup failed: ${String(err)}\n`));
  t.result.seconds = (Date.now() - t.started) / 1000;
}

function finish(): void {
  console.log(
    `\npilegate gateway benchmark: ${piles} piles, ${opt('conns')} closed-loop connections, ` +
      `${opt('duration')} s per action × ${opt('rounds')} rounds (medians), open loop ${opt('open-rate')} msg/s for ${opt('open-duration')} s`,
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

// Every server runs for the whole run, idle but for the load on one of them at a time. The
// closed loops go round the servers `--rounds` times, so that each server's figure is a median
// and each ratio to bare compares loops a minute apart, not a whole run apart: on this machine
// the same loop on the same server moved by a third from one minute to the next.
const runStarted = Date.now();
const running: Running[] = [];
for (const target of targets) {
  const t = await startTarget(target);
  if (t) running.push(t);
}
for (let round = 1; round <= num('rounds'); round++) {
  for (const t of running) {
    process.stderr.write(`\n=== ${t.target}: closed loops, round ${round} of ${opt('rounds')} ===\n`);
    await runLoad(t, 'closed', closedTimeoutS);
    // The server records the closed-loop piles' disconnects, and MariaDB flushes what it took
    // in: not during the next server's loop.
    await sleep(num('settle') * 1000);
  }
}
for (const t of running) {
  process.stderr.write(`\n=== ${t.target}: RSS and open loop ===\n`);
  await runLoad(t, 'rss,open', rssOpenTimeoutS);
  await stopTarget(t);
}
clearTimeout(watchdog);
finish();
console.log(`whole run: ${Math.round((Date.now() - runStarted) / 1000)} s`);
