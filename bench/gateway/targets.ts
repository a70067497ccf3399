// What each benchmarked server needs before it can start and after it stops. pilegate is driven
// only through its CLI (the same contract an operator uses), never imported, so the benchmark
// measures the shipped process.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { PILE_PASSWORD, pileId } from './pile-client.js';
import { runPinned } from './processes.js';

export const TARGETS = ['bare', 'pilegate-sqlite', 'pilegate-mysql'] as const;
export type TargetName = (typeof TARGETS)[number];

const MYSQL_ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const MYSQL_DATABASE = 'pilegate_bench';

export interface PreparedTarget {
  readonly args: readonly string[]; // node arguments that start the server
  readonly env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export interface TargetContext {
  readonly distRoot: string;
  readonly tmpDir: string;
  readonly port: number;
  readonly piles: number;
}

/** One line per pile in the format `pilegate pile import` reads. */
function writePileFile(ctx: TargetContext): string {
  const path = join(ctx.tmpDir, 'piles.jsonl');
  const lines = Array.from({ length: ctx.piles }, (_, i) =>
    JSON.stringify({
      id: pileId(i + 1),
      password: PILE_PASSWORD,
      stationId: 'bench',
      dialect: 'ocpp',
      connectors: [{ connectorId: 1, maxPowerW: 120_000 }],
    }),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function mysqlAdmin(sql: string): Promise<void> {
  const conn = await createConnection(MYSQL_ADMIN_URL);
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

async function runCli(
  ctx: TargetContext,
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<number | null> {
  return runPinned({ core: 0, args: [join(ctx.distRoot, 'src/cli.js'), ...args], env, label, echoLines: 20 }, 180_000);
}

export async function prepareTarget(name: TargetName, ctx: TargetContext): Promise<PreparedTarget> {
  if (name === 'bare') {
    return {
      args: [join(ctx.distRoot, 'bench/gateway/bare-server.js'), '--port', String(ctx.port)],
      env: process.env,
      cleanup: async () => {},
    };
  }
  const dbEnv =
    name === 'pilegate-sqlite'
      ? { SQLITE_PATH: join(ctx.tmpDir, `${name}.sqlite`) }
      : { MYSQL_URL: `${MYSQL_ADMIN_URL}/${MYSQL_DATABASE}` };
  if (name === 'pilegate-mysql') {
    await mysqlAdmin(`DROP DATABASE IF EXISTS ${MYSQL_DATABASE}`);
    await mysqlAdmin(`CREATE DATABASE ${MYSQL_DATABASE} CHARACTER SET utf8mb4`);
  }
  const env = { ...process.env, ...dbEnv, LOG_LEVEL: 'warn' };
  // `start` may migrate by itself; migrating first keeps a schema error apart from a start error.
  const migrated = await runCli(ctx, `${name} migrate`, ['migrate'], env);
  if (migrated !== 0) process.stderr.write(`[${name}] migrate exited with ${migrated}; trying the import anyway\n`);
  // scrypt cost 10: the import hashes every pile's password; the benchmark does not measure it.
  const imported = await runCli(ctx, `${name} import`, ['pile', 'import', writePileFile(ctx)], {
    ...env,
    PILE_PASSWORD_COST: '10',
  });
  if (imported !== 0) throw new Error(`${name}: pile import exited with ${imported}`);
  return {
    args: [join(ctx.distRoot, 'src/cli.js'), 'start'],
    env: {
      ...env,
      PORT: String(ctx.port),
      HOST: '127.0.0.1',
      HEARTBEAT_INTERVAL_S: '300',
      ADMIN_TOKEN: randomBytes(24).toString('hex'),
    },
    cleanup: async () => {
      if (name === 'pilegate-mysql') await mysqlAdmin(`DROP DATABASE IF EXISTS ${MYSQL_DATABASE}`);
    },
  };
}
