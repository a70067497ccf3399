// Reading another process's memory and CPU from /proc, and the small statistics the benchmark
// reports. Linux only, like the benchmark itself (taskset).
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resident set size of a process in KB (VmRSS counts heap, stacks, code and mapped files). */
function readRssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

// utime + stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s on every
// Linux build Node supports (USER_HZ). The command name (field 2) may contain spaces, hence ')'.
const USER_HZ = 100;

/** CPU time a process has used so far, in milliseconds. */
function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Nearest-rank percentile of ascending `sorted`; Infinity stands for "no reply in time". */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * pilegate offers no way to force a GC from outside, so memory is read after the process had
 * time to settle, as the median of a few samples to step over a collection in progress.
 */
export async function settledRssKb(pid: number, settleMs: number, samples = 5): Promise<number> {
  await sleep(settleMs);
  const readings: number[] = [];
  for (let i = 0; i < samples; i++) {
    readings.push(readRssKb(pid));
    await sleep(500);
  }
  return median(readings);
}

/** Busy and total CPU ticks of the whole machine, from the first line of /proc/stat. */
function readMachineTicks(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export interface CpuUse {
  readonly serverPct: number; // all in % of one core
  readonly loadPct: number; // this process
  readonly dbPct: number;
  /** Everything else: kernel threads (a few %) and whatever competes with the benchmark. */
  readonly otherPct: number;
}

/** Starts measuring; the returned function gives the CPU used since then, split by who used it. */
export function startCpuMeter(serverPid: number, dbPid: number | undefined): () => CpuUse {
  const dbCpuMs = (): number => (dbPid === undefined ? 0 : readCpuMs(dbPid));
  const t0 = performance.now();
  const [server0, db0, self0, machine0] = [readCpuMs(serverPid), dbCpuMs(), process.cpuUsage(), readMachineTicks()];
  return () => {
    const ms = performance.now() - t0;
    const self = process.cpuUsage(self0);
    const machine = readMachineTicks();
    const pct = (usedMs: number): number => Math.round((usedMs / ms) * 100);
    const [serverPct, dbPct, loadPct] = [
      pct(readCpuMs(serverPid) - server0),
      pct(dbCpuMs() - db0),
      pct((self.user + self.system) / 1000),
    ];
    // cpus(), not availableParallelism(): under taskset the latter counts only our one core.
    const machinePct = Math.round(
      ((machine.busy - machine0.busy) / (machine.total - machine0.total)) * 100 * cpus().length,
    );
    return { serverPct, loadPct, dbPct, otherPct: Math.max(0, machinePct - serverPct - dbPct - loadPct) };
  };
}

/** The pid of a running process by command name (e.g. the database server), if there is one. */
export function findPid(names: readonly string[]): number | undefined {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}
