// Bearer-token check for everything under /api/v1 except the OpenAPI document and its UI.
import type { FastifyInstance } from 'fastify';
import type { ApiTokens } from '../app/api-tokens.js';
import { replyError } from './errors.js';

export const BEARER_SCHEME = 'bearerAuth';

// RFC 7235 §2.1: the auth-scheme is case-insensitive. RFC 6750 §2.1: b64token characters.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function parseBearer(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** Adds the check to every route of `scope` (an encapsulated plugin), before body parsing. */
export function requireBearer(scope: FastifyInstance, tokens: ApiTokens): void {
  scope.addHook('onRequest', async (request, reply) => {
    const token = parseBearer(request.headers.authorization);
    // RFC 6750 §3: a challenge on every 401; error="invalid_token" only when a token was sent.
    if (token === undefined) {
      reply.header('WWW-Authenticate', 'Bearer realm="pilegate"');
      return replyError(reply, 'unauthorized', 'send Authorization: Bearer <token>');
    }
    if (!(await tokens.verify(token))) {
      reply.header('WWW-Authenticate', 'Bearer realm="pilegate", error="invalid_token"');
      return replyError(reply, 'unauthorized', 'the bearer token is not valid');
    }
  });
}
