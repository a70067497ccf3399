// Instants cross the operator API as ISO 8601 / RFC 3339 strings in UTC, in both directions;
// inside, they are epoch ms. One format everywhere, so no field needs its unit documented.

export const instantSchema = {
  type: 'string',
  format: 'date-time',
  description: 'RFC 3339 instant with offset, e.g. 2025-03-01T08:00:00Z',
} as const;

export const nullableInstantSchema = { ...instantSchema, type: ['string', 'null'] } as const;

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : toIso(ms);
}

/** Only for strings the schema has checked as date-time. */
export function fromIso(instant: string): number {
  return Date.parse(instant);
}
