// The small interfaces the use cases need. Adapters live in src/storage (kysely) and src/cache
// (ioredis, in-process twins); src/main.ts picks them.

import type { AnomalyCode } from '../core/anomaly.js';
import type { AuthorizationStatus } from '../core/authorization.js';
import type { BillDraft, BillStatus } from '../core/bill.js';
import type { BillingOverrides } from '../core/billing-overrides.js';
import type { TariffTerms, TariffVersion } from '../core/tariff.js';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export interface IdGenerator {
  /** A new id, unique across nodes and sortable by creation time (ULID). */
  next(): string;
}

// ---------------------------------------------------------------------------------------------
// Piles and idTags

export const DIALECTS = ['ocpp', 'robinson'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface Connector {
  readonly connectorId: number;
  readonly maxPowerW: number;
}

export interface BootInfo {
  readonly vendor: string;
  readonly model: string;
  readonly serial: string | null;
  readonly firmware: string | null;
  readonly bootedAt: number;
}

export interface Pile {
  readonly id: string;
  readonly stationId: string;
  readonly dialect: Dialect;
  readonly connectors: readonly Connector[];
  readonly passwordHash: string;
  readonly registeredAt: number;
  readonly boot: BootInfo | null;
}

export type NewPile = Omit<Pile, 'boot'>;

export interface PileStore {
  /** Returns false when a pile with this id exists already. */
  create(pile: NewPile): Promise<boolean>;
  get(id: string): Promise<Pile | undefined>;
  list(): Promise<readonly Pile[]>;
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  recordBoot(id: string, boot: BootInfo): Promise<void>;
  remove(id: string): Promise<boolean>;
}

export interface IdTag {
  readonly idTag: string;
  readonly status: 'Accepted' | 'Blocked';
  /** Epoch ms after which the tag is expired; null = never. */
  readonly expiresAt: number | null;
  readonly parentIdTag: string | null;
  readonly label: string | null;
}

export interface IdTagStore {
  upsert(tag: IdTag): Promise<void>;
  get(idTag: string): Promise<IdTag | undefined>;
  list(): Promise<readonly IdTag[]>;
  remove(idTag: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Journal: every frame, raw, before the reply (DESIGN.md §1 principle 1)

export type FrameDirection = 'in' | 'out';

export interface JournalFrame {
  readonly id: string;
  readonly pileId: string;
  readonly connectionId: string;
  readonly direction: FrameDirection;
  /** 2 CALL, 3 CALLRESULT, 4 CALLERROR; null when the frame could not be parsed that far. */
  readonly messageType: number | null;
  readonly messageId: string | null;
  /** The action of a CALL, or of the CALL a result answers, when known. */
  readonly action: string | null;
  readonly receivedAt: number;
  readonly raw: string;
  /** Why the frame was refused (parse, schema, size, unknown action), null when it was fine. */
  readonly error: string | null;
  /**
   * Written only: the gateway's reply to this call, when it was known before the call's group
   * commit began; it is then stored with the call, in one row, before it is sent. Read back,
   * the reply is a frame of its own, listed right after its call.
   */
  readonly reply?: JournalReply | undefined;
}

export interface JournalReply {
  readonly id: string;
  readonly sentAt: number;
  readonly raw: string;
}

export const TX_MESSAGE_KINDS = ['start', 'meter', 'stop', 'device-bill', 'meter-heartbeat'] as const;
export type TxMessageKind = (typeof TX_MESSAGE_KINDS)[number];

/**
 * A transaction-related message, stored once per content (principle 3): a resend with a new
 * message id has the same dedupeKey and is not stored again. The journal keeps every copy.
 */
export interface TxMessage {
  readonly pileId: string;
  readonly kind: TxMessageKind;
  readonly dedupeKey: string;
  readonly journalId: string;
  readonly connectorId: number | null;
  /** As the pile sent it; -1 or an unknown id makes the message an orphan. */
  readonly transactionId: number | null;
  readonly receivedAt: number;
  /** Normalised payload as JSON text. */
  readonly payload: string;
}

export interface ProtocolAnomaly {
  readonly id: string;
  readonly pileId: string;
  readonly journalId: string;
  readonly kind: string;
  readonly detail: string;
  readonly detectedAt: number;
}

export interface JournalBatch {
  readonly frames: readonly JournalFrame[];
  readonly txMessages: readonly TxMessage[];
  readonly anomalies: readonly ProtocolAnomaly[];
}

/**
 * One pile's records in the half-open window fromMs ≤ t < toMs, oldest first, at most `limit`.
 * A reply stored with its call is listed with it, placed by the call's time.
 */
export interface JournalQuery {
  readonly pileId: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit?: number;
  /** Frames only: just the calls and replies of these actions. */
  readonly actions?: readonly string[];
  /** Anomalies only: just these kinds. */
  readonly kinds?: readonly string[];
}

export interface JournalStore {
  /** Commits the whole batch atomically; tx messages whose dedupeKey exists are skipped. */
  commit(batch: JournalBatch): Promise<void>;
  frames(query: JournalQuery): Promise<readonly JournalFrame[]>;
  txMessages(query: JournalQuery): Promise<readonly TxMessage[]>;
  anomalies(query: JournalQuery): Promise<readonly ProtocolAnomaly[]>;
  /** Piles that stored a transaction message at or after fromMs (receive time), each once. */
  pilesWithTxMessagesSince(fromMs: number): Promise<readonly string[]>;
}

// ---------------------------------------------------------------------------------------------
// Transactions

export interface Transaction {
  readonly id: number;
  readonly pileId: string;
  readonly connectorId: number;
  readonly idTag: string;
  readonly authStatus: AuthorizationStatus;
  readonly meterStartWh: number;
  /** The pile's timestamp as sent (ISO 8601) and parsed to epoch ms. */
  readonly startTimestamp: string;
  readonly startedAt: number;
  readonly receivedAt: number;
  readonly journalId: string;
}

export type NewTransaction = Omit<Transaction, 'id'> & { readonly dedupeKey: string };

export interface TransactionStore {
  /**
   * Inserts a transaction unless one with the same dedupeKey exists for the pile; either way
   * returns the stored one. Ids are unique across all piles and never reused.
   */
  start(tx: NewTransaction): Promise<{ readonly transaction: Transaction; readonly created: boolean }>;
  get(pileId: string, id: number): Promise<Transaction | undefined>;
  list(pileId: string, limit: number): Promise<readonly Transaction[]>;
}

// ---------------------------------------------------------------------------------------------
// Presence: who is connected where (cache) and the offline history (database)

export interface PresenceEntry {
  readonly pileId: string;
  readonly nodeId: string;
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly lastSeenAt: number;
}

export interface Presence {
  /** Records a new connection; returns the entry it replaced, if any. */
  connect(entry: PresenceEntry): Promise<PresenceEntry | undefined>;
  /**
   * Moves lastSeenAt forward. False when another connection holds the pile now (a newer socket
   * on any node replaced this one), and then nothing changes.
   */
  touch(pileId: string, connectionId: string, atMs: number): Promise<boolean>;
  /** Removes the entry if it still belongs to this connection; returns whether it did. */
  disconnect(pileId: string, connectionId: string): Promise<boolean>;
  get(pileId: string): Promise<PresenceEntry | undefined>;
  list(): Promise<readonly PresenceEntry[]>;
  /** Entries whose lastSeenAt is strictly before cutoffMs, for the cluster-wide offline sweep. */
  listSilentSince(cutoffMs: number): Promise<readonly PresenceEntry[]>;
}

export interface OfflineInterval {
  readonly pileId: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  /** 'disconnect' (socket closed) or 'silence' (no frame and no pong for k × heartbeat). */
  readonly cause: string;
}

export interface OfflineLog {
  /** Opens an interval unless one is open already. */
  open(pileId: string, atMs: number, cause: string): Promise<void>;
  /** Closes the open interval, if any. */
  close(pileId: string, atMs: number): Promise<void>;
  list(pileId: string, limit: number): Promise<readonly OfflineInterval[]>;
}

// ---------------------------------------------------------------------------------------------
// Remote commands (gateway → pile), routed to the node that holds the pile's socket

export const REMOTE_COMMANDS = [
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ChangeConfiguration',
  'GetConfiguration',
  'Reset',
  'TriggerMessage',
  'UnlockConnector',
  'ChangeAvailability',
] as const;
export type RemoteCommand = (typeof REMOTE_COMMANDS)[number];

export interface CommandRequest {
  readonly pileId: string;
  readonly action: RemoteCommand;
  readonly payload: Record<string, unknown>;
  readonly timeoutMs: number;
}

export type CommandOutcome =
  | { readonly kind: 'answered'; readonly result: Record<string, unknown> }
  | { readonly kind: 'offline' }
  | { readonly kind: 'timeout' }
  /** The payload breaks the OCPP schema of the action; nothing was sent. */
  | { readonly kind: 'invalid'; readonly description: string }
  /** The pile answered with a CALLERROR. */
  | { readonly kind: 'error'; readonly code: string; readonly description: string };

/** What a gateway node does with a command for a pile it holds. */
export type CommandExecutor = (request: CommandRequest) => Promise<CommandOutcome>;

export interface CommandBus {
  /** Called by a gateway node once; commands for piles it holds reach this executor. */
  serve(nodeId: string, executor: CommandExecutor): Promise<void>;
  /** Sends to whichever node holds the pile; 'offline' when none does. */
  send(request: CommandRequest): Promise<CommandOutcome>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Bills: immutable versions of the bill of each session (DESIGN.md §1 principle 6)

/** One version of a bill: the core's draft plus who made it, when and why. */
export interface BillVersion extends BillDraft {
  readonly pileId: string;
  readonly stationId: string;
  /** 1, 2, 3, … per bill. */
  readonly version: number;
  /** Why this version exists: 'rated' for the first, 'rebuilt' when new evidence changed it. */
  readonly reason: string;
  readonly author: string;
  readonly createdAt: number;
}

export interface BillFilter {
  readonly pileId?: string;
  readonly stationId?: string;
  /** Session start in [fromMs, toMs). */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Bills whose latest version carries this code. */
  readonly code?: AnomalyCode;
  readonly status?: BillStatus;
  readonly limit?: number;
}

/** A span of time to find a card's overlapping bills in (BillStore.overlappingOfIdTag). */
export interface BillWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly startedFromMs: number;
}

/** Abnormal bills by code combination ("6,8": codes in ascending order) over a period. */
export interface CodeCombinationCount {
  readonly codes: string;
  readonly bills: number;
}

export interface BillStore {
  /** The latest version of every bill of a pile. */
  latestOfPile(pileId: string): Promise<readonly BillVersion[]>;
  /**
   * Appends a version. Version 1 creates the bill; version n + 1 needs n to be the latest.
   * False when that version exists already (another writer got there first), nothing stored.
   */
  append(version: BillVersion): Promise<boolean>;
  /** Every version of a bill, oldest first; empty when there is no such bill. */
  versions(billNo: string): Promise<readonly BillVersion[]>;
  /** Latest versions matching the filter, by session start, oldest first. */
  list(filter: BillFilter): Promise<readonly BillVersion[]>;
  /**
   * Latest versions of the bills of an idTag whose session [start, stop) meets [fromMs, toMs), a
   * session without a stop counting as running on, among those started at or after
   * startedFromMs; by session start, oldest first.
   */
  overlappingOfIdTag(idTag: string, window: BillWindow): Promise<readonly BillVersion[]>;
  /** Bills with at least one code, by session start in [fromMs, toMs), most common first. */
  codeCombinations(filter: {
    fromMs: number;
    toMs: number;
    stationId?: string;
  }): Promise<readonly CodeCombinationCount[]>;
}

// ---------------------------------------------------------------------------------------------
// Operator API credentials

export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly tokenHash: string;
  readonly createdAt: number;
}

export interface ApiTokenStore {
  create(token: ApiToken): Promise<void>;
  findByHash(tokenHash: string): Promise<ApiToken | undefined>;
  count(): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Health of the adapters, for /readyz

export interface HealthProbe {
  readonly name: string;
  check(): Promise<{ readonly ok: boolean; readonly detail?: string }>;
}

// ---------------------------------------------------------------------------------------------
// Tariffs: versions, and which tariff each station uses from when (DESIGN.md §4)

/** From `effectiveFrom` on, sessions starting at the station are priced by the tariff. */
export interface TariffBinding {
  readonly stationId: string;
  readonly tariffId: string;
  readonly effectiveFrom: number;
  readonly boundAt: number;
}

export interface TariffSummary {
  readonly tariffId: string;
  readonly latestVersion: number;
  /** When the latest version was created. */
  readonly updatedAt: number;
}

export interface TariffStore {
  /**
   * Stores the terms as the tariff's next version: 1 for a new tariff, then 2, 3, …, numbered
   * atomically, so concurrent writers get distinct numbers.
   */
  createVersion(tariffId: string, terms: TariffTerms, createdAt: number): Promise<TariffVersion>;
  /** Every version of a tariff, oldest first; empty when there is no such tariff. */
  versions(tariffId: string): Promise<readonly TariffVersion[]>;
  /** Every tariff with at least one version, by id. */
  tariffs(): Promise<readonly TariffSummary[]>;
  /** False when the station has a binding from this very instant already; nothing stored then. */
  bind(binding: TariffBinding): Promise<boolean>;
  /** A station's bindings, by effectiveFrom, oldest first. */
  bindings(stationId: string): Promise<readonly TariffBinding[]>;
  /** The binding with the greatest effectiveFrom ≤ atMs. */
  bindingAt(stationId: string, atMs: number): Promise<TariffBinding | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Operators: their billing thresholds, and which operator runs each station (DESIGN.md §5)

export interface OperatorRecord {
  readonly id: string;
  readonly name: string;
  /** Only the thresholds the operator set, checked before they were stored. */
  readonly billingOverrides: BillingOverrides;
  readonly updatedAt: number;
}

/** The station is run by the operator since `boundAt`. */
export interface StationOperator {
  readonly stationId: string;
  readonly operatorId: string;
  readonly boundAt: number;
}

export interface OperatorStore {
  /** Creates the operator, or replaces its name and thresholds; true when it is new. */
  put(operator: OperatorRecord): Promise<boolean>;
  get(operatorId: string): Promise<OperatorRecord | undefined>;
  /** Every operator, by id. */
  list(): Promise<readonly OperatorRecord[]>;
  /** Binds the station to the operator, replacing any earlier binding. */
  bindStation(binding: StationOperator): Promise<void>;
  stationOperator(stationId: string): Promise<StationOperator | undefined>;
  /** The operator running the station, if the station is bound to one. */
  operatorOfStation(stationId: string): Promise<OperatorRecord | undefined>;
}
