// The gateway benchmark's load generator, run by run.ts as its own process pinned to the core
// the server does not use. Three phases, each bounded in time, chosen with --phases:
//   closed  K piles, one call in flight each: MeterValues msg/s, then Heartbeat msg/s
//   rss     the server's RSS per connected pile at each level (e.g. 10,000 and 19,000)
//   open    a fixed send schedule across all connected piles; latency from the scheduled time
// Each phase prints one JSON line `{"phase": ..., "result": ...}` on stdout as soon as it ends,
// so a run cut short still reports what it measured; progress goes to stderr.
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { call, callAsync, closePile, connectPiles, PILE_PASSWORD, type Pile, type PileFleet } from './pile-client.js';
import { percentile, settledRssKb, sleep, startCpuMeter } from './measure.js';
import type { ClosedLoopResult, ClosedResult, OpenResult, RssLevel, RssResult } from './report.js';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string' }, // ws://127.0.0.1:<port>/ocpp/ — the pile id is appended
    'server-pid': { type: 'string' },
    'db-pid': { type: 'string' }, // the database server's, to tell its CPU from other processes'
    password: { type: 'string', default: PILE_PASSWORD },
    piles: { type: 'string', default: '19000' },
    levels: { type: 'string', default: '10000,19000' },
    conns: { type: 'string', default: '256' },
    warmup: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    'open-rate': { type: 'string', default: '2000' },
    'open-duration': { type: 'string', default: '20' },
    settle: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '200' },
    phases: { type: 'string', default: 'closed,rss,open' },
  },
});
const phases = new Set(a.phases.split(','));
if (!a.url || !a['server-pid']) throw new Error('load: --url and --server-pid are required');
const serverPid = Number(a['server-pid']);
const dbPid = a['db-pid'] === undefined ? undefined : Number(a['db-pid']);
const pileCount = Number(a.piles);
const levels = a.levels
  .split(',')
  .map(Number)
  .filter((n) => n > 0 && n <= pileCount);
const fleet: PileFleet = { baseUrl: a.url, password: a.password, unexpectedCloses: 0 };
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
const report = (phase: string, result: unknown): void =>
  void process.stdout.write(`${JSON.stringify({ phase, result })}\n`);

// Payload clock: refreshed every 50 ms rather than per frame, since formatting a date per
// message would be a visible share of the generator's CPU.
const BENCH_START_MS = Date.now();
const clock = { ms: BENCH_START_MS, iso: new Date(BENCH_START_MS).toISOString() };
setInterval(() => {
  clock.ms = Date.now();
  clock.iso = new Date(clock.ms).toISOString();
}, 50).unref();

// Every pile's register advances as if charging at 50 kW from 1 MWh: monotonic and physically
// possible, so pilegate's register checks (DESIGN §1.5) see a normal session, not an anomaly.
const registerWh = (): number => 1_000_000 + Math.floor(((clock.ms - BENCH_START_MS) * 50_000) / 3_600_000);
const txIds = new Map<number, number>(); // pile index → transactionId from StartTransaction
// A pile that never started a transaction still sends an id: pilegate keeps those as orphans.
const txIdOf = (pile: Pile): number => txIds.get(pile.index) ?? 900_000_000 + pile.index;

const meterValues = (pile: Pile): string =>
  `{"connectorId":1,"transactionId":${txIdOf(pile)},"meterValue":[{"timestamp":"${clock.iso}",` +
  `"sampledValue":[{"value":"${registerWh()}","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}`;
const HEARTBEAT = '{}';
const ACTIONS = { MeterValues: meterValues, Heartbeat: () => HEARTBEAT } as const;
type Action = keyof typeof ACTIONS;

async function connect(from: number, to: number, budgetMs: number): Promise<Pile[]> {
  const started = Date.now();
  const concurrency = Number(a.concurrency);
  const deadline = started + budgetMs;
  const { piles, failed, lastError } = await connectPiles(fleet, { from, to, concurrency, retries: 3, deadline });
  log(
    `connected ${piles.length}/${to - from + 1} piles in ${Date.now() - started} ms` +
      (failed ? `, ${failed} failed (last: ${lastError})` : ''),
  );
  return piles;
}

async function drain(piles: readonly Pile[], budgetMs: number): Promise<number> {
  const deadline = Date.now() + budgetMs;
  while (piles.some((p) => p.onReply) && Date.now() < deadline) await sleep(20);
  return piles.filter((p) => p.onReply).length;
}

// Before a timed loop, the machine should be as quiet as it gets: after another server's loop
// MariaDB goes on flushing for a while, and on a shared host a neighbour may be busy. Waits for
// a second in which other processes use at most QUIET_PCT of a core, for up to QUIET_WAIT_MS.
const QUIET_PCT = 12;
const QUIET_WAIT_MS = 30_000;

async function waitForQuiet(): Promise<void> {
  const started = Date.now();
  for (;;) {
    const cpuSince = startCpuMeter(serverPid, dbPid);
    await sleep(1_000);
    const { otherPct } = cpuSince();
    if (otherPct <= QUIET_PCT) return;
    if (Date.now() - started >= QUIET_WAIT_MS) {
      log(`the machine is still busy (${otherPct}% of a core used by other processes); measuring anyway`);
      return;
    }
  }
}

async function closedLoop(piles: readonly Pile[], action: Action): Promise<ClosedLoopResult> {
  const payload = ACTIONS[action];
  let measuring = false;
  let stopping = false;
  let replies = 0;
  let errors = 0;
  const issue = (pile: Pile): void => {
    if (stopping || pile.closed) return;
    call(pile, action, payload(pile), (ok) => {
      if (!ok) errors += 1;
      else if (measuring) replies += 1;
      issue(pile);
    });
  };
  piles.forEach(issue);
  await sleep(Number(a.warmup) * 1000);
  const [t0, cpuSince] = [performance.now(), startCpuMeter(serverPid, dbPid)];
  measuring = true;
  await sleep(Number(a.duration) * 1000);
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSince();
  stopping = true;
  const stuck = await drain(piles, 5_000);
  const result = {
    msgPerS: Math.round(replies / seconds),
    errors,
    stuck,
    cpu,
  };
  log(`closed loop ${action}: ${JSON.stringify(result)}`);
  return result;
}

async function startTransaction(pile: Pile): Promise<void> {
  const payload = `{"connectorId":1,"idTag":"BENCH","meterStart":${registerWh()},"timestamp":"${clock.iso}"}`;
  const reply = await callAsync(pile, 'StartTransaction', payload);
  const [, , result] = JSON.parse(reply.toString()) as [3, string, { transactionId: number }];
  txIds.set(pile.index, result.transactionId);
}

async function closedPhase(): Promise<ClosedResult> {
  const conns = Math.min(Number(a.conns), pileCount);
  const piles = await connect(1, conns, 60_000);
  if (piles.length === 0) throw new Error('no pile could connect');
  const started = await Promise.allSettled(piles.map(startTransaction));
  const failed = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
  if (failed.length > 0) log(`${failed.length} StartTransaction calls failed, first: ${failed[0]}`);
  await waitForQuiet();
  const meterValuesResult = await closedLoop(piles, 'MeterValues');
  const result = {
    conns: piles.filter((p) => !p.closed).length,
    MeterValues: meterValuesResult,
    Heartbeat: await closedLoop(piles, 'Heartbeat'),
  };
  // The RSS phase counts piles from zero, so these sockets go before its baseline.
  piles.forEach(closePile);
  return result;
}

async function rssPhase(connected: Pile[]): Promise<RssResult> {
  const settleMs = Number(a.settle) * 1000;
  const baselineKb = await settledRssKb(serverPid, settleMs);
  log(`server RSS baseline ${baselineKb} KB`);
  const results: RssLevel[] = [];
  let from = 1;
  for (const level of levels) {
    connected.push(...(await connect(from, level, 120_000)));
    from = level + 1;
    const piles = connected.filter((p) => !p.closed).length;
    const rssKb = await settledRssKb(serverPid, settleMs);
    const kbPerPile = piles > 0 ? Math.round(((rssKb - baselineKb) / piles) * 10) / 10 : null;
    results.push({ level, piles, rssKb, kbPerPile });
    log(`level ${level}: ${piles} piles connected, RSS ${rssKb} KB, ${kbPerPile} KB/pile`);
  }
  return { baselineKb, levels: results };
}

// Random piles, but never one with a call in flight: a real pile sends one call at a time.
function pickIdle(piles: readonly Pile[]): Pile | undefined {
  const start = Math.floor(Math.random() * piles.length);
  for (let probe = 0; probe < 64; probe++) {
    const pile = piles[(start + probe) % piles.length];
    if (pile && !pile.onReply && !pile.closed) return pile;
  }
  return undefined;
}

async function openPhase(connected: readonly Pile[]): Promise<OpenResult> {
  const piles = connected.filter((p) => !p.closed);
  if (piles.length === 0) throw new Error('no pile is connected');
  await waitForQuiet();
  const rate = Number(a['open-rate']);
  const total = Math.round(rate * Number(a['open-duration']));
  const timeoutMs = 10_000;
  // Latency runs from the scheduled send time, not the actual one, so a stalled server (or a
  // stalled generator) shows up as latency instead of silently thinning the load.
  // NaN: never sent (no idle pile); Infinity: sent, no reply yet (or an error).
  const latencyMs = new Float64Array(total).fill(NaN);
  let [errors, noIdlePile, replied, sent] = [0, 0, 0, 0];
  const cpuSince = startCpuMeter(serverPid, dbPid);
  // The generator's own stalls (its GC with 19,000 sockets, say) would read as server latency:
  // its longest event-loop delay is reported beside the latencies.
  const ownDelay = monitorEventLoopDelay({ resolution: 10 });
  ownDelay.enable();
  const t0 = performance.now() + 50;
  const scheduledAt = (i: number): number => t0 + (i * 1000) / rate;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      for (; sent < total && scheduledAt(sent) <= now; sent++) {
        const i = sent;
        const pile = pickIdle(piles);
        if (!pile) {
          noIdlePile += 1;
          continue;
        }
        const action: Action = i % 2 === 0 ? 'MeterValues' : 'Heartbeat';
        latencyMs[i] = Infinity;
        call(pile, action, ACTIONS[action](pile), (ok) => {
          if (ok) latencyMs[i] = performance.now() - scheduledAt(i);
          else errors += 1;
          replied += 1;
        });
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const sendSeconds = (performance.now() - t0) / 1000;
  const deadline = Date.now() + timeoutMs;
  while (replied + noIdlePile < total && Date.now() < deadline) await sleep(20);
  const cpu = cpuSince();
  ownDelay.disable();
  const sortSent = (ms: Float64Array): Float64Array => ms.filter((x) => !Number.isNaN(x)).sort();
  const sorted = sortSent(latencyMs);
  const finite = (ms: number): number | null => (Number.isFinite(ms) ? Math.round(ms * 10) / 10 : null);
  // Per second of the schedule, to tell a steady tail from a stall (a GC pause, a slow commit).
  const p99BySecondMs = Array.from({ length: Math.ceil(total / rate) }, (_, second) =>
    finite(percentile(sortSent(latencyMs.slice(second * rate, (second + 1) * rate)), 99)),
  );
  const result = {
    piles: piles.length,
    rate,
    sent: total - noIdlePile,
    achievedRate: Math.round((total - noIdlePile) / sendSeconds),
    p50Ms: finite(percentile(sorted, 50)),
    p99Ms: finite(percentile(sorted, 99)),
    maxMs: finite(percentile(sorted, 100)),
    p99BySecondMs,
    generatorMaxDelayMs: Math.round(ownDelay.max / 1e6),
    errors,
    timeouts: total - noIdlePile - replied,
    noIdlePile,
    cpu,
  };
  log(`open loop: ${JSON.stringify(result)}`);
  return result;
}

async function runPhase<T>(name: string, phase: () => Promise<T>): Promise<void> {
  try {
    report(name, await phase());
  } catch (err) {
    log(`${name} phase failed: ${err instanceof Error ? err.stack : String(err)}`);
    report(name, { error: err instanceof Error ? err.message : String(err) });
  }
}

const connected: Pile[] = [];
if (phases.has('closed')) {
  await runPhase('closed', closedPhase);
  await sleep(1_000); // let the server see the closed-loop sockets go before an RSS baseline
}
if (phases.has('rss')) await runPhase('rss', () => rssPhase(connected));
if (phases.has('open')) await runPhase('open', () => openPhase(connected));
report('done', { unexpectedCloses: fleet.unexpectedCloses });
// Exiting drops every socket at once; no need to spend the run closing 19,000 of them politely.
process.exit(0);
