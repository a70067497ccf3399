import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../src/core/decimal.js';
import { registerReading, type RegisterReading } from '../../../src/core/meter-readings.js';
import { buildRegisterTimeline, trustedEnergyWh, type RegisterTimeline } from '../../../src/core/register-timeline.js';

const T0 = Date.parse('2020-01-13T00:00:00Z');
const HOUR = 3_600_000;
const LIMITS = { maxPowerW: 120_000 };
const timelineOf = (readings: readonly RegisterReading[]) => buildRegisterTimeline(readings, LIMITS);
const whole = (timeline: RegisterTimeline) => trustedEnergyWh(timeline, -Infinity, Infinity);

/** Anything a pile may send: zeros, garbage, falls, jumps, several readings per instant. */
const anyReadings = fc
  .array(
    fc.record({
      minute: fc.integer({ min: 0, max: 40 }),
      wh: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constant(0), fc.constant(99_999_999)),
    }),
    { maxLength: 30 },
  )
  .map((raw) => raw.map(({ minute, wh }, i) => registerReading(T0 + minute * 60_000, wh, 'meter-values', `j${i}`)));

/** As above, one reading per instant, so that input order cannot matter. */
const readingsAtDistinctInstants = anyReadings.map((readings) => [
  ...new Map(readings.map((r) => [r.atMs, r])).values(),
]);

/**
 * A meter that behaves within segments: it rises within the connector's power, and between
 * segments jumps further than the connector could charge (a replaced meter, energy gone missing).
 * Each segment has at least two readings, so every jump has a follower that confirms it.
 */
const segmentedMeter = fc
  .record({
    startWh: fc.integer({ min: 1, max: 10_000_000 }),
    segments: fc.array(
      fc.record({
        jumpWh: fc.integer({ min: 1_000_000, max: 10_000_000 }),
        steps: fc.array(
          fc.record({ gapMs: fc.integer({ min: 1000, max: 2 * HOUR }), loadPct: fc.integer({ min: 0, max: 100 }) }),
          { minLength: 1, maxLength: 8 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ startWh, segments }) => {
    const readings: RegisterReading[] = [];
    let [atMs, wh, deliveredWh] = [T0, startWh - segments[0]!.jumpWh, 0];
    for (const { jumpWh, steps } of segments) {
      [atMs, wh] = [atMs + 60_000, wh + jumpWh];
      readings.push(registerReading(atMs, wh, 'meter-values', `j${readings.length}`));
      for (const { gapMs, loadPct } of steps) {
        const riseWh = Math.floor((LIMITS.maxPowerW * loadPct * gapMs) / (100 * HOUR));
        [atMs, wh, deliveredWh] = [atMs + gapMs, wh + riseWh, deliveredWh + riseWh];
        readings.push(registerReading(atMs, wh, 'meter-values', `j${readings.length}`));
      }
    }
    return { readings, deliveredWh, segments: segments.length };
  });

/** Readings compared by what they are, the timeline by everything but duplicate notices. */
const id = (r: RegisterReading) => `${r.journalId}@${r.atMs}=${r.registerWh.toString()}`;
const view = (timeline: RegisterTimeline) => ({
  trusted: timeline.trusted.map(id),
  rejected: timeline.rejected
    .filter((r) => r.reason !== 'duplicate')
    .map((r) => [id(r.reading), r.reason, r.against && id(r.against)]),
  discontinuities: timeline.discontinuities.map((d) => [id(d.before), id(d.after), d.deltaWh.toString()]),
});

const insertAt = <T>(list: readonly T[], index: number, item: T) => [
  ...list.slice(0, index),
  item,
  ...list.slice(index),
];
const window = fc.tuple(fc.integer({ min: -HOUR, max: 60 * HOUR }), fc.integer({ min: 0, max: 60 * HOUR }));

describe('register timeline properties', () => {
  it('when the readings are shuffled, then the timeline is the same', () => {
    const withShuffle = readingsAtDistinctInstants.chain((readings) =>
      fc.tuple(
        fc.constant(readings),
        fc.shuffledSubarray(readings, { minLength: readings.length, maxLength: readings.length }),
      ),
    );
    fc.assert(
      fc.property(withShuffle, ([readings, shuffled]) => {
        expect(view(timelineOf(shuffled))).toEqual(view(timelineOf(readings)));
      }),
    );
  });

  it('when readings are sent again, then nothing changes but the duplicate notices', () => {
    fc.assert(
      fc.property(anyReadings, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }), (readings, copies) => {
        // A resend is journaled after the message it repeats.
        const resend = (list: RegisterReading[], [which, where]: [number, number]) => {
          const original = readings[which % readings.length]!;
          const after = list.indexOf(original) + 1;
          return insertAt(list, after + (where % (list.length - after + 1)), original);
        };
        const resent = readings.length === 0 ? readings : copies.reduce(resend, readings);
        const timeline = timelineOf(resent);
        expect(view(timeline)).toEqual(view(timelineOf(readings)));
        expect(timeline.rejected.filter((r) => r.reason === 'duplicate')).toHaveLength(resent.length - readings.length);
      }),
    );
  });

  it('when anything arrives, then trusted readings are in time order, non-decreasing, never 0, and every reading has one verdict', () => {
    fc.assert(
      fc.property(anyReadings, (readings) => {
        const { trusted, rejected } = timelineOf(readings);
        expect(trusted.every((r) => r.registerWh.gt(0))).toBe(true);
        expect(
          trusted.every(
            (r, i) => i === 0 || (r.atMs >= trusted[i - 1]!.atMs && r.registerWh.gte(trusted[i - 1]!.registerWh)),
          ),
        ).toBe(true);
        expect(trusted.length + rejected.length).toBe(readings.length);
      }),
    );
  });

  it('when energy is read over any window, then it is never negative and, without discontinuity, is last minus first trusted', () => {
    fc.assert(
      fc.property(anyReadings, window, (readings, [from, lengthMs]) => {
        const timeline = timelineOf(readings);
        const [fromMs, toMs] = [T0 + from, T0 + from + lengthMs];
        const energy = trustedEnergyWh(timeline, fromMs, toMs);
        expect(energy.gte(0)).toBe(true);
        if (timeline.discontinuities.length > 0) return;
        const inside = timeline.trusted.filter((r) => r.atMs >= fromMs && r.atMs <= toMs);
        const expected = inside.length === 0 ? new Dec(0) : inside.at(-1)!.registerWh.minus(inside[0]!.registerWh);
        expect(energy.toString()).toBe(expected.toString());
      }),
    );
  });

  it('when the meter behaves within segments, then energy is exactly what it delivered and no jump counts', () => {
    fc.assert(
      fc.property(segmentedMeter, ({ readings, deliveredWh, segments }) => {
        const timeline = timelineOf(readings);
        expect(timeline.rejected).toEqual([]);
        expect(timeline.discontinuities).toHaveLength(segments - 1);
        expect(whole(timeline).toString()).toBe(String(deliveredWh));
      }),
    );
  });

  it('when a 0 or a single garbage spike is inserted anywhere, then the energy of any window does not change', () => {
    const intruder = fc.record({
      wh: fc.constantFrom(0, 10 ** 13),
      atMs: fc.integer({ min: T0 - HOUR, max: T0 + 60 * HOUR }),
      position: fc.nat(),
    });
    fc.assert(
      fc.property(segmentedMeter, intruder, window, ({ readings }, { wh, atMs, position }, [from, length]) => {
        const noisy = insertAt(
          readings,
          position % (readings.length + 1),
          registerReading(atMs, wh, 'meter-heartbeat', 'intruder'),
        );
        const [clean, dirty] = [timelineOf(readings), timelineOf(noisy)];
        expect(whole(dirty).toString()).toBe(whole(clean).toString());
        const windowOf = (t: RegisterTimeline) => trustedEnergyWh(t, T0 + from, T0 + from + length).toString();
        expect(windowOf(dirty)).toBe(windowOf(clean));
      }),
    );
  });
});
