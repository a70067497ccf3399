// Wall-clock time in an IANA zone from Intl alone: the core may import no time-zone library, and
// Intl carries the tz database the runtime ships with. "Wall ms" below is a local date and time
// written as if it were UTC (02:30 local on 2025-03-30 → Date.UTC(2025, 2, 30, 2, 30)), so local
// dates and minutes come from plain arithmetic on it.

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

// Offsets are probed this often and each change found by bisection. No zone in the tz database
// changes its offset twice within 6 hours, so no change can hide between two probes.
const PROBE_MS = 6 * 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's canonical IANA name ("asia/shanghai" → "Asia/Shanghai"); undefined when unknown. */
export function canonicalTimeZone(name: string): string | undefined {
  // Not through the cache: names come from operators, and only canonical ones should stay.
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

// Intl is slow (a few µs a call) and billing asks for offsets of every session. An offset is the
// same at both ends of a probe span, so (by the rule above) all through it: such spans are
// remembered, per zone, and every instant in them is answered from memory.
const MAX_REMEMBERED_SPANS = 100_000;
const steadySpans = new Map<string, Map<number, number>>();

/** Local time minus UTC at the instant, in ms (+8 h for Asia/Shanghai). */
export function offsetAt(timeZone: string, atMs: number): number {
  let spans = steadySpans.get(timeZone);
  if (spans === undefined) steadySpans.set(timeZone, (spans = new Map()));
  const span = Math.floor(atMs / PROBE_MS);
  const known = spans.get(span);
  if (known !== undefined) return known;
  const offset = intlOffsetAt(timeZone, atMs);
  if (
    intlOffsetAt(timeZone, span * PROBE_MS) === offset &&
    intlOffsetAt(timeZone, (span + 1) * PROBE_MS - 1) === offset
  ) {
    if (spans.size >= MAX_REMEMBERED_SPANS) spans.clear();
    spans.set(span, offset);
  }
  return offset;
}

function intlOffsetAt(timeZone: string, atMs: number): number {
  // Intl drops milliseconds; zones change offset on whole seconds, so the second decides.
  const second = Math.floor(atMs / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(second);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - second;
}

/** A stretch of time with one UTC offset. */
export interface OffsetSpan {
  readonly fromMs: number;
  readonly toMs: number;
  readonly offsetMs: number;
}

/** The first ms in (lo, hi] whose offset differs from the offset at lo; hi's must differ. */
function firstChange(timeZone: string, lo: number, hi: number): number {
  const before = offsetAt(timeZone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timeZone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** [fromMs, toMs) cut where the zone's offset changes (DST), oldest first. */
export function offsetSpans(timeZone: string, fromMs: number, toMs: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let start = fromMs;
  let offsetMs = offsetAt(timeZone, fromMs);
  let probe = fromMs;
  while (probe < toMs - 1) {
    const next = Math.min(probe + PROBE_MS, toMs - 1);
    if (offsetAt(timeZone, next) === offsetMs) {
      probe = next;
      continue;
    }
    const change = firstChange(timeZone, probe, next);
    spans.push({ fromMs: start, toMs: change, offsetMs });
    start = change;
    offsetMs = offsetAt(timeZone, change);
    probe = change;
  }
  spans.push({ fromMs: start, toMs, offsetMs });
  return spans;
}

/** The local calendar date of a wall ms as YYYY-MM-DD, and its month 1–12. */
export function localDateOf(wallMs: number): { readonly isoDate: string; readonly month: number } {
  const date = new Date(Math.floor(wallMs / DAY_MS) * DAY_MS);
  return { isoDate: date.toISOString().slice(0, 10), month: date.getUTCMonth() + 1 };
}

/** Whether YYYY-MM-DD names a real calendar date (no 2025-02-30). */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
