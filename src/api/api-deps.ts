// Everything the operator API needs, as one object built by the composition root (STYLE.md
// habit 7). Only use cases and read ports: the API never reaches a store's writes directly.
import type { Logger } from 'pino';
import type { ApiTokens } from '../app/api-tokens.js';
import type { IdTagRegistry } from '../app/id-tag-registry.js';
import type { OperatorBook } from '../app/operator-book.js';
import type { PileRegistry } from '../app/pile-registry.js';
import type { PileStatusQuery } from '../app/pile-status.js';
import type { BillStore, HealthProbe, JournalStore, TransactionStore } from '../app/ports.js';
import type { RemoteCommands } from '../app/remote-commands.js';
import type { TariffBook } from '../app/tariff-book.js';

export interface ApiDeps {
  /** The caller's child logger; the API adds its own redaction. */
  readonly logger: Logger;
  /**
   * TLS for the one HTTP server the API and OCPP share: with it, piles connect over wss
   * (OCPP security profile 2) and operators over https. Absent: plain HTTP.
   */
  readonly https?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  readonly piles: PileRegistry;
  readonly idTags: IdTagRegistry;
  readonly commands: RemoteCommands;
  readonly tokens: ApiTokens;
  readonly pileStatus: PileStatusQuery;
  readonly journal: Pick<JournalStore, 'frames' | 'txMessages' | 'anomalies'>;
  readonly transactions: Pick<TransactionStore, 'list'>;
  readonly tariffs: TariffBook;
  readonly operators: OperatorBook;
  readonly bills: Pick<BillStore, 'list' | 'versions' | 'codeCombinations'>;
  /** Run by /readyz: the database, and Redis when configured. */
  readonly health: readonly HealthProbe[];
  /** Largest accepted request body; DEFAULT_MAX_BODY_BYTES when absent. */
  readonly maxBodyBytes?: number;
}
