// A 20 kWh session of 2 March 2026 as journal rows, and the billing use case over real stores,
// for the billing use case's storage tests.
import { createBilling, type BillingDeps } from '../../src/app/billing.js';
import type { TxMessage } from '../../src/app/ports.js';
import { at } from '../support/billing-builders.js';
import { anId } from './builders.js';

export const startAt = at('2026-03-02 09:00:00');
export const stopAt = at('2026-03-02 09:40:00');
/**
 * The card charging on a pile in these tests: each pile its own, as one card charging on two
 * piles at once is code 7.
 */
export const cardOf = (pileId: string) => `CARD-${pileId}`;
/** When the tests bill: an hour after the stop. */
export const nowMs = stopAt + 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export function aTxMessage(
  pileId: string,
  kind: TxMessage['kind'],
  payload: object,
  o: Partial<TxMessage> = {},
): TxMessage {
  const journalId = anId('J');
  return {
    pileId,
    kind,
    dedupeKey: journalId.padEnd(64, '0'),
    journalId,
    connectorId: 1,
    transactionId: null,
    receivedAt: nowMs - 60_000,
    payload: JSON.stringify(payload),
    ...o,
  };
}

/**
 * The pile's own bill of a 20 kWh session, priced as the tariff does: by the pile's card, 40
 * minutes on a 60 kW connector, unless told otherwise.
 */
export const deviceBill = (pileId: string, o: { card?: string; fromMs?: number; toMs?: number } = {}) =>
  aTxMessage(pileId, 'device-bill', {
    deviceBillNo: '20260302090000000001',
    transactionId: -1,
    connectorId: 1,
    idTag: o.card ?? cardOf(pileId),
    startType: 'card',
    startTime: iso(o.fromMs ?? startAt),
    stopTime: iso(o.toMs ?? stopAt),
    registerStartWh: 500_000,
    registerStopWh: 520_000,
    energyWh: 20_000,
    tiers: [],
    amountFen: 3_800,
    stopReason: 'Local',
  });

/** The billing use case over `stores`, rebuilding a week back. */
export const billingOver = (
  stores: Pick<BillingDeps, 'journal' | 'piles' | 'offlineLog' | 'bills'>,
  o: Pick<BillingDeps, 'tariffAt' | 'paramsOf'>,
) =>
  createBilling({
    journal: stores.journal,
    piles: stores.piles,
    offlineLog: stores.offlineLog,
    bills: stores.bills,
    lookbackMs: 7 * 24 * 3_600_000,
    ...o,
  });
