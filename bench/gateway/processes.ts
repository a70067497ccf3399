// Child processes of the benchmark: each pinned to one core, each tracked so the watchdog can
// end them all, each with its output drained (a full stdout pipe would stall a server mid-run).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const live = new Set<ChildProcess>();

export interface Pinned {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Resolves with the first stdout line matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
}

export interface PinnedOptions {
  readonly core: number;
  readonly args: readonly string[]; // node arguments: script and its options
  readonly env: NodeJS.ProcessEnv;
  readonly label: string;
  /** Lines of the child's output echoed to our stderr; the rest are counted. */
  readonly echoLines: number;
  /** Takes stdout lines that carry data (load.ts's JSON) instead of echoing them. */
  readonly onStdoutLine?: (line: string) => void;
}

export function spawnPinned(o: PinnedOptions): Pinned {
  // taskset execs node in place, so child.pid is the node process whose /proc we read.
  const child = spawn('taskset', ['-c', String(o.core), process.execPath, ...o.args], {
    env: o.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const stdoutLines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let echoed = 0;
  const echo = (line: string): void => {
    if (echoed++ < o.echoLines) process.stderr.write(`[${o.label}] ${line}\n`);
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdoutLines.push(line);
    if (o.onStdoutLine) o.onStdoutLine(line);
    else echo(line);
    waiters.forEach((w) => w(line));
  });
  createInterface({ input: child.stderr! }).on('line', echo);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      if (echoed > o.echoLines) process.stderr.write(`[${o.label}] (${echoed - o.echoLines} more lines not shown)\n`);
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });
  const waitForLine = (pattern: RegExp, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${o.label}: no ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      const seen = stdoutLines.find((l) => pattern.test(l));
      if (seen !== undefined) return resolve(seen);
      waiters.push((line) => {
        if (pattern.test(line)) {
          clearTimeout(timer);
          resolve(line);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${o.label} exited (code ${code}) before printing ${pattern}`));
      });
    });
  return { child, exited, waitForLine };
}

/** Runs to completion within `timeoutMs`, killed otherwise; resolves with the exit code. */
export async function runPinned(o: PinnedOptions, timeoutMs: number): Promise<number | null> {
  const p = spawnPinned(o);
  const timer = setTimeout(() => {
    process.stderr.write(`[${o.label}] still running after ${timeoutMs} ms, killing it\n`);
    p.child.kill('SIGKILL');
  }, timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

/** SIGTERM, then SIGKILL if the process has not exited within `graceMs`. */
export async function stopPinned(p: Pinned, graceMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

/** For the watchdog: end every child this process started and that is still running. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}
