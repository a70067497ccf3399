// A session's energy, from the best source that passes its checks (DESIGN.md §4): the pile's
// own registers, the platform's trusted register series, the pile's own total, or, while the
// session has no end, an estimate from trusted readings only (field case B: never from a
// register that read 0). The losers are kept: codes 4, 8 and 11 compare them.
import { Dec, ZERO } from './decimal.js';
import type { ReadingSource, RegisterReading } from './meter-readings.js';
import type { RegisterTimeline } from './register-timeline.js';
import type { Session } from './session-fold.js';
import type { EnergySample } from './tou-split.js';

export const ENERGY_SOURCES = ['device-registers', 'platform-registers', 'device-total', 'estimate'] as const;
export type EnergySource = (typeof ENERGY_SOURCES)[number];

const PLATFORM_SOURCES: ReadonlySet<ReadingSource> = new Set(['meter-values', 'transaction-data', 'meter-heartbeat']);

export interface SessionEnergy {
  /** Whole Wh. */
  readonly energyWh: Dec;
  readonly source: EnergySource;
  /** Register stop − start as the pile reported them, checked or not. */
  readonly deviceRegistersWh: Dec | null;
  /** Whether both device registers are trusted readings of the connector's timeline. */
  readonly deviceRegistersTrusted: boolean;
  /** From the platform's trusted samples within the session; null below two samples. */
  readonly platformWh: Dec | null;
  readonly deviceTotalWh: Dec | null;
  /** The cumulative line of every trusted reading in the session, for the TOU split. */
  readonly samples: readonly EnergySample[];
}

/** A point of the cumulative line: its register less the line's base, worked out when read. */
class LineSample implements EnergySample {
  constructor(
    readonly atMs: number,
    private readonly registerWh: Dec,
    private readonly baseWh: Dec,
  ) {}

  get energyWh(): Dec {
    return this.registerWh.minus(this.baseWh);
  }
}

/**
 * Trusted readings in [fromMs, toMs] as a cumulative line that does not climb a discontinuity.
 * Only a discontinuity costs arithmetic here (the base moves by the jump): a line has hundreds
 * of points and the TOU split reads a few of them.
 */
export function cumulativeLine(
  timeline: RegisterTimeline,
  fromMs: number,
  toMs: number,
  only?: ReadonlySet<ReadingSource>,
): EnergySample[] {
  const restarts = new Set(timeline.discontinuities.map((d) => d.after));
  const line: EnergySample[] = [];
  let previous: RegisterReading | undefined;
  let baseWh = ZERO;
  for (const reading of timeline.trusted) {
    if (reading.atMs < fromMs || reading.atMs > toMs || (only && !only.has(reading.source))) continue;
    if (previous === undefined) baseWh = reading.registerWh;
    else if (restarts.has(reading)) baseWh = baseWh.plus(reading.registerWh.minus(previous.registerWh));
    line.push(new LineSample(reading.atMs, reading.registerWh, baseWh));
    previous = reading;
  }
  return line;
}

const isTrusted = (timeline: RegisterTimeline, wh: Dec | null | undefined, source: ReadingSource, journalId?: string) =>
  wh != null &&
  timeline.trusted.some(
    (r) => r.source === source && (journalId === undefined || r.journalId === journalId) && r.registerWh.eq(wh),
  );

function deviceRegisters(session: Session, timeline: RegisterTimeline): { wh: Dec | null; trusted: boolean } {
  const bill = session.deviceBill;
  const startWh = session.started?.meterStartWh ?? bill?.registerStartWh ?? null;
  const stopWh = session.stopped?.meterStopWh ?? bill?.registerStopWh ?? null;
  if (startWh === null || stopWh === null) return { wh: null, trusted: false };
  const startTrusted = session.started
    ? isTrusted(timeline, startWh, 'meter-start', session.started.journalId)
    : isTrusted(timeline, startWh, 'device-bill', bill?.journalId);
  const stopTrusted = session.stopped
    ? isTrusted(timeline, stopWh, 'meter-stop', session.stopped.journalId)
    : isTrusted(timeline, stopWh, 'device-bill', bill?.journalId);
  const wh = stopWh.minus(startWh);
  // Two trusted ends still do not make energy when the register jumped between them.
  const startMs = session.started?.atMs ?? bill?.startMs ?? session.startMs;
  const stopMs = session.stopped?.atMs ?? bill?.atMs ?? session.startMs;
  const jumped = timeline.discontinuities.some((d) => d.after.atMs > startMs && d.after.atMs <= stopMs);
  return { wh, trusted: startTrusted && stopTrusted && !jumped && !wh.isNegative() };
}

export function measureEnergy(
  session: Session,
  timeline: RegisterTimeline,
  precedence: readonly EnergySource[],
): SessionEnergy {
  const toMs = session.stopMs ?? Number.MAX_SAFE_INTEGER;
  const device = deviceRegisters(session, timeline);
  const platformLine = cumulativeLine(timeline, session.startMs, toMs, PLATFORM_SOURCES);
  // Two samples at two instants: a resent copy of the only sample measures nothing.
  const spansTime = platformLine.length >= 2 && platformLine.at(-1)!.atMs > platformLine[0]!.atMs;
  const platformWh = spansTime ? platformLine.at(-1)!.energyWh : null;
  const deviceTotalWh = session.deviceBill?.energyWh ?? null;
  const line = cumulativeLine(timeline, session.startMs, toMs);
  const ended = session.stopMs !== null;
  const candidates: Record<EnergySource, Dec | null> = {
    'device-registers': ended && device.trusted ? device.wh : null,
    'platform-registers': ended ? platformWh : null,
    'device-total': ended && deviceTotalWh !== null && !deviceTotalWh.isNegative() ? deviceTotalWh : null,
    // Everything trusted, the pile's start register included: the least that was delivered.
    estimate: line.at(-1)?.energyWh ?? ZERO,
  };
  const source = precedence.find((s) => candidates[s] !== null) ?? 'estimate';
  return {
    energyWh: (candidates[source] ?? ZERO).toDecimalPlaces(0, Dec.ROUND_HALF_UP),
    source,
    deviceRegistersWh: device.wh,
    deviceRegistersTrusted: device.trusted,
    platformWh,
    deviceTotalWh,
    samples: line,
  };
}
