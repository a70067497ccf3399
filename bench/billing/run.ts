// `npm run bench:billing`: rating plus anomaly detection of sessions of 200 samples that cross
// 3 tariff boundaries, on one core (the process pins itself with taskset when it can). Each
// round rebuilds every session from its events (fold, register timeline, energy, times), then
// splits, prices and checks it, exactly what the billing use case does per session. Prints the
// sessions per second of every round, their median, and the memory the work used.
//   node dist/bench/billing/run.js --sessions 20000 --rounds 5
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
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
const sessions = Array.from({ length: count }, (_, i) => benchSession(i, Number(values.seed)));

type Facts = ReturnType<typeof sessionFactsOf>['facts'];

/** Session tracking: fold, register timeline, energy, times. */
function trackAll(): Facts[] {
  return sessions.map((events) => {
    const nowMs = events.at(-1)!.atMs + 60_000;
    return sessionFactsOf({ events, offline: [], connectors, nowMs }, DEFAULT_BILLING_PARAMS).facts;
  });
}

/** Rating plus anomaly detection of tracked sessions. */
function billAll(tracked: readonly Facts[]): { totalFen: bigint; codes: Map<string, number> } {
  let totalFen = 0n;
  const codes = new Map<string, number>();
  for (const facts of tracked) {
    for (const f of facts) {
      const billed = billSession(f, tariff, DEFAULT_BILLING_PARAMS, 'bench-pile');
      if (!billed.ok) throw new Error(billed.detail);
      totalFen += BigInt(billed.bill.totalFen.toFixed(0));
      const key = billed.bill.codes.join(',') || 'none';
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
  }
  return { totalFen, codes };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

billAll(trackAll()); // warm-up: the JIT, and a check that every session bills
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const rates = { track: [] as number[], bill: [] as number[], both: [] as number[] };
let peakRss = process.memoryUsage().rss;
let result = billAll(trackAll());
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint();
  const tracked = trackAll();
  const trackS = seconds(t0);
  const t1 = process.hrtime.bigint();
  result = billAll(tracked);
  const billS = seconds(t1);
  rates.track.push(count / trackS);
  rates.bill.push(count / billS);
  rates.both.push(count / (trackS + billS));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(
    `round ${r + 1}: rate + detect ${Math.round(count / billS)}/s, tracking ${Math.round(count / trackS)}/s, whole rebuild ${Math.round(count / (trackS + billS))}/s\n`,
  );
}
const heapAfter = process.memoryUsage().heapUsed;
const rate = median(rates.bill);
const row = (name: string, xs: number[]) =>
  `  ${name.padEnd(34)} median ${String(Math.round(median(xs))).padStart(7)}/s  (${xs.map((x) => Math.round(x)).join(', ')})  ${(1e6 / median(xs)).toFixed(1)} µs/session`;
console.log(
  `\nbilling benchmark: ${count} sessions × ${SAMPLES_PER_SESSION} samples, 3 tier boundaries each, ${rounds} rounds, one core`,
);
console.log(row('rating + anomaly detection', rates.bill));
console.log(row('session tracking (fold, timeline)', rates.track));
console.log(row('whole rebuild (both)', rates.both));
console.log(
  `  memory: peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (inputs included), heap growth over the rounds ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MB`,
);
console.log(
  `  check: total ${result.totalFen} fen; bills by codes ${JSON.stringify(Object.fromEntries(result.codes))}`,
);
console.log(
  `  target rating + anomaly detection ≥ ${TARGET_PER_S} sessions/s: ${rate >= TARGET_PER_S ? 'PASS' : 'FAIL'}`,
);
