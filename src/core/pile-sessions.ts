// One pile's events made into the facts the billing rules read: sessions folded, a register
// timeline per connector from every reading of it (samples, heartbeats, the pile's own start
// and stop registers), and each session's energy, times and neighbours.
import type { SessionFacts } from './anomaly.js';
import type { BillingParams } from './billing-params.js';
import type { ChargeEvent, OfflineSpan, RefusedMessage } from './charge-events.js';
import type { RegisterReading } from './meter-readings.js';
import { buildRegisterTimeline, type RegisterTimeline } from './register-timeline.js';
import { measureEnergy } from './session-energy.js';
import { foldSessions, type Session } from './session-fold.js';
import { connectorStatuses, sessionTimes, type ConnectorStatus } from './session-times.js';

export interface ConnectorLimit {
  readonly connectorId: number;
  readonly maxPowerW: number;
}

export interface PileEvidence {
  readonly events: readonly ChargeEvent[];
  readonly offline: readonly OfflineSpan[];
  /** Transaction messages we answered with a CALLERROR; none when left out. */
  readonly refused?: readonly RefusedMessage[];
  readonly connectors: readonly ConnectorLimit[];
  readonly nowMs: number;
}

/** Readings of a session that only the session knows the connector of (a stop names none). */
function sessionReadings(s: Session): RegisterReading[] {
  const readings: RegisterReading[] = [];
  if (s.started)
    readings.push({
      atMs: s.started.atMs,
      registerWh: s.started.meterStartWh,
      source: 'meter-start',
      journalId: s.started.journalId,
    });
  if (s.stopped) {
    readings.push(...s.stopped.registers);
    readings.push({
      atMs: s.stopped.atMs,
      registerWh: s.stopped.meterStopWh,
      source: 'meter-stop',
      journalId: s.stopped.journalId,
    });
  }
  const bill = s.deviceBill;
  if (bill?.registerStartWh)
    readings.push({
      atMs: bill.startMs,
      registerWh: bill.registerStartWh,
      source: 'device-bill',
      journalId: bill.journalId,
    });
  if (bill?.registerStopWh)
    readings.push({
      atMs: bill.atMs,
      registerWh: bill.registerStopWh,
      source: 'device-bill',
      journalId: bill.journalId,
    });
  return readings;
}

/** When the first message of a session reached us. */
function firstReceivedAt(s: Session): number {
  let first = s.started?.receivedAt ?? s.deviceBill?.receivedAt ?? Infinity;
  for (const sample of s.samples) first = Math.min(first, sample.receivedAt);
  return first;
}

/**
 * The session a refused message belongs to: the one with the transaction id it named; when it
 * named none, the latest one on its connector (any connector when it named none either) whose
 * first message came before it.
 */
function sessionOfRefused(sessions: readonly Session[], refused: RefusedMessage): Session | undefined {
  if (refused.transactionId !== null) return sessions.find((s) => s.transactionId === refused.transactionId);
  let found: Session | undefined;
  for (const s of sessions) {
    if (refused.connectorId !== null && s.connectorId !== refused.connectorId) continue;
    const first = firstReceivedAt(s);
    if (first <= refused.receivedAt && (found === undefined || first > firstReceivedAt(found))) found = s;
  }
  return found;
}

function maxPowerOf(connectors: readonly ConnectorLimit[], connectorId: number): number {
  const own = connectors.find((c) => c.connectorId === connectorId)?.maxPowerW;
  // A connector the pile record does not list is judged by the pile's strongest one.
  return own ?? Math.max(0, ...connectors.map((c) => c.maxPowerW));
}

export function sessionFactsOf(
  evidence: PileEvidence,
  params: BillingParams,
): { facts: SessionFacts[]; unmatched: readonly ChargeEvent[] } {
  const { sessions, unmatched } = foldSessions(evidence.events);
  const readings = new Map<number, RegisterReading[]>();
  const add = (connectorId: number, list: readonly RegisterReading[]) => {
    const own = readings.get(connectorId);
    if (own === undefined) readings.set(connectorId, [...list]);
    else for (const reading of list) own.push(reading);
  };
  for (const e of evidence.events) {
    if (e.type === 'sampled') add(e.connectorId, e.registers);
    else if (e.type === 'register-heartbeat') add(e.connectorId, [e.reading]);
  }
  for (const s of sessions) add(s.connectorId, sessionReadings(s));
  const timelines = new Map<number, RegisterTimeline>();
  const timelineOf = (connectorId: number) => {
    let timeline = timelines.get(connectorId);
    if (timeline === undefined) {
      const maxPowerW = maxPowerOf(evidence.connectors, connectorId);
      timeline = buildRegisterTimeline(readings.get(connectorId) ?? [], {
        maxPowerW: Math.max(1, maxPowerW),
        powerMargin: params.powerMargin,
        slackWh: params.slackWh,
      });
      timelines.set(connectorId, timeline);
    }
    return timeline;
  };
  const statusesByConnector = new Map<number, ConnectorStatus[]>();
  const statusesOf = (connectorId: number) => {
    let statuses = statusesByConnector.get(connectorId);
    if (statuses === undefined) {
      statuses = connectorStatuses(evidence.events, connectorId);
      statusesByConnector.set(connectorId, statuses);
    }
    return statuses;
  };
  const refusedBySession = new Map<Session, RefusedMessage[]>();
  for (const refused of [...(evidence.refused ?? [])].sort((a, b) => a.receivedAt - b.receivedAt)) {
    const session = sessionOfRefused(sessions, refused);
    if (session === undefined) continue;
    const list = refusedBySession.get(session);
    if (list === undefined) refusedBySession.set(session, [refused]);
    else list.push(refused);
  }
  const facts = sessions.map((session): SessionFacts => {
    const timeline = timelineOf(session.connectorId);
    const statuses = statusesOf(session.connectorId);
    return {
      session,
      maxPowerW: maxPowerOf(evidence.connectors, session.connectorId),
      energy: measureEnergy(session, timeline, params.energyPrecedence),
      times: sessionTimes(session, statuses, evidence.offline, evidence.nowMs),
      timeline,
      statuses,
      neighbours: sessions.filter((n) => n.connectorId === session.connectorId && n !== session),
      offline: evidence.offline,
      refused: refusedBySession.get(session) ?? [],
      nowMs: evidence.nowMs,
    };
  });
  return { facts, unmatched };
}
