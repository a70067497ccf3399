// An operator's thresholds for the billing rules (DESIGN.md §5): the figures it sets apart from
// the defaults (domain.md §B3), checked as the API receives them. Energies and ratios are
// decimal text, durations and instants whole ms, switches true or false, the energy precedence
// a list of sources. Every problem is collected and names its field, so one answer says all
// there is to fix.
import { DEFAULT_BILLING_PARAMS, type BillingParams } from './billing-params.js';
import { Dec } from './decimal.js';
import { ENERGY_SOURCES, type EnergySource } from './session-energy.js';

type Field = keyof BillingParams;
type Kind = 'ratio' | 'wh' | 'positive-wh' | 'ms' | 'positive-ms' | 'instant' | 'switch' | 'sources';

const KINDS: Readonly<Record<Field, Kind>> = {
  powerMargin: 'ratio',
  slackWh: 'wh',
  maxSessionWh: 'positive-wh',
  billGraceOnlineMs: 'ms',
  billGraceOfflineMs: 'ms',
  skewAnomalyMs: 'ms',
  futureMs: 'ms',
  epochMinMs: 'instant',
  minDurationWithEnergyMs: 'ms',
  minEnergyWh: 'wh',
  maxSessionMs: 'positive-ms',
  ghostSessionMs: 'ms',
  idleAnomalyMs: 'ms',
  plugOutUnknownMs: 'ms',
  overlapToleranceMs: 'ms',
  allowConcurrentIdTag: 'switch',
  energyToleranceWh: 'wh',
  energyToleranceRatio: 'ratio',
  durationToleranceMs: 'ms',
  durationToleranceRatio: 'ratio',
  amountToleranceRatio: 'ratio',
  registerGapToleranceWh: 'wh',
  interpolationGapMs: 'ms',
  energyPrecedence: 'sources',
};

export const BILLING_PARAM_NAMES = Object.keys(KINDS) as readonly Field[];

/** A threshold as JSON carries it: decimals as text (in their shortest form), ms as integers, switches as booleans, sources as a list. */
export type BillingParamJson = string | number | boolean | readonly EnergySource[];

/** The fields an operator sets, in JSON form; the rest are the defaults. */
export type BillingOverrides = Readonly<Partial<Record<Field, BillingParamJson>>>;

export type OverridesCheck =
  | { readonly ok: true; readonly overrides: BillingOverrides; readonly params: BillingParams }
  | { readonly ok: false; readonly problems: readonly string[] };

// Up to 1 GWh, in Wh with 3 decimals: any session a connector can deliver, stated exactly.
const WH = /^\d{1,10}(?:\.\d{1,3})?$/;
const RATIO = /^\d(?:\.\d{1,6})?$/;
// About 100 years of ms: enough for any grace time, and far from Number's safe range.
const MAX_MS = 100 * 366 * 86_400_000;
const MAX_INSTANT_MS = Date.UTC(2100, 0, 1);

type Parsed = { readonly value: Dec | number | boolean | readonly EnergySource[]; readonly json: BillingParamJson };

function parse(field: Field, kind: Kind, value: unknown): Parsed | string {
  switch (kind) {
    case 'ratio':
      if (typeof value !== 'string' || !RATIO.test(value) || new Dec(value).gt(1))
        return `${field} must be a ratio from "0" to "1" as text, such as "0.02"`;
      const ratio = new Dec(value);
      return { value: ratio, json: ratio.toString() };
    case 'wh':
    case 'positive-wh': {
      const example = `"${DEFAULT_BILLING_PARAMS[field].toString()}"`;
      if (typeof value !== 'string' || !WH.test(value))
        return `${field} must be Wh as decimal text of at most 3 decimals, such as ${example}`;
      const wh = new Dec(value);
      if (kind === 'positive-wh' && wh.isZero()) return `${field} must be more than 0 Wh`;
      return { value: wh, json: wh.toString() };
    }
    case 'ms':
    case 'positive-ms':
    case 'instant': {
      const ok = Number.isSafeInteger(value) && (value as number) >= (kind === 'positive-ms' ? 1 : 0);
      if (!ok || (value as number) > (kind === 'instant' ? MAX_INSTANT_MS : MAX_MS))
        return kind === 'instant'
          ? `${field} must be an instant in epoch ms before 2100, such as ${DEFAULT_BILLING_PARAMS.epochMinMs}`
          : `${field} must be whole ms from ${kind === 'positive-ms' ? 1 : 0} to ${MAX_MS}`;
      return { value: value as number, json: value as number };
    }
    case 'switch':
      if (typeof value !== 'boolean') return `${field} must be true or false`;
      return { value, json: value };
    case 'sources': {
      const known = new Set<unknown>(ENERGY_SOURCES);
      const list = Array.isArray(value) ? (value as unknown[]) : [];
      if (list.length === 0 || list.some((s) => !known.has(s)) || new Set(list).size !== list.length)
        return `${field} must list energy sources from ${ENERGY_SOURCES.join(', ')}, best first, each once`;
      const sources = Object.freeze([...(list as EnergySource[])]);
      return { value: sources, json: sources };
    }
  }
}

/**
 * `input` is untrusted: what the API received. Unknown fields are refused, not dropped, so a
 * misspelt threshold is never silently left at its default.
 */
export function checkBillingOverrides(input: unknown): OverridesCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, problems: ['billingParams must be an object of thresholds'] };
  const problems: string[] = [];
  const overrides: Partial<Record<Field, BillingParamJson>> = {};
  const params: Record<string, unknown> = { ...DEFAULT_BILLING_PARAMS };
  for (const [field, value] of Object.entries(input)) {
    const kind = Object.hasOwn(KINDS, field) ? KINDS[field as Field] : undefined;
    if (kind === undefined) {
      problems.push(`${field} is not a billing threshold; known: ${BILLING_PARAM_NAMES.join(', ')}`);
      continue;
    }
    const parsed = parse(field as Field, kind, value);
    if (typeof parsed === 'string') problems.push(parsed);
    else {
      overrides[field as Field] = parsed.json;
      params[field] = parsed.value;
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, overrides, params: Object.freeze(params as unknown as BillingParams) };
}

/** Every threshold of `params` in JSON form, for an operator to read what is in force. */
export function billingParamsJson(params: BillingParams): Readonly<Record<Field, BillingParamJson>> {
  const json: Partial<Record<Field, BillingParamJson>> = {};
  for (const field of BILLING_PARAM_NAMES) {
    const value = params[field];
    json[field] = Dec.isDecimal(value) ? value.toString() : (value as number | boolean | readonly EnergySource[]);
  }
  return json as Record<Field, BillingParamJson>;
}
