// The OCPP 1.6 JSON schemas ocpp-rpc validates with, as one validator for the whole gateway.
import { createRequire } from 'node:module';
import { createRpcValidator, type RpcValidator } from './rpc.js';

const schemas: unknown = createRequire(import.meta.url)('ocpp-rpc/lib/schemas/ocpp1_6.json');

export const ocpp16Validator: RpcValidator = createRpcValidator('ocpp1.6', schemas);
