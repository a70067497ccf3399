// Figures and instants as piles write them, read without a JS float and without the host's clock
// or zone, so a replay of the journal gives the same numbers anywhere.
import { Dec } from './decimal.js';

// OCPP 1.6 §7.45 calls a sampled value a decimal. decimal.js would also take "0x1F", "NaN",
// "Infinity" or "1e99999999999999999" (which it makes Infinity), so the text is checked first;
// "12,5" (a decimal comma) is refused rather than guessed.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A decimal figure written as text or an integer, or undefined when it is not one. */
export function parseDecimal(text: string | number): Dec | undefined {
  const trimmed = String(text).trim();
  return DECIMAL.test(trimmed) ? new Dec(trimmed) : undefined;
}

// OCPP 1.6 §3.15: ISO 8601. An offset is required: without one Date.parse reads the host's
// zone, and a replay of the journal on another host would move the readings.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of an ISO 8601 instant with an offset, or undefined. */
export function parseInstant(text: string): number | undefined {
  const m = ISO_INSTANT.exec(String(text).trim());
  if (m === null) return undefined;
  const part = (i: number): number => Number(m[i] ?? '0');
  const [year, month, day] = [part(1), part(2), part(3)];
  // Date.parse rolls 2020-02-30 over into March: a pile clock that says so is wrong, not early.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (part(4) > 23 || part(5) > 59 || part(6) > 59) return undefined;
  const ms = Date.parse(m[0]);
  return Number.isNaN(ms) ? undefined : ms;
}
