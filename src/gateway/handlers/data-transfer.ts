// The Robinson extension (DESIGN.md §3) rides on DataTransfer. A DeviceBill is a transaction
// message: whatever its content it is stored and answered Accepted (principle 2), with an
// anomaly when it cannot be read. A MeterHeartbeat that cannot be read is Rejected and kept.
import { ROBINSON_VENDOR_ID, parseRobinsonData } from '../../../protocol/robinson/index.js';
import type { TxMessageKind } from '../../app/ports.js';
import type { HandlerDeps, Handler } from './context.js';

export const dataTransfer =
  (deps: HandlerDeps): Handler<'DataTransfer'> =>
  async (ctx, request) => {
    if (request.vendorId !== ROBINSON_VENDOR_ID) return { status: 'UnknownVendorId' };
    const parsed = parseRobinsonData(request.messageId, request.data);
    if (!parsed.ok && parsed.reason === 'unknown-message-id') return { status: 'UnknownMessageId' };

    const kind: TxMessageKind = request.messageId === 'DeviceBill' ? 'device-bill' : 'meter-heartbeat';
    if (!parsed.ok) {
      ctx.logger.warn({ messageId: request.messageId, reason: parsed.reason }, 'unreadable Robinson data');
      ctx.replyAfter(
        deps.intake.record(
          ctx.origin,
          { kind, connectorId: null, transactionId: null, payload: { unreadable: request.data ?? null } },
          [{ kind: `robinson-${parsed.reason}`, detail: { messageId: request.messageId, errors: parsed.errors } }],
        ),
      );
      return { status: kind === 'device-bill' ? 'Accepted' : 'Rejected' };
    }
    const message = parsed.message;
    ctx.replyAfter(
      deps.intake.record(ctx.origin, {
        kind,
        connectorId: message.connectorId,
        transactionId: parsed.messageId === 'DeviceBill' ? parsed.message.transactionId : null,
        payload: message,
      }),
    );
    return { status: 'Accepted' };
  };
