import type { OcppAction } from './types.generated.js';

export type * from './types.generated.js';

/** Pile → gateway: the actions the gateway answers (DESIGN.md §3); others get NotImplemented. */
export const PILE_ACTIONS = [
  'BootNotification',
  'Heartbeat',
  'StatusNotification',
  'Authorize',
  'StartTransaction',
  'MeterValues',
  'StopTransaction',
  'DataTransfer',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
] as const satisfies readonly OcppAction[];
export type PileAction = (typeof PILE_ACTIONS)[number];

/** Gateway → pile: the commands the gateway sends (DESIGN.md §3). */
export const COMMAND_ACTIONS = [
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ChangeConfiguration',
  'GetConfiguration',
  'Reset',
  'TriggerMessage',
  'UnlockConnector',
  'ChangeAvailability',
] as const satisfies readonly OcppAction[];
export type CommandAction = (typeof COMMAND_ACTIONS)[number];
