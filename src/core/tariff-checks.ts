// Field checks for a tariff draft: each returns the parsed value or problems that name the field.
import { Dec } from './decimal.js';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: string[] };

const good = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (...problems: string[]): Checked<never> => ({ ok: false, problems });

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Below 100 000 a figure with at most 5 decimals has at most 10 significant digits, so even one
// that crossed JSON as a number and was turned back into text is exactly what the client wrote.
const MAX_INTEGER_DIGITS = 5;

/**
 * A non-negative decimal written as text ("0.85000"), never a float. Prices carry 5 decimals
 * (domain.md §B2.3: 1e-5 元/kWh, the precision YKC piles use); amounts in yuan carry 2 (fen).
 */
export function decimalField(path: string, value: unknown, maxDecimals: number): Checked<Dec> {
  const example = `"${new Dec('0.85').toFixed(maxDecimals)}"`;
  if (typeof value !== 'string') return bad(`${path} must be a decimal string such as ${example}`);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (match === null) return bad(`${path} "${value}" is not a decimal number such as ${example}`);
  const [, sign, integer = '', fraction = ''] = match;
  const problems: string[] = [];
  if (sign === '-') problems.push(`${path} "${value}" must not be negative`);
  if (fraction.length > maxDecimals) problems.push(`${path} "${value}" has more than ${maxDecimals} decimals`);
  if (integer.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) problems.push(`${path} "${value}" is too large`);
  return problems.length > 0 ? bad(...problems) : good(new Dec(value));
}

export function wholeMinutesField(path: string, value: unknown): Checked<number> {
  return Number.isSafeInteger(value) && (value as number) >= 0
    ? good(value as number)
    : bad(`${path} must be a whole number of minutes ≥ 0`);
}

/** "1–5, 10–12": months as the operator would say them. */
export function monthsLabel(months: readonly unknown[]): string {
  const sorted = [...new Set(months.filter((m): m is number => Number.isInteger(m)))].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j += 1;
    runs.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** Each month 1–12 in exactly one season. */
export function monthCoverageProblems(seasons: readonly (readonly unknown[])[]): string[] {
  const problems: string[] = [];
  const owner = new Map<number, number>();
  seasons.forEach((months, s) => {
    for (const month of months) {
      if (typeof month !== 'number' || !Number.isInteger(month) || month < 1 || month > 12) {
        problems.push(`seasons[${s}].months: ${JSON.stringify(month)} is not a month (1–12)`);
        continue;
      }
      const first = owner.get(month);
      if (first === undefined) owner.set(month, s);
      else if (first === s) problems.push(`seasons[${s}].months lists month ${month} twice`);
      else {
        const where = (i: number) => `season months ${monthsLabel(seasons[i]!)}`;
        problems.push(`month ${month} is in ${where(first)} and in ${where(s)}`);
      }
    }
  });
  const missing = [...Array(12).keys()].map((i) => i + 1).filter((m) => !owner.has(m));
  if (missing.length === 1) problems.push(`month ${missing[0]} is in no season`);
  if (missing.length > 1) problems.push(`months ${monthsLabel(missing)} are in no season`);
  return problems;
}
