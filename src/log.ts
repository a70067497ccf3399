// pino, JSON by default and human-readable when asked or when writing to a terminal. Secrets
// that can reach a log line (Basic and Bearer credentials, passwords) are redacted.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function createLogger(options: {
  readonly level: string;
  readonly format: 'auto' | 'json' | 'pretty';
  readonly isTerminal: boolean;
}): Logger {
  const base = { level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  const readable = options.format === 'pretty' || (options.format === 'auto' && options.isTerminal);
  return readable ? pino(base, pretty({ colorize: options.isTerminal, sync: true })) : pino(base);
}
