import { describe, expect, it } from 'vitest';
import { Dec } from '../../../src/core/decimal.js';
import {
  readSampledValues,
  registerReading,
  type ReadingSource,
  type RegisterReading,
} from '../../../src/core/meter-readings.js';
import {
  buildRegisterTimeline,
  registerAt,
  segmentsOf,
  trustedEnergyWh,
  type RegisterTimeline,
} from '../../../src/core/register-timeline.js';

const T0 = Date.parse('2020-01-13T08:00:00Z');
const MINUTE = 60_000;
/** A 120 kW DC connector: 2,200 Wh a minute with the 10 % margin, plus 200 Wh slack. */
const LIMITS = { maxPowerW: 120_000 };

/** A register reading `minute` minutes after T0, with a journal id that names it. */
const aReading = (minute: number, wh: number | string, source: ReadingSource = 'meter-values'): RegisterReading =>
  registerReading(T0 + minute * MINUTE, wh, source, `j-${source}-${minute}-${wh}`);

/** Readings at minutes 0, 1, 2 … with the given registers. */
const everyMinute = (...whs: number[]) => whs.map((wh, minute) => aReading(minute, wh));

const timelineOf = (readings: RegisterReading[]) => buildRegisterTimeline(readings, LIMITS);
const whs = (readings: readonly RegisterReading[]) => readings.map((r) => Number(r.registerWh.toString()));
const verdicts = (timeline: RegisterTimeline) =>
  timeline.rejected.map((r) => [Number(r.reading.registerWh.toString()), r.reason, r.against?.registerWh.toNumber()]);
const energyOf = (timeline: RegisterTimeline) => trustedEnergyWh(timeline, -Infinity, Infinity).toString();

describe('register timeline of one connector', () => {
  it('when readings rise within the connector power, then all are trusted and energy is last minus first', () => {
    const timeline = timelineOf(everyMinute(1000, 3000, 5400, 5400));

    expect(whs(timeline.trusted)).toEqual([1000, 3000, 5400, 5400]);
    expect(timeline.rejected).toEqual([]);
    expect(timeline.discontinuities).toEqual([]);
    expect(energyOf(timeline)).toBe('4400');
  });

  it('when a rise is exactly max power × 1.1 × Δt + slack, then it is trusted; one Wh more is a jump', () => {
    expect(whs(timelineOf(everyMinute(1000, 3400, 5800)).trusted)).toEqual([1000, 3400, 5800]);
    expect(verdicts(timelineOf(everyMinute(1000, 3401)))).toEqual([[3401, 'jump', 1000]]);
  });

  it('when margin and slack are configured, then they replace the defaults', () => {
    const strict = { maxPowerW: 120_000, powerMargin: new Dec(0), slackWh: new Dec(0) };

    expect(verdicts(buildRegisterTimeline(everyMinute(1000, 3000, 5001), strict))).toEqual([[5001, 'jump', 3000]]);
  });

  it('when the connector power is not a positive number, then building the timeline throws', () => {
    expect(() => buildRegisterTimeline([], { maxPowerW: 0 })).toThrow(/maxPowerW must be a positive number/);
    expect(() => buildRegisterTimeline([], { maxPowerW: Number.NaN })).toThrow(/maxPowerW/);
  });

  it('when readings arrive out of order or repeated (case D: 1,3,2,4,5 and 1,2,2,2,3), then the timeline is the same', () => {
    const [a, b, c, d, e] = everyMinute(1000, 2000, 3000, 4000, 5000) as [RegisterReading, ...RegisterReading[]];
    const inOrder = timelineOf([a, b!, c!, d!, e!]);
    const reordered = timelineOf([a, c!, b!, d!, e!]);
    const repeated = timelineOf([a, b!, b!, b!, c!, d!, e!]);

    expect(reordered).toEqual(inOrder);
    expect(repeated.trusted).toEqual(inOrder.trusted);
    expect(repeated.rejected.map((r) => [r.reason, r.against])).toEqual([
      ['duplicate', b],
      ['duplicate', b],
    ]);
  });

  it('when meterStart and a Transaction.Begin sample agree, then both are trusted and they do not confirm a jump alone', () => {
    const start = aReading(1, 500_000, 'meter-start');
    const sample = aReading(1, 500_000);
    const timeline = timelineOf([aReading(0, 1000), start, sample]);

    expect(timeline.trusted).toEqual([aReading(0, 1000)]);
    expect(timeline.rejected).toEqual([
      { reading: start, reason: 'jump', against: aReading(0, 1000) },
      { reading: sample, reason: 'jump', against: aReading(0, 1000) },
    ]);
    expect(timelineOf([start, sample, aReading(2, 501_000)]).trusted).toEqual([start, sample, aReading(2, 501_000)]);
  });

  it('when a reading is 0, then it is rejected and never a baseline', () => {
    const timeline = timelineOf(everyMinute(0, 1000, 0, 1500));

    expect(whs(timeline.trusted)).toEqual([1000, 1500]);
    expect(verdicts(timeline)).toEqual([
      [0, 'zero', undefined],
      [0, 'zero', 1000],
    ]);
    expect(energyOf(timeline)).toBe('500');
  });

  it('when the register goes backwards, then the reading is rejected and the chain goes on from the last trusted one', () => {
    const timeline = timelineOf(everyMinute(5000, 6000, 5500, 6500));

    expect(whs(timeline.trusted)).toEqual([5000, 6000, 6500]);
    expect(verdicts(timeline)).toEqual([[5500, 'backwards', 6000]]);
    expect(energyOf(timeline)).toBe('1500');
  });

  it('when one garbage reading sits between normal ones (case D, RS485), then it is rejected and the chain is undisturbed', () => {
    const timeline = timelineOf(everyMinute(1000, 2000, 99_999_999, 4000, 5000));

    expect(whs(timeline.trusted)).toEqual([1000, 2000, 4000, 5000]);
    expect(verdicts(timeline)).toEqual([[99_999_999, 'jump', 2000]]);
    expect(timeline.discontinuities).toEqual([]);
    expect(energyOf(timeline)).toBe('4000');
  });

  it('when readings after a jump go on from the jumped level, then a new segment starts and the jump is not energy', () => {
    const timeline = timelineOf(everyMinute(1000, 1100, 500_000, 500_100, 500_300));
    const [before, after] = [timeline.trusted[1], timeline.trusted[2]];

    expect(whs(timeline.trusted)).toEqual([1000, 1100, 500_000, 500_100, 500_300]);
    expect(timeline.rejected).toEqual([]);
    expect(timeline.discontinuities).toEqual([{ before, after, deltaWh: new Dec(498_900) }]);
    expect(segmentsOf(timeline).map(whs)).toEqual([
      [1000, 1100],
      [500_000, 500_100, 500_300],
    ]);
    expect(energyOf(timeline)).toBe('400');
  });

  it('when a spike comes between a jump and its follower, then the jump is still confirmed by the follower', () => {
    const timeline = timelineOf(everyMinute(1000, 1100, 500_000, 99_999_999, 500_100));

    expect(whs(timeline.trusted)).toEqual([1000, 1100, 500_000, 500_100]);
    expect(verdicts(timeline)).toEqual([[99_999_999, 'jump', 1100]]);
    expect(energyOf(timeline)).toBe('200');
  });

  it('when a jump is the last reading, then it stays rejected', () => {
    const timeline = timelineOf(everyMinute(1000, 1100, 500_000));

    expect(whs(timeline.trusted)).toEqual([1000, 1100]);
    expect(verdicts(timeline)).toEqual([[500_000, 'jump', 1100]]);
    expect(timeline.discontinuities).toEqual([]);
  });

  it('when garbage is the first reading and the real register follows, then the garbage is rejected, not the register', () => {
    const timeline = timelineOf(everyMinute(99_999_999, 92_270, 93_270, 94_270));

    expect(whs(timeline.trusted)).toEqual([92_270, 93_270, 94_270]);
    expect(verdicts(timeline)).toEqual([[99_999_999, 'jump', 92_270]]);
    expect(energyOf(timeline)).toBe('2000');
  });

  it('when the first reading is followed by a single lower one, then one reading is not enough to overturn it', () => {
    const timeline = timelineOf(everyMinute(5000, 4000));

    expect(whs(timeline.trusted)).toEqual([5000]);
    expect(verdicts(timeline)).toEqual([[4000, 'backwards', 5000]]);
  });
});

describe('field cases', () => {
  it('when heartbeats read 0 before the session and then the real register (case A), then the jump from 0 is no energy', () => {
    const heartbeat = (minute: number, wh: number) => aReading(minute, wh, 'meter-heartbeat');
    // Heartbeats every 5 minutes read 0; the session starts at minute 10 at 60 kW (1,000 Wh a minute).
    const charging = Array.from({ length: 31 }, (_, i) => aReading(10 + i, 1_503_220 + 1000 * i));
    const timeline = timelineOf([
      heartbeat(0, 0),
      heartbeat(5, 0),
      heartbeat(10, 0),
      ...charging,
      heartbeat(45, 1_533_220),
    ]);

    expect(timeline.trusted[0]).toEqual(aReading(10, 1_503_220));
    expect(verdicts(timeline)).toEqual([
      [0, 'zero', undefined],
      [0, 'zero', undefined],
      [0, 'zero', undefined],
    ]);
    expect(timeline.discontinuities).toEqual([]);
    expect(energyOf(timeline)).toBe('30000');
  });

  it('when the register read its real value, then 0, then the real value again (case A between sessions), then nothing is counted', () => {
    const timeline = timelineOf(everyMinute(1_503_220, 0, 1_503_220));

    expect(energyOf(timeline)).toBe('0');
    expect(timeline.discontinuities).toEqual([]);
  });

  it('when the register was 0 before the session and 92.27 kWh right after start (case B), then energy counts from 92270 Wh, never 128.63 kWh', () => {
    // Bill 20191024144331381526: start 14:43:31 local, linear charging until the last frame at
    // 15:10:28, when the register read 128.63 kWh; the old platform took 128.63 − 0.
    const startMs = Date.parse('2019-10-24T14:43:31+08:00');
    const lastMs = Date.parse('2019-10-24T15:10:28+08:00');
    const riseWh = 128_630 - 92_270;
    const minutes = Array.from({ length: 26 }, (_, i) => i + 1);
    const samples = [
      { timestamp: '2019-10-24T14:43:00+08:00', sampledValue: [{ value: '0' }] },
      { timestamp: '2019-10-24T14:43:31+08:00', sampledValue: [{ value: '92.27', unit: 'kWh' }] },
      ...minutes.map((m) => ({
        timestamp: new Date(startMs + m * MINUTE).toISOString(),
        sampledValue: [{ value: String(92_270 + Math.floor((riseWh * m * 60) / 1617)) }],
      })),
      { timestamp: '2019-10-24T15:10:28+08:00', sampledValue: [{ value: '128.63', unit: 'kWh' }] },
    ];
    const { registers } = readSampledValues(samples, 'meter-values', 'j-case-b');
    const timeline = buildRegisterTimeline(registers, { maxPowerW: 120_000 });

    expect(timeline.trusted[0]?.registerWh.toString()).toBe('92270');
    expect(verdicts(timeline)).toEqual([[0, 'zero', undefined]]);
    expect(timeline.discontinuities).toEqual([]);
    expect(registerAt(timeline, startMs)?.toString()).toBe('92270');
    expect(trustedEnergyWh(timeline, startMs - 3_600_000, lastMs).toString()).toBe('36360');
    expect(trustedEnergyWh(timeline, startMs - 3_600_000, lastMs).eq(128_630)).toBe(false);
  });
});

describe('register and energy read off a timeline', () => {
  const oneSegment = timelineOf(everyMinute(1000, 2200, 3400));
  const twoSegments = timelineOf(everyMinute(1000, 2000, 500_000, 501_000));

  it('when an instant lies between two trusted readings, then the register is interpolated linearly', () => {
    expect(registerAt(oneSegment, T0 + 30_000)?.toString()).toBe('1600');
    expect(registerAt(oneSegment, T0 + 20_000)?.toString()).toBe('1400');
    expect(registerAt(oneSegment, T0 + 2 * MINUTE)?.toString()).toBe('3400');
    expect(registerAt(oneSegment, T0)?.toString()).toBe('1000');
  });

  it('when an instant lies outside the trusted readings or across a discontinuity, then there is no register', () => {
    expect(registerAt(oneSegment, T0 - 1)).toBeUndefined();
    expect(registerAt(oneSegment, T0 + 2 * MINUTE + 1)).toBeUndefined();
    expect(registerAt(twoSegments, T0 + 1.5 * MINUTE)).toBeUndefined();
    expect(registerAt(twoSegments, T0 + 2.5 * MINUTE)?.toString()).toBe('500500');
  });

  it('when a window cuts through the readings, then energy counts only trusted readings inside it', () => {
    expect(trustedEnergyWh(oneSegment, T0 + 1, T0 + 2 * MINUTE).toString()).toBe('1200');
    expect(trustedEnergyWh(oneSegment, T0 + 1, T0 + 2 * MINUTE - 1).toString()).toBe('0');
    expect(trustedEnergyWh(oneSegment, T0 + MINUTE, T0).toString()).toBe('0');
  });

  it('when a window spans a discontinuity, then each segment counts its own energy and the jump none', () => {
    expect(trustedEnergyWh(twoSegments, T0, T0 + 3 * MINUTE).toString()).toBe('2000');
    expect(trustedEnergyWh(twoSegments, T0 + MINUTE, T0 + 2 * MINUTE).toString()).toBe('0');
  });
});
