// The layout and dependency rules of DESIGN.md §2: a failing case names the file and the
// import that crosses a line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function sourceFiles(folder: string): string[] {
  const dir = join(root, folder);
  try {
    statSync(dir);
  } catch {
    return [];
  }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Each import of a file as a project folder ("src/core") or a package name ("kysely"). */
function importsOf(file: string): { spec: string; target: string }[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    if (!spec.startsWith('.')) {
      const parts = spec.split('/');
      return { spec, target: spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]! };
    }
    // src/core/x.js → src/core, src/log.js → src/log, protocol/robinson/index.js → protocol
    const segments = relative(root, resolve(root, dirname(file), spec))
      .replace(/\.(js|ts|json)$/, '')
      .split('/');
    return { spec, target: segments[0] === 'src' ? segments.slice(0, 2).join('/') : segments[0]! };
  });
}

type Rule = { readonly folder: string; readonly allowed: (target: string) => boolean; readonly says: string };

const isBuiltin = (t: string) => t.startsWith('node:');
const DRIVERS = ['kysely', 'mysql2', 'better-sqlite3', 'ioredis'];

const rules: Rule[] = [
  {
    folder: 'protocol',
    allowed: (t) => t === 'protocol' || (!t.startsWith('src') && t !== 'simulator'),
    says: 'protocol/ imports only itself and packages',
  },
  {
    folder: 'src/core',
    allowed: (t) => t === 'src/core' || t === 'decimal.js',
    says: 'src/core imports only itself and decimal.js',
  },
  {
    folder: 'src/app',
    allowed: (t) => t === 'src/app' || t === 'src/core' || t === 'node:crypto',
    says: 'src/app imports only core and its ports (no gateway, api, storage, cache, drivers)',
  },
  {
    folder: 'src/gateway',
    allowed: (t) =>
      ['src/gateway', 'src/app', 'src/core', 'src/log', 'protocol', 'ocpp-rpc', 'pino'].includes(t) || isBuiltin(t),
    says: 'src/gateway imports app, core, protocol, log and ocpp-rpc only',
  },
  {
    folder: 'src/api',
    allowed: (t) =>
      ['src/api', 'src/app', 'src/core', 'src/log', 'protocol', 'pino'].includes(t) ||
      t.startsWith('fastify') ||
      t.startsWith('@fastify/') ||
      isBuiltin(t),
    says: 'src/api imports app, core, protocol, log and its HTTP framework only',
  },
  {
    folder: 'src/storage',
    allowed: (t) =>
      ['src/storage', 'src/app', 'src/core', 'migrations', 'kysely', 'mysql2', 'better-sqlite3'].includes(t) ||
      isBuiltin(t),
    says: 'src/storage imports app ports, core types, migrations and its drivers only',
  },
  {
    folder: 'src/cache',
    allowed: (t) => ['src/cache', 'src/app', 'src/core', 'ioredis'].includes(t) || isBuiltin(t),
    says: 'src/cache imports app ports, core types and ioredis only',
  },
  {
    folder: 'simulator',
    allowed: (t) => !t.startsWith('src') && !DRIVERS.includes(t),
    says: 'simulator/ imports protocol/ and ocpp-rpc, never src/',
  },
  {
    folder: 'migrations',
    allowed: (t) => t === 'migrations' || t === 'kysely',
    says: 'migrations/ import kysely only',
  },
];

describe('architecture (DESIGN.md §2)', () => {
  for (const rule of rules) {
    it(`${rule.says}`, () => {
      const crossings = sourceFiles(rule.folder).flatMap((file) =>
        importsOf(file)
          .filter(({ target }) => !rule.allowed(target))
          .map(({ spec }) => `${file} imports ${spec}`),
      );
      expect(crossings).toEqual([]);
    });
  }

  it('only src/gateway (and the simulator and benchmarks) import ocpp-rpc', () => {
    const files = [...sourceFiles('src'), ...sourceFiles('protocol')].filter((f) => !f.startsWith('src/gateway/'));
    const offenders = files.filter((f) => importsOf(f).some(({ target }) => target === 'ocpp-rpc'));
    expect(offenders).toEqual([]);
  });

  it('src/core is pure: no clock, no randomness, no environment, no console', () => {
    const impure = /Date\.now\(|new Date\(\)|Math\.random\(|process\.env|console\./;
    const offenders = sourceFiles('src/core').filter((f) => impure.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('only src/main.ts reads the environment', () => {
    const offenders = sourceFiles('src').filter(
      (f) => f !== 'src/main.ts' && /process\.env/.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('the rules see real imports (the scanner itself works)', () => {
    expect(importsOf('src/main.ts').map((i) => i.target)).toEqual(
      expect.arrayContaining(['src/gateway', 'src/app', 'src/storage']),
    );
  });
});
