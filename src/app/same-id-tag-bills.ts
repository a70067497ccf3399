// Code 7 across piles (core/rules-id-tag.ts) in the billing use case. A session is judged against
// the stored bills of its idTag on other piles and connectors. Piles are billed one at a time, so
// when a bill changes, the later bills of its idTag were judged against its old figures, or
// before it existed: their piles are billed again.
import type { SessionFacts } from '../core/anomaly.js';
import type { BillingParams } from '../core/billing-params.js';
import {
  idTagWindowOfBill,
  idTagWindowOfSession,
  startsBefore,
  type IdTagBill,
  type IdTagWindow,
} from '../core/rules-id-tag.js';
import type { BillStore, BillVersion } from './ports.js';

type Bills = Pick<BillStore, 'overlappingOfIdTag'>;

const overlapping = (bills: Bills, window: IdTagWindow) => bills.overlappingOfIdTag(window.idTag, window);

/** The bills to judge a session against: not its own, and not void ones, which charge nothing. */
export async function sameIdTagBillsOf(
  bills: Bills,
  facts: SessionFacts,
  params: BillingParams,
  pileId: string,
): Promise<IdTagBill[]> {
  const window = idTagWindowOfSession(facts, params);
  if (window === null) return [];
  const own = (b: BillVersion) => b.pileId === pileId && b.sessionKey === facts.session.key;
  return (await overlapping(bills, window)).filter((b) => b.status !== 'void' && !own(b));
}

/**
 * The piles to bill again because these versions were stored: those holding a bill of the same
 * idTag that starts after the changed bill, over its old span and its new one (a stop that came,
 * or a bill made void, may clear a hold). The pile just billed may be one: a bill on another of
 * its connectors may have been judged before this one changed.
 */
export async function pilesToRebill(
  bills: Bills,
  stored: readonly { readonly previous: BillVersion | undefined; readonly version: BillVersion }[],
  params: BillingParams,
): Promise<string[]> {
  const piles = new Set<string>();
  for (const { previous, version } of stored) {
    const changed = previous === undefined ? [version] : [previous, version];
    const windows = new Map<string, IdTagWindow>();
    for (const bill of changed) {
      const window = idTagWindowOfBill(bill, params);
      if (window !== null) windows.set(JSON.stringify(window), window);
    }
    for (const window of windows.values()) {
      for (const other of await overlapping(bills, window)) {
        const itself = other.pileId === version.pileId && other.sessionKey === version.sessionKey;
        if (!itself && changed.some((bill) => startsBefore(bill, other))) piles.add(other.pileId);
      }
    }
  }
  return [...piles];
}
