// When a session ran, as the pile says and as the server saw it, how long the car stayed
// plugged in after charging, and which offline stretches touched it (domain.md §B2.5).
import type { ChargeEvent, ConnectorState, OfflineSpan } from './charge-events.js';
import type { Session } from './session-fold.js';

export interface ConnectorStatus {
  readonly atMs: number;
  readonly state: ConnectorState;
  readonly journalId: string;
}

export interface SessionTimes {
  /** Pile's stop − start; null while the session has no stop. */
  readonly durationMs: number | null;
  /** Server receive time of the stop − of the start, when both came live. */
  readonly platformDurationMs: number | null;
  /** First plug-out (Available) at or after the stop. */
  readonly plugOut: ConnectorStatus | null;
  /** Plug-out − stop; null when unknown (no plug-out yet, or the pile was offline in between). */
  readonly occupancyMs: number | null;
  /** Offline stretches between the session's start and its stop (or `nowMs`). */
  readonly offline: readonly OfflineSpan[];
}

/** The connector's statuses, from StatusNotification and Robinson heartbeats, in time order. */
export function connectorStatuses(events: readonly ChargeEvent[], connectorId: number): ConnectorStatus[] {
  const statuses: ConnectorStatus[] = [];
  for (const e of events) {
    if (e.type === 'status' && e.connectorId === connectorId) statuses.push(e);
    else if (e.type === 'register-heartbeat' && e.connectorId === connectorId && e.state !== null)
      statuses.push({ atMs: e.atMs, state: e.state, journalId: e.journalId });
  }
  return statuses.sort((a, b) => a.atMs - b.atMs);
}

const overlaps = (span: OfflineSpan, fromMs: number, toMs: number) =>
  span.fromMs <= toMs && (span.toMs ?? Infinity) >= fromMs;

/**
 * A message is replayed when the pile was offline between the time it states and the time it
 * reached us: it sat in the pile's queue (OCPP 1.6 §4.2.1), so its old timestamp is normal.
 */
export const isReplayed = (event: { atMs: number; receivedAt: number }, offline: readonly OfflineSpan[]) =>
  offline.some((s) => s.toMs !== null && s.toMs >= event.atMs && s.toMs <= event.receivedAt);

export function sessionTimes(
  session: Session,
  statuses: readonly ConnectorStatus[],
  offline: readonly OfflineSpan[],
  nowMs: number,
): SessionTimes {
  const { started, stopped } = session;
  const fromMs = Math.min(session.startMs, started?.receivedAt ?? session.startMs);
  const toMs = session.stopMs === null ? nowMs : Math.max(session.stopMs, stopped?.receivedAt ?? session.stopMs);
  const touching = offline.filter((s) => overlaps(s, fromMs, toMs));
  const live = (e: { atMs: number; receivedAt: number } | null) => e !== null && !isReplayed(e, offline);
  const stopMs = session.stopMs;
  const plugOut = stopMs === null ? null : (statuses.find((s) => s.atMs >= stopMs && s.state === 'available') ?? null);
  const occupancyKnown = stopMs !== null && plugOut !== null && !offline.some((s) => overlaps(s, stopMs, plugOut.atMs));
  return {
    durationMs: stopMs === null ? null : stopMs - session.startMs,
    platformDurationMs:
      started !== null && stopped !== null && live(started) && live(stopped)
        ? stopped.receivedAt - started.receivedAt
        : null,
    plugOut,
    occupancyMs: occupancyKnown ? plugOut!.atMs - stopMs! : null,
    offline: touching,
  };
}
