// Bill numbers as the field writes them (field-cases.md): the session's start in the station's
// local time, yyyyMMddHHmmss, then 6 digits. The digits come from the pile and the session key,
// so rebuilding a session from the journal gives it the same number.
import { offsetAt } from './zoned-time.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** FNV-1a, 32 bits: a stable spread of the key over the 6 digits. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** yyyyMMddHHmmss of `atMs` in `timeZone`. */
export function localStamp(atMs: number, timeZone: string): string {
  const wall = new Date(atMs + offsetAt(timeZone, atMs));
  return (
    pad(wall.getUTCFullYear(), 4) +
    pad(wall.getUTCMonth() + 1, 2) +
    pad(wall.getUTCDate(), 2) +
    pad(wall.getUTCHours(), 2) +
    pad(wall.getUTCMinutes(), 2) +
    pad(wall.getUTCSeconds(), 2)
  );
}

const suffix = (pileId: string, sessionKey: string, attempt: number) =>
  pad(fnv1a(attempt === 0 ? `${pileId}/${sessionKey}` : `${pileId}/${sessionKey}#${attempt}`) % 1_000_000, 6);

export function billNumber(startMs: number, timeZone: string, pileId: string, sessionKey: string): string {
  return localStamp(startMs, timeZone) + suffix(pileId, sessionKey, 0);
}

/**
 * The same bill's number on its `attempt`-th try, when the first one was taken by another
 * session that started in the same second (6 digits collide once in a million).
 */
export function retriedBillNumber(billNo: string, pileId: string, sessionKey: string, attempt: number): string {
  return billNo.slice(0, 14) + suffix(pileId, sessionKey, attempt);
}
