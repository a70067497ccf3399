import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMMAND_ACTIONS, PILE_ACTIONS } from '../../protocol/index.js';

const run = promisify(execFile);
const ocppSchemaIds: readonly string[] = createRequire(import.meta.url)('ocpp-rpc/lib/schemas/ocpp1_6.json').map(
  (schema: { $id: string }) => schema.$id,
);

describe('generated protocol types', () => {
  it('when the generator runs with --check, then the files on disk are what it would write', async () => {
    // Throws (non-zero exit) when a generated file is stale.
    const { stderr } = await run(process.execPath, ['--import', 'tsx', 'protocol/generate.ts', '--check']);
    expect(stderr).toBe('');
  });

  it('every action the gateway answers or sends has a request and a response schema', () => {
    for (const action of [...PILE_ACTIONS, ...COMMAND_ACTIONS]) {
      expect(ocppSchemaIds).toContain(`urn:${action}.req`);
      expect(ocppSchemaIds).toContain(`urn:${action}.conf`);
    }
  });

  it('no action is listed in both directions', () => {
    const both = PILE_ACTIONS.filter((a) => (COMMAND_ACTIONS as readonly string[]).includes(a));
    expect(both).toEqual([]);
  });
});
