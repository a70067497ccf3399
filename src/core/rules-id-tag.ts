// Code 7 across piles (domain.md §B4): one card or account charging in two places at once — on
// two piles, or on two connectors of one pile — where the operator does not allow an idTag
// concurrent sessions (OCPP's ConcurrentTx). The earlier session keeps its bill; the later one
// is held. Piles are billed one at a time, so the other sessions come in as their stored bills.
import { anomaly, sessionJournalIds, type Anomaly, type AnomalyCode, type SessionFacts } from './anomaly.js';
import type { BillingParams } from './billing-params.js';
import type { Session } from './session-fold.js';

/** Another bill of the session's idTag, as stored: on another pile, or another connector. */
export interface IdTagBill {
  readonly pileId: string;
  readonly billNo: string;
  readonly sessionKey: string;
  readonly connectorId: number;
  readonly idTag: string | null;
  readonly startMs: number;
  /** null while the session runs, or when its stop never came (codes 1, 2). */
  readonly stopMs: number | null;
  readonly codes: readonly AnomalyCode[];
}

/** What orders two sessions: start, then pile, then session key, so one of any two is the later. */
export interface SessionPlace {
  readonly startMs: number;
  readonly pileId: string;
  readonly sessionKey: string;
}

export const startsBefore = (a: SessionPlace, b: SessionPlace): boolean =>
  a.startMs !== b.startMs
    ? a.startMs < b.startMs
    : a.pileId !== b.pileId
      ? a.pileId < b.pileId
      : a.sessionKey < b.sessionKey;

/** The bills of an idTag to compare a session with: those of sessions that may reach into [fromMs, toMs). */
export interface IdTagWindow {
  readonly idTag: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** The earliest start of such a session. */
  readonly startedFromMs: number;
}

/** The card or account that started the session, as its bill records it. */
export const idTagOf = (s: Session): string | null => s.started?.idTag ?? s.deviceBill?.idTag ?? null;

// A session counts for at most maxSessionMs: a longer one is abnormal by itself (code 5), and
// the card's sessions after that are not held for it. This also bounds the look-up.
const endOf = (startMs: number, stopMs: number | null, params: BillingParams) =>
  Math.min(stopMs ?? Number.POSITIVE_INFINITY, startMs + params.maxSessionMs);

/** The window of a bill; null without an idTag (an empty one, as some piles send, is none). */
export function idTagWindowOfBill(
  bill: { readonly idTag: string | null; readonly startMs: number; readonly stopMs: number | null },
  params: BillingParams,
): IdTagWindow | null {
  if (!bill.idTag) return null;
  const { idTag, startMs } = bill;
  return {
    idTag,
    fromMs: startMs,
    toMs: endOf(startMs, bill.stopMs, params),
    startedFromMs: startMs - params.maxSessionMs,
  };
}

/** The window of a session, to its last evidence while it has no stop; null when nothing is compared. */
export function idTagWindowOfSession(facts: SessionFacts, params: BillingParams): IdTagWindow | null {
  if (params.allowConcurrentIdTag) return null;
  const { session } = facts;
  const lastMs = session.stopMs ?? Math.max(session.startMs, ...session.samples.map((s) => s.atMs));
  return idTagWindowOfBill({ idTag: idTagOf(session), startMs: session.startMs, stopMs: lastMs }, params);
}

/** Raised on the later of two sessions, once per earlier bill it overlaps by more than the tolerance. */
export function idTagOverlap(
  facts: SessionFacts,
  others: readonly IdTagBill[],
  params: BillingParams,
  pileId: string,
): Anomaly[] {
  const own = idTagWindowOfSession(facts, params);
  if (own === null) return [];
  const { session } = facts;
  const place = { startMs: session.startMs, pileId, sessionKey: session.key };
  const found: Anomaly[] = [];
  for (const other of others) {
    // Two sessions of one connector are the `overlap` rule's.
    const sameConnector = other.pileId === pileId && other.connectorId === session.connectorId;
    if (other.idTag !== own.idTag || sameConnector || !startsBefore(other, place)) continue;
    // A bill whose stop was lost has no known end: the card is not held for it.
    if (other.stopMs === null && other.codes.some((c) => c === 1 || c === 2)) continue;
    const overlapMs =
      Math.min(endOf(other.startMs, other.stopMs, params), own.toMs) - Math.max(other.startMs, own.fromMs);
    if (overlapMs <= params.overlapToleranceMs) continue;
    found.push(
      anomaly(
        7,
        'same-id-tag-concurrent',
        sessionJournalIds(session),
        { otherBill: other.billNo, otherPile: other.pileId, overlapMs },
        `${params.overlapToleranceMs} ms`,
      ),
    );
  }
  return found;
}
