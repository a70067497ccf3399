import { authorize } from './authorize.js';
import { bootNotification } from './boot-notification.js';
import type { HandlerDeps, HandlerTable } from './context.js';
import { dataTransfer } from './data-transfer.js';
import { diagnosticsStatusNotification } from './diagnostics-status-notification.js';
import { firmwareStatusNotification } from './firmware-status-notification.js';
import { heartbeat } from './heartbeat.js';
import { meterValues } from './meter-values.js';
import { startTransaction } from './start-transaction.js';
import { statusNotification } from './status-notification.js';
import { stopTransaction } from './stop-transaction.js';

export type { CallContext, HandlerDeps, HandlerTable } from './context.js';

export function createHandlers(deps: HandlerDeps): HandlerTable {
  return {
    BootNotification: bootNotification(deps),
    Heartbeat: heartbeat(deps),
    StatusNotification: statusNotification(),
    Authorize: authorize(deps),
    StartTransaction: startTransaction(deps),
    MeterValues: meterValues(deps),
    StopTransaction: stopTransaction(deps),
    DataTransfer: dataTransfer(deps),
    DiagnosticsStatusNotification: diagnosticsStatusNotification(),
    FirmwareStatusNotification: firmwareStatusNotification(),
  };
}
