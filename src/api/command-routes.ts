// Operator → pile OCPP commands. The HTTP status tells the operator whose side failed: the pile
// said no (502), never answered (504), or is not connected (409).
import type { FastifyInstance } from 'fastify';
import { REMOTE_COMMANDS } from '../app/ports.js';
import { MAX_COMMAND_TIMEOUT_MS, type RemoteCommands } from '../app/remote-commands.js';
import { replyError, replyFailure, withErrors } from './errors.js';
import { pileIdParams } from './pile-wire.js';

interface CommandBody {
  readonly action: string;
  readonly payload: Record<string, unknown>;
  readonly timeoutMs?: number;
}

const answeredSchema = {
  description: 'the pile answered with a CALLRESULT',
  type: 'object',
  required: ['outcome', 'result'],
  properties: {
    outcome: { type: 'string', enum: ['answered'] },
    result: { type: 'object', additionalProperties: true, description: "the pile's CALLRESULT payload" },
  },
} as const;

export function registerCommandRoutes(app: FastifyInstance, commands: RemoteCommands): void {
  app.post<{ Params: { pileId: string }; Body: CommandBody }>(
    '/piles/:pileId/commands',
    {
      schema: {
        tags: ['commands'],
        summary: 'Send an OCPP 1.6 command to a pile and wait for its answer',
        params: pileIdParams,
        body: {
          type: 'object',
          required: ['action', 'payload'],
          properties: {
            action: { type: 'string', enum: REMOTE_COMMANDS },
            payload: { type: 'object', additionalProperties: true, description: 'the OCPP request of the action' },
            timeoutMs: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_COMMAND_TIMEOUT_MS,
              description: "how long to wait for the pile's answer; the gateway's default when absent",
            },
          },
        },
        response: withErrors(
          { 200: answeredSchema },
          'invalid-request',
          'unauthorized',
          'not-found',
          'pile-offline',
          'pile-error',
          'command-timeout',
        ),
      },
    },
    async (request, reply) => {
      const { pileId } = request.params;
      const { action, payload, timeoutMs } = request.body;
      const sent = await commands.send({ pileId, action, payload, ...(timeoutMs !== undefined && { timeoutMs }) });
      if (!sent.ok) return replyFailure(reply, sent);
      const outcome = sent.value;
      // A command can change what a pile does (stop a session, reset): the log keeps each one.
      request.log.info({ pileId, action, outcome: outcome.kind }, 'remote command');
      switch (outcome.kind) {
        case 'answered':
          return { outcome: 'answered', result: outcome.result };
        case 'offline':
          return replyError(reply, 'pile-offline', `pile ${pileId} is not connected to any gateway node`);
        case 'invalid':
          return replyError(reply, 'invalid-request', `the payload is not a valid ${action} request`, {
            problems: [`body.payload: ${outcome.description}`],
          });
        case 'timeout':
          return replyError(reply, 'command-timeout', `pile ${pileId} did not answer ${action} in time`);
        case 'error':
          return replyError(reply, 'pile-error', `pile ${pileId} refused ${action}: ${outcome.code}`, {
            ocppError: { code: outcome.code, description: outcome.description },
          });
        default:
          return assertNever(outcome);
      }
    },
  );
}

function assertNever(outcome: never): never {
  throw new Error(`unhandled command outcome ${JSON.stringify(outcome)}`);
}
