// Configuration from the environment, validated once at start. Only src/main.ts passes
// the environment in; everything else receives the frozen Config.
import { z } from 'zod';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: int(0, 65535).default(8180),
  PUBLIC_HOST: optionalText,
  MYSQL_URL: optionalText.refine((v) => v === undefined || v.startsWith('mysql://'), 'must start with mysql://'),
  DATABASE_URL: optionalText.refine(
    (v) => v === undefined || v.startsWith('mysql://'),
    'only mysql:// URLs are supported; for SQLite set SQLITE_PATH',
  ),
  SQLITE_PATH: z.string().default('./data/pilegate.sqlite'),
  REDIS_URL: optionalText.refine(
    (v) => v === undefined || /^rediss?:\/\//.test(v),
    'must start with redis:// or rediss://',
  ),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  NODE_ID: optionalText,
  HEARTBEAT_INTERVAL_S: int(1, 86_400).default(60),
  OFFLINE_AFTER_HEARTBEATS: int(1, 100).default(3),
  OFFLINE_MIN_S: int(0, 86_400).default(90),
  PING_INTERVAL_S: int(0, 86_400).default(30),
  MAX_FRAME_BYTES: int(1024, 16 * 1024 * 1024).default(1024 * 1024),
  MAX_BAD_FRAMES: int(1, 10_000).default(10),
  COMMAND_TIMEOUT_MS: int(100, 120_000).default(30_000),
  ADMIN_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  TLS_CERT_FILE: optionalText,
  TLS_KEY_FILE: optionalText,
  PILE_PASSWORD_COST: int(10, 20).default(12),
  BILLING_INTERVAL_S: int(1, 86_400).default(30),
  BILLING_LOOKBACK_H: int(1, 24 * 366).default(168),
});

export interface Config {
  readonly host: string;
  readonly port: number;
  /** Host name printed in the URLs shown at start. */
  readonly publicHost: string;
  readonly database:
    { readonly kind: 'mysql'; readonly url: string } | { readonly kind: 'sqlite'; readonly path: string };
  readonly redisUrl: string | undefined;
  readonly log: { readonly level: string; readonly format: 'auto' | 'json' | 'pretty' };
  readonly nodeId: string | undefined;
  readonly heartbeatIntervalS: number;
  readonly offline: { readonly k: number; readonly minMs: number };
  readonly pingIntervalS: number;
  readonly maxFrameBytes: number;
  readonly maxBadFrames: number;
  readonly commandTimeoutMs: number;
  readonly adminToken: string | undefined;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly pilePasswordCost: number;
  readonly billing: { readonly intervalMs: number; readonly lookbackMs: number };
}

export type ConfigResult =
  { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly problems: string[] };

const isSet = (value: string | undefined) => value !== undefined && value.trim() !== '';

/** Rules across variables, checked on the raw values so they are reported with the rest. */
function crossProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  if (isSet(env.TLS_CERT_FILE) === isSet(env.TLS_KEY_FILE)) return [];
  const missing = isSet(env.TLS_CERT_FILE) ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
  return [`${missing}: TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither`];
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const parsed = schema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...crossProblems(env),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const e = parsed.data;
  const mysqlUrl = e.MYSQL_URL ?? e.DATABASE_URL;
  const config: Config = {
    host: e.HOST,
    port: e.PORT,
    publicHost: e.PUBLIC_HOST ?? (e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST),
    database: mysqlUrl !== undefined ? { kind: 'mysql', url: mysqlUrl } : { kind: 'sqlite', path: e.SQLITE_PATH },
    redisUrl: e.REDIS_URL,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    nodeId: e.NODE_ID,
    heartbeatIntervalS: e.HEARTBEAT_INTERVAL_S,
    offline: { k: e.OFFLINE_AFTER_HEARTBEATS, minMs: e.OFFLINE_MIN_S * 1000 },
    pingIntervalS: e.PING_INTERVAL_S,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    maxBadFrames: e.MAX_BAD_FRAMES,
    commandTimeoutMs: e.COMMAND_TIMEOUT_MS,
    adminToken: e.ADMIN_TOKEN,
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
    pilePasswordCost: e.PILE_PASSWORD_COST,
    billing: { intervalMs: e.BILLING_INTERVAL_S * 1000, lookbackMs: e.BILLING_LOOKBACK_H * 3_600_000 },
  };
  return { ok: true, config: Object.freeze(config) };
}
