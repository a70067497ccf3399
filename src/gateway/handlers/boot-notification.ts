import { isoNow, type HandlerDeps, type Handler } from './context.js';

// OCPP 1.6 §4.2: Accepted, with the heartbeat interval the pile is to use.
export const bootNotification =
  (deps: HandlerDeps): Handler<'BootNotification'> =>
  async (ctx, request) => {
    await deps.piles.recordBoot(ctx.pile.id, {
      vendor: request.chargePointVendor,
      model: request.chargePointModel,
      serial: request.chargePointSerialNumber ?? request.chargeBoxSerialNumber ?? null,
      firmware: request.firmwareVersion ?? null,
      bootedAt: ctx.origin.receivedAt,
    });
    ctx.logger.info({ vendor: request.chargePointVendor, model: request.chargePointModel }, 'pile booted');
    return { status: 'Accepted', currentTime: isoNow(deps.clock), interval: deps.heartbeatIntervalS };
  };
