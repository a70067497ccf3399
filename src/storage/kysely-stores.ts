import type {
  ApiTokenStore,
  BillStore,
  IdTagStore,
  JournalStore,
  OfflineLog,
  OperatorStore,
  PileStore,
  TransactionStore,
} from '../app/ports.js';
import { createKyselyApiTokenStore } from './kysely-api-token-store.js';
import { createKyselyBillStore } from './kysely-bill-store.js';
import { createKyselyIdTagStore } from './kysely-id-tag-store.js';
import { createKyselyJournalStore } from './kysely-journal-store.js';
import { createKyselyOfflineLog } from './kysely-offline-log.js';
import { createKyselyOperatorStore } from './kysely-operator-store.js';
import { createKyselyPileStore } from './kysely-pile-store.js';
import { createKyselyTransactionStore } from './kysely-transaction-store.js';
import type { SqlDatabase } from './database.js';
import type { TariffStore } from '../app/ports.js';
import { createKyselyTariffStore } from './kysely-tariff-store.js';

export interface KyselyStores {
  readonly piles: PileStore;
  readonly idTags: IdTagStore;
  readonly journal: JournalStore;
  readonly transactions: TransactionStore;
  readonly offlineLog: OfflineLog;
  readonly apiTokens: ApiTokenStore;
  readonly tariffs: TariffStore;
  readonly bills: BillStore;
  readonly operators: OperatorStore;
  /** How many journal commits to run at once (app/journal-writer.ts). */
  readonly journalCommitsInFlight: number;
}

export function createKyselyStores(database: Pick<SqlDatabase, 'db' | 'bulk' | 'commitsInFlight'>): KyselyStores {
  const { db, bulk } = database;
  return Object.freeze({
    piles: createKyselyPileStore(db),
    idTags: createKyselyIdTagStore(db),
    journal: createKyselyJournalStore(db, bulk),
    transactions: createKyselyTransactionStore(db),
    offlineLog: createKyselyOfflineLog(db),
    apiTokens: createKyselyApiTokenStore(db),
    tariffs: createKyselyTariffStore(db),
    bills: createKyselyBillStore(db),
    operators: createKyselyOperatorStore(db),
    journalCommitsInFlight: database.commitsInFlight,
  });
}
