// `npm run bench:billing`: rating plus anomaly detection of sessions of 200 samples that cross
// 3 tariff boundaries, on one core (the process pins itself with taskset when it can). Each
// round rebuilds every session from its events (fold, register timeline, energy, times), then
// splits, prices and checks it, exactly what the billing use case does per session. Prints the
// sessions per second of every round, their median, and the memory the work used.
//   node dist/bench/billing/run.js --sessions 20000 --rounds 5
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { ChargeEvent } from '../../src/core/charge-events.js';
import { billSession } from '../../src/core/bill.js';
import { DEFAULT_BILLING_PARAMS } from '../../src/core/billing-params.js';
import { sessionFactsOf } from '../../src/core/pile-sessions.js';
import { benchSession, benchTariff, SAMPLES_PER_SESSION } from './sessions.js';

const TARGET_PER_S = 20_000;
const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
  },
});
const count = Number(values.sessions);
const rounds = Number(values.rounds);
if (!(count > 0 && rounds > 0)) throw new Error('--sessions and --rounds must be positive numbers');

try {
  execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
} catch {
  process.stderr.write('taskset not available: running unpinned\n');
}

const tariff = benchTariff();
const connectors = [{ connectorId: 1, maxPowerW: 60_000 }];

type Facts = ReturnType<typeof sessionFactsOf>['facts'];

// Sessions are made, rebuilt and billed a pile's worth at a time, as the billing use case loads
// a pile's journal, tracks and bills it: each chunk's events are generated (not timed, as
// loading is not), tracked, then billed, the two phases timed apart. Holding every session's
// events and facts at once would be gigabytes the garbage collector walks again and again,
// charged to whichever phase it interrupts.
const CHUNK = 50;
const chunkOf = (from: number): ChargeEvent[][] =>
  Array.from({ length: Math.min(CHUNK, count - from) }, (_, i) => benchSession(from + i, Number(values.seed)));

/** Session tracking: fold, register timeline, energy, times. */
function track(chunk: readonly ChargeEvent[][]): Facts[] {
  return chunk.map((events) => {
    const nowMs = events.at(-1)!.atMs + 60_000;
    return sessionFactsOf({ events, offline: [], connectors, nowMs }, DEFAULT_BILLING_PARAMS).facts;
  });
}

interface Round {
  trackS: number;
  billS: number;
  totalFen: bigint;
  codes: Map<string, number>;
}

/** Rating plus anomaly detection of tracked sessions, added to `round`. */
function bill(tracked: readonly Facts[], round: Round): void {
  for (const facts of tracked) {
    for (const f of facts) {
      const billed = billSession(f, tariff, DEFAULT_BILLING_PARAMS, 'bench-pile');
      if (!billed.ok) throw new Error(billed.detail);
      round.totalFen += BigInt(billed.bill.totalFen.toFixed(0));
      const key = billed.bill.codes.join(',') || 'none';
      round.codes.set(key, (round.codes.get(key) ?? 0) + 1);
    }
  }
}

function runRound(): Round {
  const round: Round = { trackS: 0, billS: 0, totalFen: 0n, codes: new Map() };
  for (let i = 0; i < count; i += CHUNK) {
    const chunk = chunkOf(i);
    const t0 = process.hrtime.bigint();
    const tracked = track(chunk);
    const t1 = process.hrtime.bigint();
    bill(tracked, round);
    round.trackS += Number(t1 - t0) / 1e9;
    round.billS += Number(process.hrtime.bigint() - t1) / 1e9;
  }
  return round;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Heap held by one chunk's tracked facts and bills, per session, after full collections. */
function liveHeapPerSession(): string {
  const gc = global.gc;
  if (gc === undefined) return 'unknown (run node with --expose-gc)';
  const chunk = chunkOf(0);
  gc();
  const before = process.memoryUsage().heapUsed;
  const tracked = track(chunk);
  gc();
  const afterTracking = process.memoryUsage().heapUsed;
  const bills = tracked.flatMap((facts) =>
    facts.map((f) => billSession(f, tariff, DEFAULT_BILLING_PARAMS, 'bench-pile')),
  );
  gc();
  const afterBilling = process.memoryUsage().heapUsed;
  const kb = (bytes: number) => `${(bytes / tracked.length / 1024).toFixed(1)} KB`;
  return `facts ${kb(afterTracking - before)}, bill ${kb(afterBilling - afterTracking)} (${bills.length} bills)`;
}

runRound(); // warm-up: the JIT, and a check that every session bills
const rates = { track: [] as number[], bill: [] as number[], both: [] as number[] };
let peakRss = process.memoryUsage().rss;
let result = runRound();
for (let r = 0; r < rounds; r++) {
  result = runRound();
  const { trackS, billS } = result;
  rates.track.push(count / trackS);
  rates.bill.push(count / billS);
  rates.both.push(count / (trackS + billS));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(
    `round ${r + 1}: rate + detect ${Math.round(count / billS)}/s, tracking ${Math.round(count / trackS)}/s, whole rebuild ${Math.round(count / (trackS + billS))}/s\n`,
  );
}
const live = liveHeapPerSession();
const rate = median(rates.bill);
const row = (name: string, xs: number[]) =>
  `  ${name.padEnd(34)} median ${String(Math.round(median(xs))).padStart(7)}/s  (${xs.map((x) => Math.round(x)).join(', ')})  ${(1e6 / median(xs)).toFixed(1)} µs/session`;
console.log(
  `\nbilling benchmark: ${count} sessions × ${SAMPLES_PER_SESSION} samples, 3 tier boundaries each, ${rounds} rounds, one core`,
);
console.log(row('rating + anomaly detection', rates.bill));
console.log(row('session tracking (fold, timeline)', rates.track));
console.log(row('whole rebuild (both)', rates.both));
console.log(`  memory: peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, live heap per session: ${live}`);
console.log(
  `  check: total ${result.totalFen} fen; bills by codes ${JSON.stringify(Object.fromEntries(result.codes))}`,
);
console.log(
  `  target rating + anomaly detection ≥ ${TARGET_PER_S} sessions/s: ${rate >= TARGET_PER_S ? 'PASS' : 'FAIL'}`,
);
