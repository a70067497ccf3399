import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('configuration from the environment', () => {
  it('when nothing is set, then pilegate runs on embedded SQLite with documented defaults', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      host: '0.0.0.0',
      port: 8180,
      publicHost: 'localhost',
      database: { kind: 'sqlite', path: './data/pilegate.sqlite' },
      redisUrl: undefined,
      heartbeatIntervalS: 60,
      offline: { k: 3, minMs: 90_000 },
      tls: undefined,
    });
    expect(Object.isFrozen(result.config)).toBe(true);
  });

  it('when MYSQL_URL or a mysql DATABASE_URL is set, then MySQL is used', () => {
    const viaMysql = loadConfig({ MYSQL_URL: 'mysql://root@db/p' });
    const viaDatabase = loadConfig({ DATABASE_URL: 'mysql://root@db/q' });
    expect(viaMysql.ok && viaMysql.config.database).toEqual({ kind: 'mysql', url: 'mysql://root@db/p' });
    expect(viaDatabase.ok && viaDatabase.config.database).toEqual({ kind: 'mysql', url: 'mysql://root@db/q' });
  });

  it('when values are wrong, then every problem names its variable', () => {
    const result = loadConfig({
      PORT: 'eighty',
      REDIS_URL: 'http://cache',
      LOG_LEVEL: 'loud',
      TLS_CERT_FILE: 'cert.pem',
      DATABASE_URL: 'postgres://x',
      ADMIN_TOKEN: 'short',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const named = result.problems.map((p) => p.split(':')[0]);
    expect(named.sort()).toEqual(['ADMIN_TOKEN', 'DATABASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_URL', 'TLS_KEY_FILE']);
    expect(result.problems.find((p) => p.startsWith('TLS_KEY_FILE'))).toContain('set both or neither');
  });

  it('when empty strings are set, then they count as unset', () => {
    const result = loadConfig({ REDIS_URL: '', MYSQL_URL: ' ' });
    expect(result.ok && result.config.database.kind).toBe('sqlite');
    expect(result.ok && result.config.redisUrl).toBeUndefined();
  });
});
