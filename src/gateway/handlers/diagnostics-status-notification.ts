import type { Handler } from './context.js';

// Kept in the journal; nothing else depends on it yet.
export const diagnosticsStatusNotification = (): Handler<'DiagnosticsStatusNotification'> => async () => ({});
