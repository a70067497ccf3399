// The one Decimal of pilegate (DESIGN.md §4): money and energy never pass through a JS float.
// Every figure is built here, from a string or an integer, and rounded only at named points
// (a bill line to fen). 40 significant digits hold any tariff × energy product exactly.
import decimalModule from 'decimal.js';
import type { Decimal } from 'decimal.js';

// decimal.js types its ESM entry as CommonJS: at run time the default import is the class.
const DecimalClass = decimalModule as unknown as typeof Decimal;

export const Dec = DecimalClass.clone({
  precision: 40,
  rounding: DecimalClass.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Dec = Decimal;

export const ZERO: Dec = new Dec(0);

/** The larger of two decimals. */
export const maxOf = (a: Dec, b: Dec): Dec => (a.gte(b) ? a : b);

/** The smaller of two decimals. */
export const minOf = (a: Dec, b: Dec): Dec => (a.lte(b) ? a : b);

/** The sum of a list of decimals; zero for an empty list. */
export const sumOf = (values: readonly Dec[]): Dec => values.reduce((sum: Dec, v) => sum.plus(v), ZERO);
