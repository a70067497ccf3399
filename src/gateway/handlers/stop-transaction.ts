import type { HandlerDeps, Handler } from './context.js';

// OCPP 1.6 §4.10: "The Central System cannot prevent a transaction from stopping." Unknown and
// -1 transaction ids are stored as orphans; a resend is stored once.
export const stopTransaction =
  (deps: HandlerDeps): Handler<'StopTransaction'> =>
  async (ctx, request) => {
    const { idTagInfo } = await deps.intake.stop(ctx.origin, {
      transactionId: request.transactionId,
      meterStopWh: request.meterStop,
      timestamp: request.timestamp,
      idTag: request.idTag,
      payload: request as unknown as Record<string, unknown>,
    });
    return idTagInfo === undefined ? {} : { idTagInfo };
  };
