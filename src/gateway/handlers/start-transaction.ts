import type { HandlerDeps, Handler } from './context.js';

// OCPP 1.6 §4.8: a StartTransaction is answered with a transactionId even when the idTag is
// unknown or blocked; the pile then stops the transaction itself. A resend with a new message
// id gets the same transactionId (DESIGN.md §1 principle 3).
export const startTransaction =
  (deps: HandlerDeps): Handler<'StartTransaction'> =>
  async (ctx, request) => {
    const { transactionId, idTagInfo } = await deps.intake.start(ctx.origin, {
      connectorId: request.connectorId,
      idTag: request.idTag,
      meterStartWh: request.meterStart,
      timestamp: request.timestamp,
    });
    return { transactionId, idTagInfo };
  };
