// When a silent pile counts as offline (domain.md §A1.5, §B3 k_offline): OCPP-J piles may skip
// heartbeats while other PDUs flow, so silence means no frame *and* no pong.

export interface OfflinePolicy {
  readonly heartbeatIntervalS: number;
  readonly k: number;
  readonly minMs: number;
}

export function offlineAfterMs(policy: OfflinePolicy): number {
  return Math.max(policy.heartbeatIntervalS * 1000 * policy.k, policy.minMs);
}

export function isSilent(lastSeenAt: number, nowMs: number, policy: OfflinePolicy): boolean {
  return nowMs - lastSeenAt > offlineAfterMs(policy);
}
