// Tariffs as the operator API shows them: schemas and the mapping from the use cases' values.
// Decimals cross the wire as strings with their full precision ("0.85000"), never as numbers.
import type { TariffAt } from '../app/tariff-book.js';
import type { TariffBinding, TariffSummary } from '../app/ports.js';
import { TIERS, type TariffVersion, type TierPrice } from '../core/tariff.js';
import { PRICE_DECIMALS, YUAN_DECIMALS } from '../core/tariff-draft.js';
import { instantSchema, toIso } from './wire-time.js';

export const tariffIdParams = {
  type: 'object',
  required: ['tariffId'],
  properties: { tariffId: { type: 'string', description: '1 to 48 of A-Z a-z 0-9 . _ -' } },
} as const;

export const stationIdParams = {
  type: 'object',
  required: ['stationId'],
  properties: { stationId: { type: 'string', description: 'the stationId piles are registered with' } },
} as const;

const decimal = (description: string) => ({ type: 'string', description }) as const;

const periodSchema = {
  type: 'object',
  required: ['from', 'to', 'tier'],
  properties: {
    from: { type: 'string', description: 'local HH:MM, 00:00–23:59' },
    to: { type: 'string', description: 'local HH:MM, 24:00 allowed; earlier than from = crosses midnight' },
    tier: { type: 'string', enum: TIERS },
  },
} as const;

const periodsSchema = {
  type: 'array',
  items: periodSchema,
  description: 'must tile 00:00–24:00: no gap, no overlap',
} as const;

const tierPriceSchema = {
  type: 'object',
  required: ['electricityPerKwh', 'servicePerKwh'],
  properties: {
    electricityPerKwh: decimal('电费, yuan per kWh, up to 5 decimals, e.g. "0.85000"'),
    servicePerKwh: decimal('服务费, yuan per kWh, up to 5 decimals'),
  },
} as const;

const termsProperties = {
  effectiveFrom: { ...instantSchema, description: 'sessions starting from this instant are priced by this version' },
  timeZone: { type: 'string', description: 'IANA zone of the local times; Asia/Shanghai when absent' },
  prices: {
    type: 'object',
    description: 'a price for every tier the schedules use',
    properties: Object.fromEntries(TIERS.map((t) => [t, tierPriceSchema])),
  },
  seasons: {
    type: 'array',
    description: 'every month 1–12 in exactly one season',
    items: {
      type: 'object',
      required: ['months', 'periods'],
      properties: { months: { type: 'array', items: { type: 'integer' } }, periods: periodsSchema },
    },
  },
  holidays: {
    type: 'array',
    description: 'local dates whose schedule replaces their season’s',
    items: {
      type: 'object',
      required: ['date', 'periods'],
      properties: { date: { type: 'string', description: 'local YYYY-MM-DD' }, periods: periodsSchema },
    },
  },
  idleFee: {
    type: ['object', 'null'],
    description: '占位费 after charging: free minutes, then a price per minute up to a cap; null = none',
    required: ['freeMinutes', 'pricePerMinute'],
    properties: {
      freeMinutes: { type: 'integer' },
      pricePerMinute: decimal('yuan per minute, up to 5 decimals'),
      capYuan: { type: ['string', 'null'], description: 'yuan, up to 2 decimals; null = no cap' },
    },
  },
} as const;

/** The body of POST /tariffs/{tariffId}/versions; its rules are checked by the core. */
export const tariffDraftSchema = {
  type: 'object',
  required: ['effectiveFrom', 'prices', 'seasons'],
  properties: termsProperties,
} as const;

const bindingProperties = {
  stationId: { type: 'string' },
  tariffId: { type: 'string' },
  effectiveFrom: { ...instantSchema, description: 'sessions starting from this instant use this tariff' },
  boundAt: instantSchema,
} as const;

export const tariffSchemas = [
  {
    $id: 'TariffVersion',
    type: 'object',
    required: ['tariffId', 'version', 'timeZone', 'holidays', 'idleFee', 'createdAt', ...tariffDraftSchema.required],
    properties: {
      tariffId: { type: 'string' },
      version: { type: 'integer', description: '1, 2, 3, … per tariff' },
      ...termsProperties,
      idleFee: { ...termsProperties.idleFee, required: ['freeMinutes', 'pricePerMinute', 'capYuan'] },
      createdAt: instantSchema,
    },
  },
  {
    $id: 'TariffSummary',
    type: 'object',
    required: ['tariffId', 'latestVersion', 'updatedAt'],
    properties: {
      tariffId: { type: 'string' },
      latestVersion: { type: 'integer' },
      updatedAt: { ...instantSchema, description: 'when the latest version was created' },
    },
  },
  { $id: 'TariffBinding', type: 'object', required: Object.keys(bindingProperties), properties: bindingProperties },
  {
    $id: 'StationTariff',
    type: 'object',
    required: ['stationId', 'bindings', 'current', 'currentProblem'],
    properties: {
      stationId: { type: 'string' },
      bindings: { type: 'array', items: { $ref: 'TariffBinding#' }, description: 'oldest first, future ones included' },
      current: {
        type: ['object', 'null'],
        description: 'what prices a session starting at the instant asked about',
        required: ['binding', 'version'],
        properties: { binding: { $ref: 'TariffBinding#' }, version: { $ref: 'TariffVersion#' } },
      },
      currentProblem: { type: ['string', 'null'], description: 'why current is null' },
    },
  },
];

const priceToWire = (p: TierPrice) => ({
  electricityPerKwh: p.electricityPerKwh.toFixed(PRICE_DECIMALS),
  servicePerKwh: p.servicePerKwh.toFixed(PRICE_DECIMALS),
});

export function versionToWire(v: TariffVersion) {
  return {
    ...v,
    effectiveFrom: toIso(v.effectiveFrom),
    prices: Object.fromEntries(TIERS.flatMap((t) => (v.prices[t] ? [[t, priceToWire(v.prices[t])]] : []))),
    idleFee: v.idleFee && {
      freeMinutes: v.idleFee.freeMinutes,
      pricePerMinute: v.idleFee.pricePerMinute.toFixed(PRICE_DECIMALS),
      capYuan: v.idleFee.capYuan?.toFixed(YUAN_DECIMALS) ?? null,
    },
    createdAt: toIso(v.createdAt),
  };
}

export const summaryToWire = (s: TariffSummary) => ({ ...s, updatedAt: toIso(s.updatedAt) });

export const bindingToWire = (b: TariffBinding) => ({
  ...b,
  effectiveFrom: toIso(b.effectiveFrom),
  boundAt: toIso(b.boundAt),
});

export function currentToWire(at: TariffAt) {
  return at.ok
    ? {
        current: { binding: bindingToWire(at.value.binding), version: versionToWire(at.value.version) },
        currentProblem: null,
      }
    : { current: null, currentProblem: at.problems.join('; ') };
}
