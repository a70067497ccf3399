import type { HandlerDeps, Handler } from './context.js';

// No lookup before the reply: the samples join their frame's group commit, stored once by
// content. An unknown transactionId is kept as sent; the session tracker matches it later.
export const meterValues =
  (deps: HandlerDeps): Handler<'MeterValues'> =>
  async (ctx, request) => {
    ctx.replyAfter(
      deps.intake.record(ctx.origin, {
        kind: 'meter',
        connectorId: request.connectorId,
        transactionId: request.transactionId ?? null,
        payload: request,
      }),
    );
    return {};
  };
