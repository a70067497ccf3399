// The billing use case: rebuild a pile's sessions from what the journal holds, bill each with
// the tariff version in force at its start, and store a new immutable version of every bill
// whose figures, codes or status changed (a late bill resolving code 1 or 2, a replayed start).
// Running it again on the same journal stores nothing: replay gives the same bills.
import { billSession, type BillDraft } from '../core/bill.js';
import { retriedBillNumber } from '../core/bill-number.js';
import type { BillingParams } from '../core/billing-params.js';
import type { OfflineSpan, RefusedMessage } from '../core/charge-events.js';
import { sessionFactsOf } from '../core/pile-sessions.js';
import { lostBillDueAt } from '../core/rules-lost-bill.js';
import type { TariffVersion } from '../core/tariff.js';
import { chargeEventsOf, refusedMessagesOf } from './charge-events-of.js';
import type { BillStore, BillVersion, JournalFrame, JournalStore, OfflineLog, PileStore, TxMessage } from './ports.js';
import { pilesToRebill, sameIdTagBillsOf } from './same-id-tag-bills.js';
import { REFUSED_TX_MESSAGE } from './transaction-intake.js';

const PAGE = 10_000;
const OFFLINE_HISTORY = 1_000;
const NUMBER_ATTEMPTS = 5;

export interface BillingDeps {
  readonly journal: JournalStore;
  readonly piles: PileStore;
  readonly offlineLog: OfflineLog;
  readonly bills: BillStore;
  /** The tariff version in force for a station at an instant; undefined when none is bound. */
  readonly tariffAt: (stationId: string, atMs: number) => Promise<TariffVersion | undefined>;
  /** The billing thresholds of the operator running the station. */
  readonly paramsOf: (stationId: string) => Promise<BillingParams>;
  /** How far back sessions are rebuilt on each run, by receive time of their messages. */
  readonly lookbackMs: number;
}

export type PileBillingResult =
  | { readonly ok: false; readonly reason: 'unknown-pile' }
  | {
      readonly ok: true;
      /** New versions stored by this run. */
      readonly stored: readonly BillVersion[];
      /** Sessions left unbilled because their station has no tariff for their start. */
      readonly withoutTariff: readonly string[];
      /**
       * When a session waiting for its final bill falls due for code 1 or 2, the earliest; null
       * when none waits. The pile is billed again then (or sooner, if a message comes).
       */
      readonly recheckAt: number | null;
      /**
       * Other piles (or this one) with a later bill of an idTag whose bill changed in this run:
       * billed again, so that code 7 for one idTag in two places at once follows the change.
       */
      readonly rebill: readonly string[];
    };

/** Pages through a window of the journal: the store caps one read at PAGE rows. */
async function readAll<T extends { receivedAt: number }>(
  read: (fromMs: number) => Promise<readonly T[]>,
  idOf: (item: T) => string,
  fromMs: number,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  for (let from = fromMs; ;) {
    const page = await read(from);
    for (const item of page) if (!seen.has(idOf(item))) (seen.add(idOf(item)), all.push(item));
    if (page.length < PAGE) return all;
    const last = page.at(-1)!.receivedAt;
    // A page full of one millisecond cannot move on: the cap is a broken invariant for a pile.
    if (last === from) throw new Error(`billing: more than ${PAGE} journal rows at ${last}`);
    from = last;
  }
}

/** What makes two versions different: figures, codes and status, not the time they were checked. */
const signature = (b: BillDraft) =>
  JSON.stringify([
    b.stopMs,
    b.energyWh,
    b.energySource,
    b.splitMethod,
    b.tariffId,
    b.tariffVersion,
    b.totalFen,
    b.codes,
    b.status,
    b.lines,
    b.anomalies.map((a) => `${a.code}:${a.rule}`),
  ]);

export function createBilling(deps: BillingDeps) {
  const { journal, bills } = deps;

  async function evidenceOf(
    pileId: string,
    fromMs: number,
  ): Promise<{ tx: TxMessage[]; statuses: JournalFrame[]; offline: OfflineSpan[]; refused: RefusedMessage[] }> {
    const [tx, frames, intervals, refusals] = await Promise.all([
      readAll(
        (from) => journal.txMessages({ pileId, fromMs: from, limit: PAGE }),
        (m) => `${m.kind}/${m.dedupeKey}`,
        fromMs,
      ),
      readAll(
        (from) => journal.frames({ pileId, fromMs: from, limit: PAGE, actions: ['StatusNotification'] }),
        (f) => f.id,
        fromMs,
      ),
      deps.offlineLog.list(pileId, OFFLINE_HISTORY),
      readAll(
        async (from) =>
          (await journal.anomalies({ pileId, fromMs: from, limit: PAGE, kinds: [REFUSED_TX_MESSAGE] })).map((a) => ({
            ...a,
            receivedAt: a.detectedAt,
          })),
        (a) => a.id,
        fromMs,
      ),
    ]);
    return {
      tx,
      statuses: frames,
      offline: intervals.map((i) => ({ fromMs: i.startedAt, toMs: i.endedAt })),
      refused: refusedMessagesOf(refusals),
    };
  }

  return {
    /** Rebuilds and bills one pile's sessions as of `nowMs`. */
    async billPile(pileId: string, nowMs: number): Promise<PileBillingResult> {
      const pile = await deps.piles.get(pileId);
      if (pile === undefined) return { ok: false, reason: 'unknown-pile' };
      const fromMs = nowMs - deps.lookbackMs;
      const [{ tx, statuses, offline, refused }, params] = await Promise.all([
        evidenceOf(pileId, fromMs),
        deps.paramsOf(pile.stationId),
      ]);
      const { facts } = sessionFactsOf(
        { events: chargeEventsOf(tx, statuses), offline, refused, connectors: pile.connectors, nowMs },
        params,
      );
      const latest = new Map((await bills.latestOfPile(pileId)).map((b) => [b.sessionKey, b]));
      const stored: BillVersion[] = [];
      const withoutTariff: string[] = [];
      const store = async (draft: BillDraft, reason: string) => {
        const previous = latest.get(draft.sessionKey);
        if (previous !== undefined && signature(previous) === signature(draft)) return;
        const version: BillVersion = {
          ...draft,
          // A bill keeps its number when an earlier sample, arriving late, moves its start.
          billNo: previous?.billNo ?? draft.billNo,
          pileId,
          stationId: pile.stationId,
          version: (previous?.version ?? 0) + 1,
          reason: previous === undefined ? 'rated' : reason,
          author: 'system',
          createdAt: nowMs,
        };
        if (await bills.append(version)) stored.push(version);
        else if (previous === undefined) await storeUnderAnotherNumber(version);
      };
      // A first version refused: either another node stored this session's bill first (then
      // nothing is left to do), or another session holds the number.
      const storeUnderAnotherNumber = async (version: BillVersion) => {
        for (let attempt = 1; attempt <= NUMBER_ATTEMPTS; attempt++) {
          const mine = (await bills.latestOfPile(pileId)).some((b) => b.sessionKey === version.sessionKey);
          if (mine) return;
          const billNo = retriedBillNumber(version.billNo, pileId, version.sessionKey, attempt);
          if (await bills.append({ ...version, billNo })) {
            stored.push({ ...version, billNo });
            return;
          }
        }
        throw new Error(
          `billing: no free bill number for ${pileId} ${version.sessionKey} after ${NUMBER_ATTEMPTS} tries`,
        );
      };
      const live = new Set<string>();
      let recheckAt: number | null = null;
      for (const f of facts) {
        live.add(f.session.key);
        const tariff = await deps.tariffAt(pile.stationId, f.session.startMs);
        if (tariff === undefined) {
          withoutTariff.push(f.session.key);
          continue;
        }
        const billed = billSession(f, tariff, params, pileId, await sameIdTagBillsOf(bills, f, params, pileId));
        if (!billed.ok) {
          withoutTariff.push(f.session.key);
          continue;
        }
        await store(billed.bill, 'rebuilt');
        const dueAt = lostBillDueAt(f, params);
        if (dueAt !== null && dueAt > nowMs) recheckAt = Math.min(recheckAt ?? dueAt, dueAt);
      }
      // A session the journal no longer yields was merged into another (a late StartTransaction
      // claimed an orphan bill): its bill is voided, so the energy is charged once.
      for (const [key, bill] of latest) {
        if (live.has(key) || bill.status === 'void' || bill.startMs < fromMs) continue;
        await store({ ...bill, status: 'void' }, 'merged-into-another-session');
      }
      const changes = stored.map((version) => ({ previous: latest.get(version.sessionKey), version }));
      const rebill = await pilesToRebill(bills, changes, params);
      return { ok: true, stored, withoutTariff, recheckAt, rebill };
    },
  };
}
