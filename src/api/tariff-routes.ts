// Time-of-use tariffs (DESIGN.md §4): versions drafted by operators and checked by the core, and
// the tariff each station uses from when. A refused draft answers 400 with every problem, each
// naming the field or the times that are wrong.
import type { FastifyInstance } from 'fastify';
import type { TariffBook } from '../app/tariff-book.js';
import type { TariffDraft } from '../core/tariff-draft.js';
import { replyFailure, withErrors } from './errors.js';
import { listOf, ref } from './schema-refs.js';
import {
  bindingToWire,
  currentToWire,
  stationIdParams,
  summaryToWire,
  tariffDraftSchema,
  tariffIdParams,
  tariffSchemas,
  versionToWire,
} from './tariff-wire.js';
import { fromIso, instantSchema } from './wire-time.js';

type TariffParams = { Params: { tariffId: string } };
type StationParams = { Params: { stationId: string } };
// The schema checks only the shape: the core checks the rules and names every problem at once.
type DraftBody = { Body: Omit<TariffDraft, 'effectiveFrom'> & { readonly effectiveFrom: string } };
type BindBody = { Body: { tariffId: string; effectiveFrom: string } };

export function registerTariffRoutes(app: FastifyInstance, tariffs: TariffBook): void {
  for (const schema of tariffSchemas) app.addSchema(schema);
  const tags = ['tariffs'];

  app.post<TariffParams & DraftBody>(
    '/tariffs/:tariffId/versions',
    {
      schema: {
        tags,
        summary: "Create the tariff's next version (the first creates the tariff)",
        params: tariffIdParams,
        body: tariffDraftSchema,
        response: withErrors(
          { 201: { description: 'created, numbered 1, 2, 3, … per tariff', ...ref('TariffVersion') } },
          'invalid-request',
          'unauthorized',
        ),
      },
    },
    async (request, reply) => {
      const draft = { ...request.body, effectiveFrom: fromIso(request.body.effectiveFrom) };
      const result = await tariffs.createVersion(request.params.tariffId, draft);
      return result.ok ? reply.code(201).send(versionToWire(result.value)) : replyFailure(reply, result);
    },
  );

  app.get<TariffParams>(
    '/tariffs/:tariffId/versions',
    {
      schema: {
        tags,
        summary: 'Every version of a tariff, oldest first',
        params: tariffIdParams,
        response: withErrors({ 200: listOf('versions', 'TariffVersion', 'the versions') }, 'unauthorized', 'not-found'),
      },
    },
    async (request, reply) => {
      const result = await tariffs.versions(request.params.tariffId);
      return result.ok ? { versions: result.value.map(versionToWire) } : replyFailure(reply, result);
    },
  );

  app.get(
    '/tariffs',
    {
      schema: {
        tags,
        summary: 'List tariffs with their latest version',
        response: withErrors({ 200: listOf('tariffs', 'TariffSummary', 'every tariff, by id') }, 'unauthorized'),
      },
    },
    async () => ({ tariffs: (await tariffs.tariffs()).map(summaryToWire) }),
  );

  app.put<StationParams & BindBody>(
    '/stations/:stationId/tariff',
    {
      schema: {
        tags,
        summary: 'Bind a tariff to a station from an instant on; earlier bindings stay as history',
        params: stationIdParams,
        body: {
          type: 'object',
          required: ['tariffId', 'effectiveFrom'],
          properties: {
            tariffId: { type: 'string' },
            effectiveFrom: { ...instantSchema, description: 'sessions starting from this instant use the tariff' },
          },
        },
        response: withErrors(
          { 200: { description: 'bound', ...ref('TariffBinding') } },
          'invalid-request',
          'unauthorized',
          'not-found',
          'conflict',
        ),
      },
    },
    async (request, reply) => {
      const { tariffId, effectiveFrom } = request.body;
      const { stationId } = request.params;
      const result = await tariffs.bind({ stationId, tariffId, effectiveFrom: fromIso(effectiveFrom) });
      return result.ok ? bindingToWire(result.value) : replyFailure(reply, result);
    },
  );

  app.get<StationParams & { Querystring: { at?: string } }>(
    '/stations/:stationId/tariff',
    {
      schema: {
        tags,
        summary: "A station's tariff bindings and the version that prices a session starting now (or at `at`)",
        params: stationIdParams,
        querystring: {
          type: 'object',
          properties: { at: { ...instantSchema, description: 'session start to ask about; now when absent' } },
        },
        response: withErrors(
          { 200: { description: 'bindings and the version in force', ...ref('StationTariff') } },
          'invalid-request',
          'unauthorized',
          'not-found',
        ),
      },
    },
    async (request, reply) => {
      const { stationId } = request.params;
      const { at } = request.query;
      const result = await tariffs.stationTariff(stationId, at === undefined ? undefined : fromIso(at));
      if (!result.ok) return replyFailure(reply, result);
      return { stationId, bindings: result.value.bindings.map(bindingToWire), ...currentToWire(result.value.current) };
    },
  );
}
