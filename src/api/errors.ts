// The operator API's one error shape and its catalogue of stable codes. Clients branch on `code`
// (never on `message`, which is for people); a code keeps its meaning and status forever.
import type { FastifyInstance, FastifyReply, FastifySchemaValidationError } from 'fastify';
import type { Failure } from '../app/result.js';

export const ERROR_CATALOGUE = {
  'invalid-request': { status: 400, meaning: 'the request is malformed or breaks a rule; see problems' },
  unauthorized: { status: 401, meaning: 'no valid bearer token' },
  'not-found': { status: 404, meaning: 'no such route or resource' },
  conflict: { status: 409, meaning: 'the resource exists already' },
  'pile-offline': { status: 409, meaning: 'the pile has no live connection to any gateway node' },
  'payload-too-large': { status: 413, meaning: 'the body is larger than the configured limit' },
  'unsupported-media-type': { status: 415, meaning: 'the body is not application/json' },
  internal: { status: 500, meaning: 'an unexpected failure; details are in the server log' },
  'pile-error': { status: 502, meaning: 'the pile answered with an OCPP CALLERROR; see ocppError' },
  'command-timeout': { status: 504, meaning: 'the pile did not answer the command in time' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export interface ApiErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly problems?: readonly string[];
    readonly ocppError?: { readonly code: string; readonly description: string };
  };
}

const apiErrorSchema = {
  $id: 'ApiError',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: ERROR_CODES },
        message: { type: 'string' },
        problems: { type: 'array', items: { type: 'string' } },
        ocppError: {
          type: 'object',
          required: ['code', 'description'],
          properties: { code: { type: 'string' }, description: { type: 'string' } },
        },
      },
    },
  },
} as const;

/**
 * Response schemas for a route: its success bodies plus an ApiError body per status, described
 * in the OpenAPI document by the codes the route can answer with.
 */
export function withErrors(success: Record<number, unknown>, ...codes: ErrorCode[]): Record<number, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const c of codes) {
    const { status, meaning } = ERROR_CATALOGUE[c];
    byStatus.set(status, [...(byStatus.get(status) ?? []), `${c}: ${meaning}`]);
  }
  const errors = [...byStatus].map(([status, lines]) => [status, { description: lines.join('; '), $ref: 'ApiError#' }]);
  return { ...Object.fromEntries(errors), ...success };
}

export function replyError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  extra: Omit<ApiErrorBody['error'], 'code' | 'message'> = {},
): FastifyReply {
  const body: ApiErrorBody = { error: { code, message, ...extra } };
  return reply.code(ERROR_CATALOGUE[code].status).send(body);
}

const FAILURE_CODES = { invalid: 'invalid-request', exists: 'conflict', 'not-found': 'not-found' } as const;

/** Maps a use case's expected failure (STYLE.md habit 4) to its HTTP error. */
export function replyFailure(reply: FastifyReply, failure: Failure<keyof typeof FAILURE_CODES>): FastifyReply {
  const code = FAILURE_CODES[failure.error];
  return code === 'invalid-request'
    ? replyError(reply, code, 'the request breaks a rule', { problems: failure.problems })
    : replyError(reply, code, failure.problems.join('; '));
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** "body.connectors[0].maxPowerW must be integer": names the field an operator got wrong. */
function describeValidationError(context: string, e: FastifySchemaValidationError): string {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map(unescapePointer)
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : `${acc}.${s}`), context);
  const { missingProperty, allowedValues } = e.params;
  if (e.keyword === 'required' && typeof missingProperty === 'string') return `${path}.${missingProperty} is required`;
  if (e.keyword === 'enum' && Array.isArray(allowedValues)) return `${path} must be one of ${allowedValues.join(', ')}`;
  return `${path} ${e.message ?? `fails ${e.keyword}`}`;
}

interface ErrorLike {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly message?: unknown;
  readonly validation?: FastifySchemaValidationError[];
  readonly validationContext?: string;
}

// Fastify's own client errors (bad JSON, empty body, size, media type) carry an FST_ code and a
// 4xx status; their messages name no internals, so they are passed on.
function clientErrorCode(status: number): ErrorCode {
  if (status === 413) return 'payload-too-large';
  if (status === 415) return 'unsupported-media-type';
  return 'invalid-request';
}

/** Every error leaves in the ApiError shape; unexpected ones are logged and never described. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.addSchema(apiErrorSchema);
  app.setErrorHandler((error: ErrorLike, request, reply) => {
    if (error.validation !== undefined) {
      const context = error.validationContext ?? 'request';
      return replyError(reply, 'invalid-request', 'the request does not match the schema', {
        problems: error.validation.map((e) => describeValidationError(context, e)),
      });
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500 && typeof error.code === 'string' && error.code.startsWith('FST_')) {
      return replyError(reply, clientErrorCode(status), String(error.message));
    }
    request.log.error({ err: error }, 'unexpected error in the operator API');
    return replyError(reply, 'internal', 'internal error');
  });
  app.setNotFoundHandler((request, reply) =>
    replyError(reply, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
}
