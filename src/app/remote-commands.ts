// Operator → pile commands (DESIGN.md §3), routed by the command bus to the node holding the
// pile's socket.
import { REMOTE_COMMANDS, type CommandBus, type CommandOutcome, type PileStore, type RemoteCommand } from './ports.js';
import { fail, ok, type Result } from './result.js';

export const MAX_COMMAND_TIMEOUT_MS = 120_000;

export interface RemoteCommands {
  send(input: {
    readonly pileId: string;
    readonly action: string;
    readonly payload: Record<string, unknown>;
    readonly timeoutMs?: number;
  }): Promise<Result<CommandOutcome, 'invalid' | 'not-found'>>;
}

export function isRemoteCommand(action: string): action is RemoteCommand {
  return (REMOTE_COMMANDS as readonly string[]).includes(action);
}

export function createRemoteCommands(deps: {
  readonly piles: PileStore;
  readonly commands: CommandBus;
  readonly defaultTimeoutMs: number;
}): RemoteCommands {
  return {
    async send({ pileId, action, payload, timeoutMs = deps.defaultTimeoutMs }) {
      if (!isRemoteCommand(action)) {
        return fail('invalid', `action must be one of ${REMOTE_COMMANDS.join(', ')}`);
      }
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_COMMAND_TIMEOUT_MS) {
        return fail('invalid', `timeoutMs must be an integer from 1 to ${MAX_COMMAND_TIMEOUT_MS}`);
      }
      if ((await deps.piles.get(pileId)) === undefined) return fail('not-found', `pile ${pileId} is not registered`);
      return ok(await deps.commands.send({ pileId, action, payload, timeoutMs }));
    },
  };
}
