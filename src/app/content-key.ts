import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted, so equal content gives equal text whatever the key order.
 * Written as plain loops: it runs for every transaction message the gateway receives.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

/** The idempotency key of a message's content (DESIGN.md §1 principle 3). */
export function contentKey(value: unknown): string {
  return keyOfCanonical(canonicalJson(value));
}

/** contentKey, from the canonical JSON the caller has already made. */
export function keyOfCanonical(canonical: string): string {
  return hash('sha256', canonical, 'hex');
}
