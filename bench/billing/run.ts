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

function billAll(): { totalFen: bigint; codes: number } {
  let totalFen = 0n;
  let codes = 0;
  for (const events of sessions) {
    const nowMs = events.at(-1)!.atMs + 60_000;
    const { facts } = sessionFactsOf({ events, offline: [], connectors, nowMs }, DEFAULT_BILLING_PARAMS);
    for (const f of facts) {
      const billed = billSession(f, tariff, DEFAULT_BILLING_PARAMS, 'bench-pile');
      if (!billed.ok) throw new Error(billed.detail);
      totalFen += BigInt(billed.bill.totalFen.toFixed(0));
      codes += billed.bill.codes.length;
    }
  }
  return { totalFen, codes };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

billAll(); // warm-up: the JIT, and a check that every session bills
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const perSecond: number[] = [];
let peakRss = process.memoryUsage().rss;
let result = { totalFen: 0n, codes: 0 };
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint();
  result = billAll();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  perSecond.push(count / seconds);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(`round ${r + 1}: ${Math.round(count / seconds)} sessions/s\n`);
}
const heapAfter = process.memoryUsage().heapUsed;
const rate = median(perSecond);
console.log(
  `\nbilling benchmark: ${count} sessions × ${SAMPLES_PER_SESSION} samples, 3 tier boundaries each, ${rounds} rounds, one core`,
);
console.log(`  sessions/s: median ${Math.round(rate)} (rounds: ${perSecond.map((p) => Math.round(p)).join(', ')})`);
console.log(`  per session: ${(1e6 / rate).toFixed(1)} µs`);
console.log(
  `  memory: peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (inputs included), heap growth over the rounds ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MB`,
);
console.log(`  check: total ${result.totalFen} fen, ${result.codes} anomaly codes`);
console.log(`  target ≥ ${TARGET_PER_S} sessions/s: ${rate >= TARGET_PER_S ? 'PASS' : 'FAIL'}`);
