// OCPP 1.6 §7.2 AuthorizationStatus, decided from the registered tag and the time of the request.

export const AUTHORIZATION_STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

export interface RegisteredTag {
  readonly status: 'Accepted' | 'Blocked';
  readonly expiresAt: number | null;
}

export function authorizeTag(tag: RegisteredTag | undefined, nowMs: number): AuthorizationStatus {
  if (tag === undefined) return 'Invalid';
  if (tag.status === 'Blocked') return 'Blocked';
  if (tag.expiresAt !== null && tag.expiresAt <= nowMs) return 'Expired';
  return 'Accepted';
}
