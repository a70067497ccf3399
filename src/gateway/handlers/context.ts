import type { Logger } from 'pino';
import type { Quirk } from '../quirks.js';
import type { IdTagRegistry } from '../../app/id-tag-registry.js';
import type { Clock, Pile, PileStore } from '../../app/ports.js';
import type { MessageOrigin, TransactionIntake } from '../../app/transaction-intake.js';
import type { OcppRequests, OcppResponses, PileAction } from '../../../protocol/ocpp16/index.js';

/** What a handler knows about the call it answers. */
export interface CallContext {
  readonly pile: Pile;
  readonly origin: MessageOrigin;
  readonly quirks: readonly Quirk[];
  readonly logger: Logger;
  /**
   * The reply waits for this commit as well as the call's own. For a handler that stores
   * without a lookup (it appends in the call's tick, so joins the call's commit) and returns at
   * once: its reply can then be stored with the call, in one row.
   */
  replyAfter(commit: Promise<void>): void;
}

export interface HandlerDeps {
  readonly clock: Clock;
  readonly piles: PileStore;
  readonly idTags: IdTagRegistry;
  readonly intake: TransactionIntake;
  readonly heartbeatIntervalS: number;
}

export type Handler<A extends PileAction> = (ctx: CallContext, request: OcppRequests[A]) => Promise<OcppResponses[A]>;

/** One handler per pile → gateway action; a missing one is a compile error. */
export type HandlerTable = { readonly [A in PileAction]: Handler<A> };

export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();
