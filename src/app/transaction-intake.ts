// Transaction messages in, stored once by content (DESIGN.md §1 principles 2 and 3). Nothing
// here refuses a message: data that looks wrong is stored as it came and flagged with a
// protocol anomaly; the billing engine decides what it means.
import { canonicalJson, contentKey, keyOfCanonical } from './content-key.js';
import type { IdTagInfo, IdTagRegistry } from './id-tag-registry.js';
import type { JournalWriter } from './journal-writer.js';
import type { IdGenerator, ProtocolAnomaly, TransactionStore, TxMessage, TxMessageKind } from './ports.js';

/** Where a message came from: the pile, its journal row, when it arrived. */
const INT32_MAX = 2_147_483_647;
/** Whether an id fits the 32-bit integer columns of the journal and the bills. */
export const isInt32 = (n: number) => Number.isInteger(n) && n >= -INT32_MAX - 1 && n <= INT32_MAX;

export interface MessageOrigin {
  readonly pileId: string;
  readonly journalId: string;
  readonly receivedAt: number;
}

export interface StartInput {
  readonly connectorId: number;
  readonly idTag: string;
  readonly meterStartWh: number;
  readonly timestamp: string;
}

export interface StopInput {
  readonly transactionId: number;
  readonly meterStopWh: number;
  readonly timestamp: string;
  readonly idTag: string | undefined;
  /** The whole message, normalised, kept as the stored payload. */
  readonly payload: Record<string, unknown>;
}

/** A protocol anomaly found in the message journaled at `origin`. */
export function protocolAnomaly(
  ids: IdGenerator,
  origin: MessageOrigin,
  kind: string,
  detail: unknown,
): ProtocolAnomaly {
  return {
    id: ids.next(),
    pileId: origin.pileId,
    journalId: origin.journalId,
    kind,
    detail: JSON.stringify(detail),
    detectedAt: origin.receivedAt,
  };
}

/** The protocol anomaly of a transaction message answered with a CALLERROR. */
export const REFUSED_TX_MESSAGE = 'tx-message-refused';

/** Actions that carry a transaction's data: refusing one may lose it (domain.md §B4, code 1). */
const TRANSACTION_ACTIONS: ReadonlySet<string> = new Set([
  'StartTransaction',
  'StopTransaction',
  'MeterValues',
  'DataTransfer',
]);

/** What a refused frame named, where it named an integer id; it failed the schema, so anything goes. */
function idNamed(params: unknown, field: 'connectorId' | 'transactionId'): number | null {
  if (params === null || typeof params !== 'object') return null;
  const value = (params as Record<string, unknown>)[field];
  return typeof value === 'number' && isInt32(value) ? value : null;
}

export interface TransactionIntake {
  start(origin: MessageOrigin, input: StartInput): Promise<{ transactionId: number; idTagInfo: IdTagInfo }>;
  stop(origin: MessageOrigin, input: StopInput): Promise<{ idTagInfo: IdTagInfo | undefined }>;
  /**
   * Records a message whose reply needs no lookup (MeterValues, Robinson data). Appended in the
   * same tick as its frame, it joins the frame's group commit; the promise is that commit.
   */
  record(
    origin: MessageOrigin,
    message: { kind: TxMessageKind; connectorId: number | null; transactionId: number | null; payload: unknown },
    anomalies?: readonly { kind: string; detail: unknown }[],
  ): Promise<void>;
  /**
   * A call refused with a CALLERROR before any handler saw it. A transaction message is
   * recorded as a protocol anomaly and its pile billed again, so that its session gets code 1 at
   * once; other actions are left to the journal. `params` is what the frame held, if it parsed.
   */
  refused(origin: MessageOrigin, call: { action: string | null; reason: string; params: unknown }): void;
}

export function createTransactionIntake(deps: {
  readonly transactions: TransactionStore;
  readonly idTags: IdTagRegistry;
  readonly journal: JournalWriter;
  readonly ids: IdGenerator;
  /** Told of a pile whose session started, stopped or was billed by the pile, once committed. */
  readonly touched: (pileId: string) => void;
}): TransactionIntake {
  const { transactions, idTags, journal, ids, touched } = deps;

  const anomaly = (origin: MessageOrigin, kind: string, detail: unknown) => protocolAnomaly(ids, origin, kind, detail);

  /**
   * The message to store; an id the journal's 32-bit columns cannot hold is stored as null and
   * flagged in `anomalies` (its raw frame keeps it). One pile's oversized id must not fail the
   * group commit that holds every other pile's frames.
   */
  const txMessage = (
    origin: MessageOrigin,
    kind: TxMessageKind,
    connectorId: number | null,
    transactionId: number | null,
    payload: unknown,
    anomalies: ProtocolAnomaly[],
  ): TxMessage => {
    const storable = (field: string, value: number | null) => {
      if (value === null || isInt32(value)) return value;
      anomalies.push(anomaly(origin, 'id-out-of-range', { field, value }));
      return null;
    };
    // Stored as its canonical JSON, the text its key is made of.
    const canonical = canonicalJson(payload);
    return {
      pileId: origin.pileId,
      kind,
      dedupeKey: keyOfCanonical(canonical),
      journalId: origin.journalId,
      connectorId: storable('connectorId', connectorId),
      transactionId: storable('transactionId', transactionId),
      receivedAt: origin.receivedAt,
      payload: canonical,
    };
  };

  return {
    async start(origin, input) {
      const idTagInfo = await idTags.authorize(input.idTag);
      const startedAt = Date.parse(input.timestamp);
      // The pile's own view of the start, not the message id: a resend after a reconnect
      // carries a new message id but the same content (principle 3).
      const dedupeKey = contentKey({
        connectorId: input.connectorId,
        idTag: input.idTag,
        meterStart: input.meterStartWh,
        startedAt,
      });
      const { transaction } = await transactions.start({
        pileId: origin.pileId,
        connectorId: input.connectorId,
        idTag: input.idTag,
        authStatus: idTagInfo.status,
        meterStartWh: input.meterStartWh,
        startTimestamp: input.timestamp,
        startedAt,
        receivedAt: origin.receivedAt,
        journalId: origin.journalId,
        dedupeKey,
      });
      const anomalies: ProtocolAnomaly[] = [];
      await journal.append({
        txMessages: [txMessage(origin, 'start', input.connectorId, transaction.id, { ...input, startedAt }, anomalies)],
        anomalies,
      });
      touched(origin.pileId);
      return { transactionId: transaction.id, idTagInfo };
    },

    async stop(origin, input) {
      const [transaction, idTagInfo] = await Promise.all([
        input.transactionId === -1 ? undefined : transactions.get(origin.pileId, input.transactionId),
        input.idTag === undefined ? undefined : idTags.authorize(input.idTag),
      ]);
      const anomalies: ProtocolAnomaly[] = [];
      if (transaction === undefined) {
        // Kept as an orphan and matched later by connector, registers and time — never guessed
        // here (domain.md §A1.7).
        anomalies.push(anomaly(origin, 'orphan-stop', { transactionId: input.transactionId }));
      } else if (input.meterStopWh < transaction.meterStartWh) {
        anomalies.push(
          anomaly(origin, 'meter-stop-below-start', {
            transactionId: transaction.id,
            meterStartWh: transaction.meterStartWh,
            meterStopWh: input.meterStopWh,
          }),
        );
      }
      const stop = txMessage(
        origin,
        'stop',
        transaction?.connectorId ?? null,
        input.transactionId,
        input.payload,
        anomalies,
      );
      await journal.append({ txMessages: [stop], anomalies });
      touched(origin.pileId);
      return { idTagInfo };
    },

    refused(origin, { action, reason, params }) {
      if (action === null || !TRANSACTION_ACTIONS.has(action)) return;
      const detail = {
        action,
        reason,
        connectorId: idNamed(params, 'connectorId'),
        transactionId: idNamed(params, 'transactionId'),
      };
      journal.append({ anomalies: [anomaly(origin, REFUSED_TX_MESSAGE, detail)] }).then(
        () => touched(origin.pileId),
        () => undefined,
      );
    },

    record(origin, message, found = []) {
      const anomalies = found.map((a) => anomaly(origin, a.kind, a.detail));
      const { kind, connectorId, transactionId, payload } = message;
      const committed = journal.append({
        txMessages: [txMessage(origin, kind, connectorId, transactionId, payload, anomalies)],
        anomalies,
      });
      // A pile's own bill ends a session: bill it. Samples and heartbeats only keep a session
      // going; its start, stop or bill (or the wait for them) gets it billed, and billing every
      // pile on every sample would compete with the samples themselves.
      if (message.kind === 'device-bill') {
        committed.then(
          () => touched(origin.pileId),
          () => undefined,
        );
      }
      return committed;
    },
  };
}
