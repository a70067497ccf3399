// Folds one pile's charge events into sessions (issue 3, field case D). Piles skip, reorder and
// repeat steps, so sessions are anchored in a fixed order whatever order the events came in:
// StartTransaction (its transactionId is ours) and the stops that name it, then the pile's own
// bills, then orphan stops, then samples; samples nothing claims make sessions of their own,
// which the orphan stops still left may join. An event that names no session we know is matched
// by connector and time, and by register continuity for a stop (which carries no connector):
// never across connectors, never guessed when two sessions would fit (domain.md §A1.7). What
// matches nothing stays unmatched, as evidence.
import { fnv1a } from './bill-number.js';
import type { ChargeEvent, DeviceBilled, Sampled, SessionStarted, SessionStopped } from './charge-events.js';

export interface Session {
  /**
   * Stable across refolds: `tx:<transactionId>`, `bill:<deviceBillNo>`, `meter:<connector>:<id>` (an
   * id we never gave) or `meter:<connector>@<ms>` (samples with no transactionId).
   */
  readonly key: string;
  readonly connectorId: number;
  readonly transactionId: number | null;
  readonly started: SessionStarted | null;
  readonly stopped: SessionStopped | null;
  readonly deviceBill: DeviceBilled | null;
  readonly samples: readonly Sampled[];
  /** The pile's start time: StartTransaction, else the device bill, else the first sample. */
  readonly startMs: number;
  /** The pile's stop time, null while none is known. */
  readonly stopMs: number | null;
}

interface Building {
  key: string;
  connectorId: number;
  transactionId: number | null;
  started: SessionStarted | null;
  stopped: SessionStopped | null;
  deviceBill: DeviceBilled | null;
  samples: Sampled[];
}

export interface Fold {
  readonly sessions: readonly Session[];
  /** Stops and bills that fit no session, or fit several; and bills or stops that repeat. */
  readonly unmatched: readonly ChargeEvent[];
}

const byTime = (a: ChargeEvent, b: ChargeEvent) => a.atMs - b.atMs || a.receivedAt - b.receivedAt;
const startOf = (s: Building) => s.started?.atMs ?? s.deviceBill?.startMs ?? s.samples[0]?.atMs ?? 0;
const stopOf = (s: Building) => s.stopped?.atMs ?? s.deviceBill?.atMs ?? null;

/** The latest session on `connectorId` started by `atMs` and not stopped before it. */
function sessionAt(sessions: readonly Building[], connectorId: number, atMs: number): Building | undefined {
  let found: Building | undefined;
  for (const s of sessions) {
    const stop = stopOf(s);
    if (s.connectorId !== connectorId || startOf(s) > atMs || (stop !== null && stop < atMs)) continue;
    if (found === undefined || startOf(s) > startOf(found)) found = s;
  }
  return found;
}

// A device bill's start and the StartTransaction's timestamp come from the same clock, but the
// pile may stamp them a moment apart.
const BILL_START_TOLERANCE_MS = 5 * 60_000;

/** The session on the bill's connector that started closest to it, within the tolerance. */
function sessionOfBill(sessions: readonly Building[], bill: DeviceBilled): Building | undefined {
  let found: Building | undefined;
  for (const s of sessions) {
    const distance = Math.abs(startOf(s) - bill.startMs);
    const stop = stopOf(s);
    // A session that ended before the bill's session began, or began after it ended, is another.
    const apart = (stop !== null && stop < bill.startMs) || startOf(s) > bill.atMs;
    if (s.connectorId !== bill.connectorId || distance > BILL_START_TOLERANCE_MS || apart) continue;
    if (found === undefined || distance < Math.abs(startOf(found) - bill.startMs)) found = s;
  }
  return found;
}

function attachBill(sessions: Building[], bill: DeviceBilled, unmatched: ChargeEvent[]): void {
  const byId = sessions.find((s) => s.transactionId !== null && s.transactionId === bill.transactionId);
  const target = byId ?? sessionOfBill(sessions, bill);
  if (target !== undefined && target.deviceBill === null) target.deviceBill = bill;
  else if (target !== undefined) unmatched.push(bill);
  else {
    sessions.push({
      key: billSessionKey(bill.deviceBillNo),
      connectorId: bill.connectorId,
      transactionId: null,
      started: null,
      stopped: null,
      deviceBill: bill,
      samples: [],
    });
  }
}

// A session key is stored (bills.session_key, 128 characters) and the pile chooses its bill
// numbers: one too long to keep whole is kept by its start and a hash of the rest.
const MAX_BILL_NO_IN_KEY = 64;

function billSessionKey(deviceBillNo: string): string {
  if (deviceBillNo.length <= MAX_BILL_NO_IN_KEY) return `bill:${deviceBillNo}`;
  const hash = fnv1a(deviceBillNo).toString(16).padStart(8, '0');
  return `bill:${deviceBillNo.slice(0, MAX_BILL_NO_IN_KEY - 9)}#${hash}`;
}

const lastRegisterOf = (s: Building) => s.samples.at(-1)?.registers.at(-1)?.registerWh;

/** A stop of a transaction we started: false when no session has its transactionId. */
function attachStopById(sessions: Building[], stop: SessionStopped, unmatched: ChargeEvent[]): boolean {
  const target = sessions.find((s) => s.transactionId === stop.transactionId && s.started !== null);
  if (target === undefined) return false;
  // A second, different stop of one transaction is kept as evidence, not applied.
  if (target.stopped === null) target.stopped = stop;
  else unmatched.push(stop);
  return true;
}

/**
 * A stop names no connector: an orphan goes to the one stopless session its register continues
 * (the session's start register, or its last sample's when it has none).
 */
function attachStop(sessions: Building[], stop: SessionStopped, unmatched: ChargeEvent[] | undefined): boolean {
  const candidates = sessions.filter((s) => {
    const startWh = s.started?.meterStartWh ?? s.deviceBill?.registerStartWh ?? lastRegisterOf(s);
    const billStop = s.deviceBill?.registerStopWh;
    return (
      s.stopped === null &&
      startOf(s) <= stop.atMs &&
      (billStop == null ? startWh == null || startWh.lte(stop.meterStopWh) : billStop.eq(stop.meterStopWh))
    );
  });
  const target = candidates.length === 1 ? candidates[0]! : undefined;
  if (target !== undefined && target.stopped === null) {
    target.stopped = stop;
    return true;
  }
  unmatched?.push(stop);
  return false;
}

/** Attaches a sample to its session; false when it names none we know and none fits its time. */
function attachSample(sessions: Building[], sample: Sampled): boolean {
  const byId =
    sample.transactionId === null
      ? undefined
      : sessions.find((s) => s.transactionId === sample.transactionId && s.connectorId === sample.connectorId);
  const target = byId ?? sessionAt(sessions, sample.connectorId, sample.atMs);
  if (target !== undefined) target.samples.push(sample);
  else if (sample.transactionId !== null && sample.transactionId > 0) {
    // MeterValues with a transactionId we never gave: evidence of a session (code 1).
    sessions.push({
      key: `meter:${sample.connectorId}:${sample.transactionId}`,
      connectorId: sample.connectorId,
      transactionId: sample.transactionId,
      started: null,
      stopped: null,
      deviceBill: null,
      samples: [sample],
    });
  } else return false;
  return true;
}

// Samples with no transactionId further apart than this belong to different sessions.
const SAMPLE_SESSION_GAP_MS = 30 * 60_000;

/**
 * Samples no session claims, sent with no transactionId (a pile that skipped StartTransaction
 * and sent no bill): energy went somewhere, so they make sessions of their own, one per run of
 * samples on a connector, keyed by its first sample's time.
 */
function sessionsOfStraySamples(sessions: Building[], stray: readonly Sampled[]): void {
  const open = new Map<number, Building>();
  for (const sample of stray) {
    const current = open.get(sample.connectorId);
    const last = current?.samples.at(-1);
    if (current !== undefined && last !== undefined && sample.atMs - last.atMs <= SAMPLE_SESSION_GAP_MS) {
      current.samples.push(sample);
      continue;
    }
    const session: Building = {
      key: `meter:${sample.connectorId}@${sample.atMs}`,
      connectorId: sample.connectorId,
      transactionId: null,
      started: null,
      stopped: null,
      deviceBill: null,
      samples: [sample],
    };
    sessions.push(session);
    open.set(sample.connectorId, session);
  }
}

export function foldSessions(events: readonly ChargeEvent[]): Fold {
  const ordered = [...events].sort(byTime);
  const sessions: Building[] = [];
  const unmatched: ChargeEvent[] = [];
  for (const e of ordered) {
    if (e.type !== 'started' || sessions.some((s) => s.transactionId === e.transactionId)) continue;
    sessions.push({
      key: `tx:${e.transactionId}`,
      connectorId: e.connectorId,
      transactionId: e.transactionId,
      started: e,
      stopped: null,
      deviceBill: null,
      samples: [],
    });
  }
  // Stops of our transactions first: a bill or a sample after a stop is not that session's.
  const orphans = ordered.filter((e) => e.type === 'stopped').filter((e) => !attachStopById(sessions, e, unmatched));
  for (const e of ordered) if (e.type === 'device-billed') attachBill(sessions, e, unmatched);
  // Orphan stops before samples too; one that fits nothing yet may fit a session of stray
  // samples afterwards.
  const waiting = orphans.filter((e) => !attachStop(sessions, e, undefined));
  const stray = ordered.filter((e) => e.type === 'sampled').filter((e) => !attachSample(sessions, e));
  sessionsOfStraySamples(sessions, stray);
  for (const stop of waiting) attachStop(sessions, stop, unmatched);
  const done = sessions.map((s): Session => ({ ...s, startMs: startOf(s), stopMs: stopOf(s) }));
  return { sessions: done.sort((a, b) => a.startMs - b.startMs || a.key.localeCompare(b.key)), unmatched };
}
