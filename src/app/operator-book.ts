// Operators, their thresholds for the billing rules, and the stations they run (DESIGN.md §5).
// An operator states only the thresholds it changes; the core checks them and fills in the
// defaults. Billing asks for the thresholds of a pile's station: a station bound to no operator
// is billed with the defaults.
import { checkBillingOverrides } from '../core/billing-overrides.js';
import { DEFAULT_BILLING_PARAMS, type BillingParams } from '../core/billing-params.js';
import type { Clock, OperatorRecord, OperatorStore, StationOperator } from './ports.js';
import { fail, ok, type Result } from './result.js';

// An operator id is a path segment of the operator API (/operators/{operatorId}).
const OPERATOR_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_NAME = 255;
const MAX_STATION_ID = 64;

export interface OperatorView extends OperatorRecord {
  /** Every threshold in force for the operator's stations: its own, then the defaults. */
  readonly billingParams: BillingParams;
}

export interface OperatorBook {
  /** `input` is untrusted: `{ name, billingParams? }` as the API received it. */
  put(operatorId: string, input: unknown): Promise<Result<{ operator: OperatorView; created: boolean }, 'invalid'>>;
  get(operatorId: string): Promise<Result<OperatorView, 'not-found'>>;
  list(): Promise<readonly OperatorView[]>;
  bindStation(stationId: string, operatorId: unknown): Promise<Result<StationOperator, 'invalid' | 'not-found'>>;
  stationOperator(stationId: string): Promise<Result<StationOperator, 'not-found'>>;
  /** The thresholds billing uses for sessions at the station. */
  billingParamsOf(stationId: string): Promise<BillingParams>;
}

/** The stored thresholds were checked when written; failing now means the store was altered. */
function viewOf(record: OperatorRecord): OperatorView {
  const checked = checkBillingOverrides(record.billingOverrides);
  if (!checked.ok) {
    throw new Error(`operator ${record.id}: stored billing thresholds are invalid: ${checked.problems.join('; ')}`);
  }
  return { ...record, billingParams: checked.params };
}

export function createOperatorBook(deps: { readonly operators: OperatorStore; readonly clock: Clock }): OperatorBook {
  const { operators, clock } = deps;
  return {
    async put(operatorId, input) {
      const problems: string[] = [];
      if (!OPERATOR_ID.test(operatorId)) problems.push('operatorId must be 1 to 64 characters of A-Z a-z 0-9 . _ -');
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return fail('invalid', ...problems, 'the body must be an object { name, billingParams }');
      }
      const { name, billingParams, ...unknown } = input as Record<string, unknown>;
      for (const field of Object.keys(unknown)) problems.push(`${field} is not a field of an operator`);
      if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) {
        problems.push(`name must be 1 to ${MAX_NAME} characters`);
      }
      const checked = checkBillingOverrides(billingParams ?? {});
      if (!checked.ok) problems.push(...checked.problems);
      if (problems.length > 0 || !checked.ok) return fail('invalid', ...problems);
      const record: OperatorRecord = {
        id: operatorId,
        name: (name as string).trim(),
        billingOverrides: checked.overrides,
        updatedAt: clock.now(),
      };
      const created = await operators.put(record);
      return ok({ operator: { ...record, billingParams: checked.params }, created });
    },
    async get(operatorId) {
      const record = await operators.get(operatorId);
      return record === undefined ? fail('not-found', `operator ${operatorId} does not exist`) : ok(viewOf(record));
    },
    async list() {
      return (await operators.list()).map(viewOf);
    },
    async bindStation(stationId, operatorId) {
      const problems: string[] = [];
      if (stationId.trim() === '' || stationId.length > MAX_STATION_ID) {
        problems.push(`stationId must be 1 to ${MAX_STATION_ID} characters`);
      }
      if (typeof operatorId !== 'string' || operatorId === '') problems.push('operatorId must be an operator id');
      if (problems.length > 0) return fail('invalid', ...problems);
      if ((await operators.get(operatorId as string)) === undefined) {
        return fail('not-found', `operator ${String(operatorId)} does not exist`);
      }
      const binding: StationOperator = { stationId, operatorId: operatorId as string, boundAt: clock.now() };
      await operators.bindStation(binding);
      return ok(binding);
    },
    async stationOperator(stationId) {
      const binding = await operators.stationOperator(stationId);
      return binding === undefined ? fail('not-found', `station ${stationId} is bound to no operator`) : ok(binding);
    },
    async billingParamsOf(stationId) {
      const record = await operators.operatorOfStation(stationId);
      return record === undefined ? DEFAULT_BILLING_PARAMS : viewOf(record).billingParams;
    },
  };
}
