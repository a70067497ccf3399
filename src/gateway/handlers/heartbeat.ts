import { isoNow, type HandlerDeps, type Handler } from './context.js';

// OCPP 1.6 §4.6: the reply carries the server's time for the pile to synchronise its clock.
export const heartbeat =
  (deps: HandlerDeps): Handler<'Heartbeat'> =>
  async () => ({ currentTime: isoNow(deps.clock) });
