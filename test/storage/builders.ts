// Records with deterministic defaults for the storage tests. Ids count up per test file, so
// they are stable from run to run and never collide inside one file's database.
import type {
  IdTag,
  JournalBatch,
  JournalFrame,
  NewPile,
  NewTransaction,
  ProtocolAnomaly,
  TxMessage,
} from '../../src/app/ports.js';

let counter = 0;

function next(): number {
  counter += 1;
  return counter;
}

/** A 26-character id, like the ULIDs the gateway uses, unique within the test file. */
export function anId(prefix = 'T'): string {
  return `${prefix}${String(next()).padStart(26 - prefix.length, '0')}`;
}

/** A name unique within the test file, for piles, tags and tokens. */
export function aName(prefix: string): string {
  return `${prefix}-${next()}`;
}

export function aPile(overrides: Partial<NewPile> = {}): NewPile {
  return {
    id: aName('CP'),
    stationId: 'station-1',
    dialect: 'robinson',
    connectors: [
      { connectorId: 1, maxPowerW: 60_000 },
      { connectorId: 2, maxPowerW: 60_000 },
    ],
    passwordHash: 'scrypt$salt$hash',
    registeredAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function anIdTag(overrides: Partial<IdTag> = {}): IdTag {
  return { idTag: aName('TAG'), status: 'Accepted', expiresAt: null, parentIdTag: null, label: null, ...overrides };
}

export function aFrame(overrides: Partial<JournalFrame> = {}): JournalFrame {
  return {
    id: anId('F'),
    pileId: 'CP-1',
    connectionId: 'C0000000000000000000000001',
    direction: 'in',
    messageType: 2,
    messageId: 'm-1',
    action: 'Heartbeat',
    receivedAt: 1_700_000_000_000,
    raw: '[2,"m-1","Heartbeat",{}]',
    error: null,
    ...overrides,
  };
}

export function aTxMessage(overrides: Partial<TxMessage> = {}): TxMessage {
  return {
    pileId: 'CP-1',
    kind: 'meter',
    dedupeKey: 'a'.repeat(64),
    journalId: anId('F'),
    connectorId: 1,
    transactionId: 7,
    receivedAt: 1_700_000_000_000,
    payload: '{"registerWh":"1000"}',
    ...overrides,
  };
}

export function anAnomaly(overrides: Partial<ProtocolAnomaly> = {}): ProtocolAnomaly {
  return {
    id: anId('A'),
    pileId: 'CP-1',
    journalId: anId('F'),
    kind: 'meterValue-as-object',
    detail: 'meterValue was an object, not an array',
    detectedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function aBatch(overrides: Partial<JournalBatch> = {}): JournalBatch {
  return { frames: [], txMessages: [], anomalies: [], ...overrides };
}

export function aNewTransaction(overrides: Partial<NewTransaction> = {}): NewTransaction {
  return {
    pileId: 'CP-1',
    connectorId: 1,
    idTag: 'TAG-1',
    authStatus: 'Accepted',
    meterStartWh: 120_000,
    startTimestamp: '2023-11-14T22:13:20.000Z',
    startedAt: 1_700_000_000_000,
    receivedAt: 1_700_000_000_500,
    journalId: anId('F'),
    dedupeKey: 'b'.repeat(64),
    ...overrides,
  };
}
