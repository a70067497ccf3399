// Energy read off a register timeline: only between trusted readings of one segment, never
// across a discontinuity (DESIGN.md §1 principle 5), and interpolated linearly between samples
// (DESIGN.md §4, the TOU split).
import { sumOf, ZERO, type Dec } from './decimal.js';
import type { RegisterReading } from './meter-readings.js';
import type { RegisterTimeline } from './register-timeline.js';

/** The trusted readings cut at each discontinuity; each segment is one unbroken meter series. */
export function segmentsOf(timeline: RegisterTimeline): RegisterReading[][] {
  const restarts = new Set(timeline.discontinuities.map((d) => d.after));
  const segments: RegisterReading[][] = [];
  for (const reading of timeline.trusted) {
    const segment = segments.at(-1);
    if (segment === undefined || restarts.has(reading)) segments.push([reading]);
    else segment.push(reading);
  }
  return segments;
}

/**
 * The register at an instant between the first and last trusted readings of a segment, linearly
 * interpolated; undefined before, after, or in a gap across a discontinuity. At an instant with
 * several readings, the last: the register had reached it by then.
 */
export function registerAt(timeline: RegisterTimeline, atMs: number): Dec | undefined {
  // Segments may meet at one instant; the later one holds the register from then on.
  for (const segment of segmentsOf(timeline).reverse()) {
    const i = segment.findLastIndex((r) => r.atMs <= atMs);
    const before = segment[i];
    const after = segment[i + 1];
    if (before === undefined) continue;
    if (before.atMs === atMs) return before.registerWh;
    if (after === undefined) continue;
    return before.registerWh.plus(
      after.registerWh
        .minus(before.registerWh)
        .times(atMs - before.atMs)
        .div(after.atMs - before.atMs),
    );
  }
  return undefined;
}

/**
 * Energy between the trusted readings inside [fromMs, toMs]: per segment, its last reading there
 * minus its first, summed. Never negative, since a segment never falls; zero below two readings.
 */
export function trustedEnergyWh(timeline: RegisterTimeline, fromMs: number, toMs: number): Dec {
  return sumOf(
    segmentsOf(timeline).map((segment) => {
      const inside = segment.filter((r) => r.atMs >= fromMs && r.atMs <= toMs);
      const first = inside[0];
      const last = inside.at(-1);
      return first === undefined || last === undefined ? ZERO : last.registerWh.minus(first.registerWh);
    }),
  );
}
