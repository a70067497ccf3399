import type { Handler } from './context.js';

// Statuses are evidence for sessions and occupancy; the journal holds them for the session
// tracker. Not transaction-related (OCPP 1.6 §3.7), so nothing else to store here.
export const statusNotification = (): Handler<'StatusNotification'> => async (ctx, request) => {
  if (request.status === 'Faulted') {
    ctx.logger.warn({ connectorId: request.connectorId, errorCode: request.errorCode }, 'connector faulted');
  }
  return {};
};
