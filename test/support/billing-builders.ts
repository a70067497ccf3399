// Builders for billing scenarios, with deterministic defaults (STYLE.md habit 14). Times are
// written as Asia/Shanghai wall-clock text ("2019-10-24 14:43:31") and become epoch ms here.
import { billSession, type BillDraft } from '../../src/core/bill.js';
import { DEFAULT_BILLING_PARAMS, type BillingParams } from '../../src/core/billing-params.js';
import type {
  ChargeEvent,
  ConnectorState,
  DeviceBilled,
  OfflineSpan,
  RefusedMessage,
  Sampled,
  SessionStarted,
  SessionStopped,
  StatusChanged,
} from '../../src/core/charge-events.js';
import { Dec } from '../../src/core/decimal.js';
import { sessionFactsOf, type ConnectorLimit } from '../../src/core/pile-sessions.js';
import type { IdTagBill } from '../../src/core/rules-id-tag.js';
import type { TariffVersion } from '../../src/core/tariff.js';
import { validateTariffDraft, type TariffDraft } from '../../src/core/tariff-draft.js';
import { oneSeason } from './tariffs.js';

/** Shanghai wall time → epoch ms. */
export const at = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}+08:00`);

let serial = 0;
const nextId = (prefix: string) => `${prefix}-${String(++serial).padStart(6, '0')}`;

export function aTariff(draft: Partial<TariffDraft> = {}, version = 1): TariffVersion {
  const checked = validateTariffDraft({
    effectiveFrom: at('2019-01-01 00:00:00'),
    prices: { flat: { electricityPerKwh: '1.10000', servicePerKwh: '0.80000' } },
    seasons: oneSeason([{ from: '00:00', to: '24:00', tier: 'flat' }]),
    ...draft,
  });
  if (!checked.ok) throw new Error(`aTariff: ${checked.problems.join('; ')}`);
  return { ...checked.terms, tariffId: 'T1', version, createdAt: 0 };
}

export const TOU_PRICES = {
  peak: { electricityPerKwh: '1.20000', servicePerKwh: '0.80000' },
  flat: { electricityPerKwh: '0.80000', servicePerKwh: '0.60000' },
  valley: { electricityPerKwh: '0.40000', servicePerKwh: '0.40000' },
};

/** Peak 08:00–12:00 and 18:00–22:00, valley 22:00–06:00, flat otherwise. */
export const TOU_PERIODS = [
  { from: '22:00', to: '06:00', tier: 'valley' },
  { from: '06:00', to: '08:00', tier: 'flat' },
  { from: '08:00', to: '12:00', tier: 'peak' },
  { from: '12:00', to: '18:00', tier: 'flat' },
  { from: '18:00', to: '22:00', tier: 'peak' },
];

export function aTouTariff(): TariffVersion {
  return aTariff({ prices: TOU_PRICES, seasons: oneSeason(TOU_PERIODS) });
}

/** Events arrive live unless a receive time is given. */
const live = (atMs: number, receivedAt?: number) => ({ atMs, receivedAt: receivedAt ?? atMs });

export const started = (o: {
  at: number;
  transactionId?: number;
  connectorId?: number;
  meterStartWh: number;
  idTag?: string;
  receivedAt?: number;
}): SessionStarted => ({
  type: 'started',
  journalId: nextId('start'),
  ...live(o.at, o.receivedAt),
  connectorId: o.connectorId ?? 1,
  transactionId: o.transactionId ?? 1,
  idTag: o.idTag ?? 'TAG1',
  meterStartWh: new Dec(o.meterStartWh),
});

export const sampled = (o: {
  at: number;
  registerWh: number | string;
  transactionId?: number | null;
  connectorId?: number;
  receivedAt?: number;
}): Sampled => {
  const journalId = nextId('meter');
  return {
    type: 'sampled',
    journalId,
    ...live(o.at, o.receivedAt),
    connectorId: o.connectorId ?? 1,
    transactionId: o.transactionId === undefined ? 1 : o.transactionId,
    registers: [{ atMs: o.at, registerWh: new Dec(o.registerWh), source: 'meter-values', journalId }],
    power: [],
  };
};

/** Samples every `everyMs` from `fromMs` to `toMs`, the register rising linearly fromWh → toWh. */
export function linearSamples(o: {
  fromMs: number;
  toMs: number;
  everyMs: number;
  fromWh: number;
  toWh: number;
  transactionId?: number | null;
  connectorId?: number;
}): Sampled[] {
  const out: Sampled[] = [];
  for (let t = o.fromMs; t <= o.toMs; t += o.everyMs) {
    const wh = o.fromWh + Math.round(((o.toWh - o.fromWh) * (t - o.fromMs)) / (o.toMs - o.fromMs));
    out.push(sampled({ at: t, registerWh: wh, transactionId: o.transactionId, connectorId: o.connectorId }));
  }
  return out;
}

export const stopped = (o: {
  at: number;
  transactionId?: number;
  meterStopWh: number;
  receivedAt?: number;
}): SessionStopped => ({
  type: 'stopped',
  journalId: nextId('stop'),
  ...live(o.at, o.receivedAt),
  transactionId: o.transactionId ?? 1,
  meterStopWh: new Dec(o.meterStopWh),
  reason: 'Local',
  registers: [],
});

export const deviceBill = (o: {
  startAt: number;
  stopAt: number;
  registerStartWh: number;
  registerStopWh: number;
  energyWh?: number;
  amountFen: number;
  transactionId?: number;
  connectorId?: number;
  receivedAt?: number;
  billNo?: string;
}): DeviceBilled => ({
  type: 'device-billed',
  journalId: nextId('bill'),
  ...live(o.stopAt, o.receivedAt),
  deviceBillNo: o.billNo ?? nextId('DB'),
  transactionId: o.transactionId ?? 1,
  connectorId: o.connectorId ?? 1,
  idTag: 'TAG1',
  startType: 'card',
  startMs: o.startAt,
  registerStartWh: new Dec(o.registerStartWh),
  registerStopWh: new Dec(o.registerStopWh),
  energyWh: new Dec(o.energyWh ?? o.registerStopWh - o.registerStartWh),
  tiers: [],
  amountFen: new Dec(o.amountFen),
  stopReason: 'Local',
});

export const status = (o: {
  at: number;
  state: ConnectorState;
  connectorId?: number;
  receivedAt?: number;
}): StatusChanged => ({
  type: 'status',
  journalId: nextId('status'),
  ...live(o.at, o.receivedAt),
  connectorId: o.connectorId ?? 1,
  state: o.state,
  errorCode: null,
});

export const heartbeatRegister = (o: {
  at: number;
  registerWh: number;
  state?: ConnectorState | null;
  connectorId?: number;
}): ChargeEvent => {
  const journalId = nextId('hb');
  return {
    type: 'register-heartbeat',
    journalId,
    ...live(o.at),
    connectorId: o.connectorId ?? 1,
    state: o.state ?? null,
    reading: { atMs: o.at, registerWh: new Dec(o.registerWh), source: 'meter-heartbeat', journalId },
  };
};

/** A transaction message answered with a CALLERROR at `at`. */
export const refused = (o: {
  at: number;
  action?: string;
  connectorId?: number | null;
  transactionId?: number | null;
}): RefusedMessage => ({
  journalId: nextId('refused'),
  receivedAt: o.at,
  action: o.action ?? 'StopTransaction',
  reason: 'OccurrenceConstraintViolation: must have required property timestamp',
  connectorId: o.connectorId ?? null,
  transactionId: o.transactionId === undefined ? 1 : o.transactionId,
});

export interface Scenario {
  readonly events: readonly ChargeEvent[];
  readonly nowMs: number;
  readonly offline?: readonly OfflineSpan[];
  readonly refused?: readonly RefusedMessage[];
  readonly connectors?: readonly ConnectorLimit[];
  readonly tariff?: TariffVersion;
  readonly params?: Partial<BillingParams>;
  /** The pile billed; P1 unless given. */
  readonly pileId?: string;
  /** Bills of the sessions' idTag on other piles or connectors, as the store holds them. */
  readonly sameIdTag?: readonly IdTagBill[];
}

/** Every session of the scenario, billed. */
export function billsOf(s: Scenario): BillDraft[] {
  const params = { ...DEFAULT_BILLING_PARAMS, ...s.params };
  const { facts } = sessionFactsOf(
    {
      events: s.events,
      offline: s.offline ?? [],
      refused: s.refused ?? [],
      connectors: s.connectors ?? [{ connectorId: 1, maxPowerW: 120_000 }],
      nowMs: s.nowMs,
    },
    params,
  );
  return facts.map((f) => {
    const billed = billSession(f, s.tariff ?? aTariff(), params, s.pileId ?? 'P1', s.sameIdTag);
    if (!billed.ok) throw new Error(billed.detail);
    return billed.bill;
  });
}

/** The one bill of a scenario; fails when there is not exactly one. */
export function theBillOf(s: Scenario): BillDraft {
  const bills = billsOf(s);
  if (bills.length !== 1)
    throw new Error(`expected one bill, got ${bills.length}: ${bills.map((b) => b.sessionKey).join(', ')}`);
  return bills[0]!;
}

/** A live session's events, and each of them by role so a test can name its journal rows. */
export interface ChargingSession {
  readonly started: SessionStarted;
  readonly samples: readonly Sampled[];
  readonly stopped: SessionStopped;
  readonly plugOut: StatusChanged | null;
  readonly stopAt: number;
  readonly events: readonly ChargeEvent[];
}

/**
 * A session that went by the book, everything live: StartTransaction, a sample every 5 minutes
 * from start to stop (the register rising linearly), StopTransaction, and the car unplugged
 * (Available) 2 minutes later. Defaults: 60 minutes, 100 kWh → 130 kWh, transaction 1, connector 1.
 */
export function aChargingSession(o: {
  startAt: number;
  minutes?: number;
  /** Instead of minutes, to the millisecond. */
  durationMs?: number;
  fromWh?: number;
  energyWh?: number;
  transactionId?: number;
  connectorId?: number;
  /** null: no plug-out seen. */
  plugOutAfterMs?: number | null;
}): ChargingSession {
  const stopAt = o.startAt + (o.durationMs ?? (o.minutes ?? 60) * 60_000);
  const fromWh = o.fromWh ?? 100_000;
  const toWh = fromWh + (o.energyWh ?? 30_000);
  const ids = { transactionId: o.transactionId ?? 1, connectorId: o.connectorId ?? 1 };
  const start = started({ at: o.startAt, meterStartWh: fromWh, ...ids });
  const samples = linearSamples({ fromMs: o.startAt, toMs: stopAt, everyMs: 5 * 60_000, fromWh, toWh, ...ids });
  const stop = stopped({ at: stopAt, meterStopWh: toWh, transactionId: ids.transactionId });
  const plugOutAfterMs = o.plugOutAfterMs === undefined ? 2 * 60_000 : o.plugOutAfterMs;
  const plugOut =
    plugOutAfterMs === null
      ? null
      : status({ at: stopAt + plugOutAfterMs, state: 'available', connectorId: ids.connectorId });
  return {
    started: start,
    samples,
    stopped: stop,
    plugOut,
    stopAt,
    events: [start, ...samples, stop, ...(plugOut ? [plugOut] : [])],
  };
}

/**
 * One MeterValues call carrying several samples, each with its own timestamp (OCPP 1.6 §4.7: the
 * request holds a list of meterValue). As in the app's translation, the event's time is its first
 * sample's; it is received when its last sample was taken unless a receive time is given.
 */
export const sampledBatch = (o: {
  readings: readonly { at: number; registerWh: number | string }[];
  transactionId?: number | null;
  connectorId?: number;
  receivedAt?: number;
}): Sampled => {
  const first = o.readings[0];
  const last = o.readings.at(-1);
  if (first === undefined || last === undefined) throw new Error('sampledBatch: a MeterValues call needs a sample');
  const journalId = nextId('meter');
  return {
    type: 'sampled',
    journalId,
    ...live(first.at, o.receivedAt ?? last.at),
    connectorId: o.connectorId ?? 1,
    transactionId: o.transactionId === undefined ? 1 : o.transactionId,
    registers: o.readings.map((r) => ({
      atMs: r.at,
      registerWh: new Dec(r.registerWh),
      source: 'meter-values' as const,
      journalId,
    })),
    power: [],
  };
};

/** The same message sent again after a reconnect: same content, a new journal id, a later receipt. */
export const resent = <E extends ChargeEvent>(event: E, receivedAt: number): E =>
  resentAs(event, nextId('resent'), receivedAt) as E;

function resentAs(event: ChargeEvent, journalId: string, receivedAt: number): ChargeEvent {
  const copy: ChargeEvent = { ...event, journalId, receivedAt };
  switch (copy.type) {
    case 'sampled':
      return {
        ...copy,
        registers: copy.registers.map((r) => ({ ...r, journalId })),
        power: copy.power.map((p) => ({ ...p, journalId })),
      };
    case 'stopped':
      return { ...copy, registers: copy.registers.map((r) => ({ ...r, journalId })) };
    case 'register-heartbeat':
      return { ...copy, reading: { ...copy.reading, journalId } };
    default:
      return copy;
  }
}
