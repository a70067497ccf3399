// Online/offline as operators see it: the live presence entry and the stored offline history.
import type { OfflineInterval, OfflineLog, Presence } from './ports.js';

export interface PileStatus {
  readonly pileId: string;
  readonly online: boolean;
  readonly connectedAt: number | null;
  readonly lastSeenAt: number | null;
  readonly nodeId: string | null;
  readonly offlineIntervals: readonly OfflineInterval[];
}

export interface PileStatusQuery {
  status(pileId: string, historyLimit?: number): Promise<PileStatus>;
  /** Pile ids with a live connection somewhere in the cluster. */
  online(): Promise<ReadonlySet<string>>;
}

export function createPileStatusQuery(deps: {
  readonly presence: Presence;
  readonly offlineLog: OfflineLog;
}): PileStatusQuery {
  return {
    async status(pileId, historyLimit = 50) {
      const [entry, offlineIntervals] = await Promise.all([
        deps.presence.get(pileId),
        deps.offlineLog.list(pileId, historyLimit),
      ]);
      return {
        pileId,
        online: entry !== undefined,
        connectedAt: entry?.connectedAt ?? null,
        lastSeenAt: entry?.lastSeenAt ?? null,
        nodeId: entry?.nodeId ?? null,
        offlineIntervals,
      };
    },
    async online() {
      return new Set((await deps.presence.list()).map((e) => e.pileId));
    },
  };
}
