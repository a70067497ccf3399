// Bills and the abnormal-bill report (DESIGN.md §5, field-cases.md: "abnormal bills by code
// combination over a period"). Read only: bills are made by the billing engine and changed only
// by new versions (DESIGN.md §1 principle 6).
import type { FastifyInstance } from 'fastify';
import type { BillStore } from '../app/ports.js';
import { fail } from '../app/result.js';
import type { AnomalyCode } from '../core/anomaly.js';
import { BILL_STATUSES, type BillStatus } from '../core/bill.js';
import { billDetailToWire, billSchemas, billSummaryToWire, codeSchema, reportToWire } from './bill-wire.js';
import { replyError, replyFailure, withErrors } from './errors.js';
import { listOf, ref } from './schema-refs.js';
import { fromIso, instantSchema } from './wire-time.js';

const MAX_LIMIT = 1_000;

const billsQuery = {
  type: 'object',
  properties: {
    pileId: { type: 'string' },
    stationId: { type: 'string' },
    from: { ...instantSchema, description: 'inclusive; session start' },
    to: { ...instantSchema, description: 'exclusive; session start' },
    code: { ...codeSchema, description: 'bills whose latest version carries this code (1–11)' },
    status: { type: 'string', enum: BILL_STATUSES },
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100, description: `1 to ${MAX_LIMIT}` },
  },
} as const;

const reportQuery = {
  type: 'object',
  required: ['from', 'to'],
  properties: {
    from: { ...instantSchema, description: 'inclusive; session start' },
    to: { ...instantSchema, description: 'exclusive; session start' },
    stationId: { type: 'string', description: 'one station; all when absent' },
  },
} as const;

interface BillsQuery {
  readonly pileId?: string;
  readonly stationId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly code?: AnomalyCode;
  readonly status?: BillStatus;
  readonly limit: number;
}

const REVERSED = fail('invalid', 'querystring.from must not be after querystring.to');

const isReversed = (fromMs: number | undefined, toMs: number | undefined) =>
  fromMs !== undefined && toMs !== undefined && fromMs > toMs;

/** Only for a value the schema has checked as date-time, or none. */
const instantOrUndefined = (instant: string | undefined) => (instant === undefined ? undefined : fromIso(instant));

export function registerBillRoutes(
  app: FastifyInstance,
  deps: { readonly bills: Pick<BillStore, 'list' | 'versions' | 'codeCombinations'> },
): void {
  const { bills } = deps;
  for (const schema of billSchemas) app.addSchema(schema);

  app.get<{ Querystring: BillsQuery }>(
    '/bills',
    {
      schema: {
        tags: ['bills'],
        summary: 'Bills by session start, oldest first: the latest version of each',
        querystring: billsQuery,
        response: withErrors(
          { 200: listOf('bills', 'BillSummary', 'the matching bills') },
          'invalid-request',
          'unauthorized',
        ),
      },
    },
    async (request, reply) => {
      const { pileId, stationId, code, status, limit } = request.query;
      const fromMs = instantOrUndefined(request.query.from);
      const toMs = instantOrUndefined(request.query.to);
      if (isReversed(fromMs, toMs)) return replyFailure(reply, REVERSED);
      const found = await bills.list({ pileId, stationId, fromMs, toMs, code, status, limit });
      return { bills: found.map(billSummaryToWire) };
    },
  );

  app.get<{ Params: { billNo: string } }>(
    '/bills/:billNo',
    {
      schema: {
        tags: ['bills'],
        summary: 'One bill with every version, each with its lines and its anomalies’ evidence',
        params: { type: 'object', required: ['billNo'], properties: { billNo: { type: 'string' } } },
        response: withErrors(
          { 200: { description: 'the bill and its versions, oldest first', ...ref('BillDetail') } },
          'unauthorized',
          'not-found',
        ),
      },
    },
    async (request, reply) => {
      const { billNo } = request.params;
      const [first, ...rest] = await bills.versions(billNo);
      if (first === undefined) return replyError(reply, 'not-found', `bill ${billNo} does not exist`);
      return billDetailToWire([first, ...rest]);
    },
  );

  app.get<{ Querystring: { readonly from: string; readonly to: string; readonly stationId?: string } }>(
    '/reports/abnormal-bills',
    {
      schema: {
        tags: ['reports'],
        summary: 'Abnormal bills by code combination over a period, by their latest version',
        querystring: reportQuery,
        response: withErrors(
          { 200: { description: 'combinations, most common first', ...ref('AbnormalBillReport') } },
          'invalid-request',
          'unauthorized',
        ),
      },
    },
    async (request, reply) => {
      const { from, to, stationId } = request.query;
      const window = { fromMs: fromIso(from), toMs: fromIso(to), stationId };
      if (isReversed(window.fromMs, window.toMs)) return replyFailure(reply, REVERSED);
      return reportToWire(window, await bills.codeCombinations(window));
    },
  );
}
