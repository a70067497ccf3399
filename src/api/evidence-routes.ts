// What a pile said, as stored: the raw journal (DESIGN.md §1 principle 1), the transactions and
// deduplicated transaction messages derived from it, and the protocol anomalies recorded on the way.
import type { FastifyInstance } from 'fastify';
import type { PileRegistry } from '../app/pile-registry.js';
import type { JournalQuery, JournalStore, TransactionStore } from '../app/ports.js';
import { fail, ok, type Result } from '../app/result.js';
import { replyFailure, withErrors } from './errors.js';
import { anomalyToWire, evidenceSchemas, frameToWire, transactionToWire, txMessageToWire } from './evidence-wire.js';
import { pileIdParams } from './pile-wire.js';
import { arrayOf, listOf } from './schema-refs.js';
import { fromIso, instantSchema } from './wire-time.js';

const MAX_LIMIT = 1_000;
const limitSchema = { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100 } as const;

const windowQuery = {
  type: 'object',
  properties: {
    from: { ...instantSchema, description: 'inclusive; receive time of frames, detection time of anomalies' },
    to: { ...instantSchema, description: 'exclusive; the same clock as from' },
    limit: { ...limitSchema, description: `at most this many of each list (1 to ${MAX_LIMIT})` },
  },
} as const;

type Window = { readonly from?: string; readonly to?: string; readonly limit: number };
type WindowRequest = { Params: { pileId: string }; Querystring: Window };

const errors = ['invalid-request', 'unauthorized', 'not-found'] as const;

export function registerEvidenceRoutes(
  app: FastifyInstance,
  deps: {
    readonly piles: PileRegistry;
    readonly journal: Pick<JournalStore, 'frames' | 'txMessages' | 'anomalies'>;
    readonly transactions: Pick<TransactionStore, 'list'>;
  },
): void {
  const { piles, journal, transactions } = deps;
  for (const schema of evidenceSchemas) app.addSchema(schema);
  const tags = ['evidence'];

  // 404 rather than empty lists, so that a mistyped id is not mistaken for a silent pile.
  async function knownPile(pileId: string): Promise<Result<string, 'not-found'>> {
    return (await piles.get(pileId)) === undefined ? fail('not-found', `pile ${pileId} is not registered`) : ok(pileId);
  }

  async function journalQuery(pileId: string, window: Window): Promise<Result<JournalQuery, 'invalid' | 'not-found'>> {
    const fromMs = window.from === undefined ? undefined : fromIso(window.from);
    const toMs = window.to === undefined ? undefined : fromIso(window.to);
    if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
      return fail('invalid', 'querystring.from must not be after querystring.to');
    }
    const pile = await knownPile(pileId);
    if (!pile.ok) return pile;
    const bounds = { ...(fromMs !== undefined && { fromMs }), ...(toMs !== undefined && { toMs }) };
    return ok({ pileId, limit: window.limit, ...bounds });
  }

  app.get<WindowRequest>(
    '/piles/:pileId/journal',
    {
      schema: {
        tags,
        summary: 'Raw frames in both directions, and the transaction messages stored from them',
        params: pileIdParams,
        querystring: windowQuery,
        response: withErrors(
          {
            200: {
              description: 'what the pile said in the window',
              type: 'object',
              required: ['frames', 'txMessages'],
              properties: { frames: arrayOf('JournalFrame'), txMessages: arrayOf('TxMessage') },
            },
          },
          ...errors,
        ),
      },
    },
    async (request, reply) => {
      const query = await journalQuery(request.params.pileId, request.query);
      if (!query.ok) return replyFailure(reply, query);
      const [frames, txMessages] = await Promise.all([journal.frames(query.value), journal.txMessages(query.value)]);
      return { frames: frames.map(frameToWire), txMessages: txMessages.map(txMessageToWire) };
    },
  );

  app.get<WindowRequest>(
    '/piles/:pileId/anomalies',
    {
      schema: {
        tags,
        summary: 'Protocol anomalies: tolerated quirks and refused frames',
        params: pileIdParams,
        querystring: windowQuery,
        response: withErrors({ 200: listOf('anomalies', 'ProtocolAnomaly', 'anomalies in the window') }, ...errors),
      },
    },
    async (request, reply) => {
      const query = await journalQuery(request.params.pileId, request.query);
      if (!query.ok) return replyFailure(reply, query);
      return { anomalies: (await journal.anomalies(query.value)).map(anomalyToWire) };
    },
  );

  app.get<{ Params: { pileId: string }; Querystring: { limit: number } }>(
    '/piles/:pileId/transactions',
    {
      schema: {
        tags,
        summary: 'Transactions the pile started (StartTransaction)',
        params: pileIdParams,
        querystring: { type: 'object', properties: { limit: limitSchema } },
        response: withErrors({ 200: listOf('transactions', 'Transaction', "the pile's transactions") }, ...errors),
      },
    },
    async (request, reply) => {
      const pile = await knownPile(request.params.pileId);
      if (!pile.ok) return replyFailure(reply, pile);
      return { transactions: (await transactions.list(pile.value, request.query.limit)).map(transactionToWire) };
    },
  );
}
