// Operators and the stations they run (DESIGN.md §5): each operator's thresholds for the billing
// rules, applied to the sessions of its stations from their next billing on. A refused request
// answers 400 with every problem, each naming the threshold and what it must be.
import type { FastifyInstance } from 'fastify';
import type { OperatorBook, OperatorView } from '../app/operator-book.js';
import type { StationOperator } from '../app/ports.js';
import { BILLING_PARAM_NAMES, billingParamsJson } from '../core/billing-overrides.js';
import { replyFailure, withErrors } from './errors.js';
import { listOf, ref } from './schema-refs.js';
import { stationIdParams } from './tariff-wire.js';
import { toIso } from './wire-time.js';

type OperatorParams = { Params: { operatorId: string } };
type StationParams = { Params: { stationId: string } };
type PutBody = { Body: { name: string; billingParams?: Record<string, unknown> } };

const operatorIdParams = {
  type: 'object',
  required: ['operatorId'],
  properties: { operatorId: { type: 'string', description: '1 to 64 characters of A-Z a-z 0-9 . _ -' } },
} as const;

const THRESHOLDS =
  `Thresholds by name (${BILLING_PARAM_NAMES.join(', ')}): energies in Wh and ratios as decimal text, ` +
  'durations in ms and epochMinMs in epoch ms as integers, allowConcurrentIdTag true or false, ' +
  'energyPrecedence a list of energy sources.';

const operatorSchemas = [
  {
    $id: 'Operator',
    type: 'object',
    required: ['operatorId', 'name', 'billingParams', 'effectiveBillingParams', 'updatedAt'],
    properties: {
      operatorId: { type: 'string' },
      name: { type: 'string' },
      billingParams: {
        type: 'object',
        additionalProperties: true,
        description: `the thresholds the operator set. ${THRESHOLDS}`,
      },
      effectiveBillingParams: {
        type: 'object',
        additionalProperties: true,
        description: "every threshold billing uses for the operator's stations: its own, else the default",
      },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  {
    $id: 'StationOperator',
    type: 'object',
    required: ['stationId', 'operatorId', 'boundAt'],
    properties: {
      stationId: { type: 'string' },
      operatorId: { type: 'string' },
      boundAt: { type: 'string', format: 'date-time' },
    },
  },
] as const;

function operatorToWire(o: OperatorView) {
  return {
    operatorId: o.id,
    name: o.name,
    billingParams: o.billingOverrides,
    effectiveBillingParams: billingParamsJson(o.billingParams),
    updatedAt: toIso(o.updatedAt),
  };
}

const stationOperatorToWire = (b: StationOperator) => ({
  stationId: b.stationId,
  operatorId: b.operatorId,
  boundAt: toIso(b.boundAt),
});

export function registerOperatorRoutes(app: FastifyInstance, operators: OperatorBook): void {
  for (const schema of operatorSchemas) app.addSchema(schema);
  const tags = ['operators'];

  app.put<OperatorParams & PutBody>(
    '/operators/:operatorId',
    {
      schema: {
        tags,
        summary: 'Create an operator, or replace its name and billing thresholds (those left out are the defaults)',
        params: operatorIdParams,
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string' },
            billingParams: { type: 'object', description: THRESHOLDS },
          },
        },
        response: withErrors(
          {
            200: { description: 'replaced', ...ref('Operator') },
            201: { description: 'created', ...ref('Operator') },
          },
          'invalid-request',
          'unauthorized',
        ),
      },
    },
    async (request, reply) => {
      const result = await operators.put(request.params.operatorId, request.body);
      if (!result.ok) return replyFailure(reply, result);
      return reply.code(result.value.created ? 201 : 200).send(operatorToWire(result.value.operator));
    },
  );

  app.get<OperatorParams>(
    '/operators/:operatorId',
    {
      schema: {
        tags,
        summary: 'An operator and the billing thresholds in force for its stations',
        params: operatorIdParams,
        response: withErrors({ 200: ref('Operator') }, 'unauthorized', 'not-found'),
      },
    },
    async (request, reply) => {
      const result = await operators.get(request.params.operatorId);
      return result.ok ? operatorToWire(result.value) : replyFailure(reply, result);
    },
  );

  app.get(
    '/operators',
    {
      schema: {
        tags,
        summary: 'Every operator, by id',
        response: withErrors({ 200: listOf('operators', 'Operator', 'every operator, by id') }, 'unauthorized'),
      },
    },
    async () => ({ operators: (await operators.list()).map(operatorToWire) }),
  );

  app.put<StationParams & { Body: { operatorId: string } }>(
    '/stations/:stationId/operator',
    {
      schema: {
        tags,
        summary: "Bind a station to the operator that runs it: its sessions are billed with that operator's thresholds",
        params: stationIdParams,
        body: { type: 'object', required: ['operatorId'], properties: { operatorId: { type: 'string' } } },
        response: withErrors(
          { 200: { description: 'bound', ...ref('StationOperator') } },
          'invalid-request',
          'unauthorized',
          'not-found',
        ),
      },
    },
    async (request, reply) => {
      const result = await operators.bindStation(request.params.stationId, request.body.operatorId);
      return result.ok ? stationOperatorToWire(result.value) : replyFailure(reply, result);
    },
  );

  app.get<StationParams>(
    '/stations/:stationId/operator',
    {
      schema: {
        tags,
        summary: 'The operator a station is bound to',
        params: stationIdParams,
        response: withErrors({ 200: ref('StationOperator') }, 'unauthorized', 'not-found'),
      },
    },
    async (request, reply) => {
      const result = await operators.stationOperator(request.params.stationId);
      return result.ok ? stationOperatorToWire(result.value) : replyFailure(reply, result);
    },
  );
}
