// Runs an operator's command on a pile whose socket this node holds.
import type { CommandAction } from '../../protocol/ocpp16/index.js';
import { REMOTE_COMMANDS, type CommandExecutor } from '../app/ports.js';
import type { LiveConnection } from './connection.js';
import { ocpp16Validator } from './ocpp16-schemas.js';
import { isRpcError, isRpcTimeout } from './rpc.js';

// Every command the app offers must be an OCPP 1.6 gateway → pile action: a compile error if not.
REMOTE_COMMANDS satisfies readonly CommandAction[];

export function createCommandExecutor(live: ReadonlyMap<string, LiveConnection>): CommandExecutor {
  return async ({ pileId, action, payload, timeoutMs }) => {
    try {
      ocpp16Validator.validate(`urn:${action}.req`, payload);
    } catch (err) {
      return { kind: 'invalid', description: (err as Error).message };
    }
    const connection = live.get(pileId);
    if (connection === undefined) return { kind: 'offline' };
    try {
      const result = await connection.client.call(action, payload, { callTimeoutMs: timeoutMs });
      return { kind: 'answered', result: (result ?? {}) as Record<string, unknown> };
    } catch (err) {
      if (isRpcTimeout(err)) return { kind: 'timeout' };
      if (isRpcError(err)) return { kind: 'error', code: err.rpcErrorCode ?? 'GenericError', description: err.message };
      // The socket closed before the pile answered.
      return { kind: 'offline' };
    }
  };
}
