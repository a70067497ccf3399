// Table types for kysely, as migrations/ creates them. Times are epoch ms in BIGINT columns
// (mysql2 returns them as numbers, see database.ts); JSON is stored as text.
import type { Generated } from 'kysely';

export interface PilesTable {
  id: string;
  station_id: string;
  dialect: string;
  /** JSON array of Connector. */
  connectors: string;
  password_hash: string;
  registered_at: number;
  boot_vendor: string | null;
  boot_model: string | null;
  boot_serial: string | null;
  boot_firmware: string | null;
  booted_at: number | null;
}

export interface IdTagsTable {
  id_tag: string;
  status: string;
  expires_at: number | null;
  parent_id_tag: string | null;
  label: string | null;
}

export interface JournalTable {
  id: string;
  pile_id: string;
  connection_id: string;
  direction: string;
  message_type: number | null;
  message_id: string | null;
  action: string | null;
  received_at: number;
  raw: string;
  error: string | null;
  reply_id: string | null;
  reply_at: number | null;
  reply_raw: string | null;
}

export interface TxMessagesTable {
  pile_id: string;
  kind: string;
  dedupe_key: string;
  journal_id: string;
  connector_id: number | null;
  transaction_id: number | null;
  received_at: number;
  payload: string;
}

export interface ProtocolAnomaliesTable {
  id: string;
  pile_id: string;
  journal_id: string;
  kind: string;
  detail: string;
  detected_at: number;
}

export interface TransactionsTable {
  id: Generated<number>;
  pile_id: string;
  connector_id: number;
  id_tag: string;
  auth_status: string;
  meter_start_wh: number;
  start_timestamp: string;
  started_at: number;
  received_at: number;
  journal_id: string;
  dedupe_key: string;
}

export interface OfflineIntervalsTable {
  id: Generated<number>;
  pile_id: string;
  started_at: number;
  ended_at: number | null;
  cause: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  created_at: number;
}

/** One row per bill; every column after latest_version is that version's (for filters, reports). */
export interface BillsTable {
  bill_no: string;
  pile_id: string;
  session_key: string;
  latest_version: number;
  station_id: string;
  status: string;
  /** '6,8'; '' without codes. */
  codes: string;
  /** ',6,8,'; '' without codes. */
  code_set: string;
  start_at: number;
  stop_at: number | null;
  energy_wh: number;
  total_fen: number;
}

export interface BillVersionsTable {
  bill_no: string;
  version: number;
  station_id: string;
  connector_id: number;
  transaction_id: number | null;
  id_tag: string | null;
  start_at: number;
  stop_at: number | null;
  energy_wh: number;
  energy_source: string;
  split_method: string;
  tariff_id: string;
  tariff_version: number;
  total_fen: number;
  codes: string;
  status: string;
  occupancy_ms: number | null;
  /** JSON array of BillLine, decimals as strings. */
  lines_json: string;
  /** JSON array of Anomaly. */
  anomalies_json: string;
  reason: string;
  author: string;
  created_at: number;
}

/** One row per tariff version; decimals are text, exactly as the core's Decimal wrote them. */
export interface TariffVersionsTable {
  tariff_id: string;
  version: number;
  effective_from: number;
  time_zone: string;
  /** JSON object: tier → { electricityPerKwh, servicePerKwh } as decimal strings. */
  prices: string;
  /** JSON array of Season. */
  seasons: string;
  /** JSON array of Holiday. */
  holidays: string;
  /** All three null when the version has no idle fee. */
  idle_free_minutes: number | null;
  idle_price_per_minute: string | null;
  idle_cap_yuan: string | null;
  created_at: number;
}

export interface StationTariffsTable {
  station_id: string;
  effective_from: number;
  tariff_id: string;
  bound_at: number;
}

export interface OperatorsTable {
  id: string;
  name: string;
  /** JSON of the thresholds the operator set (core/billing-overrides.ts). */
  billing_params: string;
  updated_at: number;
}

export interface StationsTable {
  id: string;
  operator_id: string;
  bound_at: number;
}

export interface Database {
  piles: PilesTable;
  id_tags: IdTagsTable;
  journal: JournalTable;
  tx_messages: TxMessagesTable;
  protocol_anomalies: ProtocolAnomaliesTable;
  transactions: TransactionsTable;
  offline_intervals: OfflineIntervalsTable;
  api_tokens: ApiTokensTable;
  tariff_versions: TariffVersionsTable;
  station_tariffs: StationTariffsTable;
  bills: BillsTable;
  bill_versions: BillVersionsTable;
  operators: OperatorsTable;
  stations: StationsTable;
}
