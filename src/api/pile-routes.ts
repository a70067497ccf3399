// Registering piles, and what operators see of them: never a password hash.
import type { FastifyInstance } from 'fastify';
import type { PileRegistry, RegisterPileInput } from '../app/pile-registry.js';
import type { PileStatusQuery } from '../app/pile-status.js';
import { DIALECTS } from '../app/ports.js';
import { replyError, replyFailure, withErrors } from './errors.js';
import { connectorSchema, pileIdParams, pileSchemas, pileToWire, statusToWire } from './pile-wire.js';
import { listOf, ref } from './schema-refs.js';

const passwordSchema = { type: 'string', description: '16 to 40 characters (OCPP AuthorizationKey)' } as const;

type PileParams = { Params: { pileId: string } };

export function registerPileRoutes(
  app: FastifyInstance,
  deps: { readonly piles: PileRegistry; readonly pileStatus: PileStatusQuery },
): void {
  const { piles, pileStatus } = deps;
  for (const schema of pileSchemas) app.addSchema(schema);
  const tags = ['piles'];
  const notRegistered = (pileId: string) => `pile ${pileId} is not registered`;

  app.post<{ Body: RegisterPileInput }>(
    '/piles',
    {
      schema: {
        tags,
        summary: 'Register a pile: who may connect, with which password, at which station',
        body: {
          type: 'object',
          required: ['id', 'password', 'stationId', 'dialect', 'connectors'],
          properties: {
            id: { type: 'string', description: '1 to 48 of A-Z a-z 0-9 . _ -' },
            password: passwordSchema,
            stationId: { type: 'string' },
            dialect: { type: 'string', enum: DIALECTS },
            connectors: { type: 'array', items: connectorSchema },
          },
        },
        response: withErrors(
          { 201: { description: 'registered', ...ref('Pile') } },
          'invalid-request',
          'unauthorized',
          'conflict',
        ),
      },
    },
    async (request, reply) => {
      const result = await piles.register(request.body);
      return result.ok ? reply.code(201).send(pileToWire(result.value)) : replyFailure(reply, result);
    },
  );

  app.get(
    '/piles',
    {
      schema: {
        tags,
        summary: 'List registered piles with whether each is connected now',
        response: withErrors({ 200: listOf('piles', 'PileSummary', 'every registered pile') }, 'unauthorized'),
      },
    },
    async () => {
      const [all, online] = await Promise.all([piles.list(), pileStatus.online()]);
      return { piles: all.map((p) => ({ ...pileToWire(p), online: online.has(p.id) })) };
    },
  );

  app.get<PileParams>(
    '/piles/:pileId',
    {
      schema: {
        tags,
        summary: 'One pile with its connection status and offline history',
        params: pileIdParams,
        response: withErrors(
          { 200: { description: 'the pile and its status', ...ref('PileDetail') } },
          'unauthorized',
          'not-found',
        ),
      },
    },
    async (request, reply) => {
      const { pileId } = request.params;
      const [pile, status] = await Promise.all([piles.get(pileId), pileStatus.status(pileId)]);
      if (pile === undefined) return replyError(reply, 'not-found', notRegistered(pileId));
      return { ...pileToWire(pile), status: statusToWire(status) };
    },
  );

  app.put<PileParams & { Body: { password: string } }>(
    '/piles/:pileId/password',
    {
      schema: {
        tags,
        summary: "Change the pile's password (OCPP security profile 1)",
        params: pileIdParams,
        body: { type: 'object', required: ['password'], properties: { password: passwordSchema } },
        response: withErrors(
          { 204: { type: 'null', description: 'changed' } },
          'invalid-request',
          'unauthorized',
          'not-found',
        ),
      },
    },
    async (request, reply) => {
      const result = await piles.changePassword(request.params.pileId, request.body.password);
      return result.ok ? reply.code(204).send() : replyFailure(reply, result);
    },
  );

  app.delete<PileParams>(
    '/piles/:pileId',
    {
      schema: {
        tags,
        summary: 'Unregister a pile: it can no longer connect',
        params: pileIdParams,
        response: withErrors({ 204: { type: 'null', description: 'removed' } }, 'unauthorized', 'not-found'),
      },
    },
    async (request, reply) => {
      const { pileId } = request.params;
      if (!(await piles.remove(pileId))) return replyError(reply, 'not-found', notRegistered(pileId));
      return reply.code(204).send();
    },
  );
}
