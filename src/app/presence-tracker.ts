// Online/offline per pile. A connection makes a pile online and ends its open offline
// interval; a close or a silence of k × heartbeat (no frame, no pong) opens one.
import type { Clock, OfflineLog, Presence, PresenceEntry } from './ports.js';

export type OfflineCause = 'disconnect' | 'silence';

export interface PresenceTracker {
  /** Returns the presence entry the new connection replaced, if any (possibly on another node). */
  connected(pileId: string, connectionId: string): Promise<PresenceEntry | undefined>;
  /**
   * A frame or pong arrived. Writes to the presence store at most every `touchEveryMs`, and
   * returns undefined when it did not write (it runs for every frame: no promise then); false
   * when a newer connection, on any node, holds the pile now.
   */
  seen(pileId: string, connectionId: string, atMs: number): Promise<boolean> | undefined;
  /** The connection ended, or was found silent since `atMs`. */
  disconnected(pileId: string, connectionId: string, atMs: number, cause: OfflineCause): Promise<void>;
  /**
   * Piles held by other nodes that nobody has heard from for twice the offline threshold: their
   * node died with the sockets, so no watchdog of its own will report them.
   */
  sweepOtherNodes(): Promise<readonly string[]>;
}

export function createPresenceTracker(deps: {
  readonly presence: Presence;
  readonly offlineLog: OfflineLog;
  readonly clock: Clock;
  readonly nodeId: string;
  readonly touchEveryMs: number;
  readonly offlineAfterMs: number;
}): PresenceTracker {
  const { presence, offlineLog, clock, nodeId, touchEveryMs } = deps;
  // By pile, not by connection: a replaced connection never reports its end, and a map keyed by
  // connection would keep its entry for ever. One entry per pile this node has held.
  const lastTouch = new Map<string, number>();

  async function disconnected(pileId: string, connectionId: string, atMs: number, cause: OfflineCause) {
    if (await presence.disconnect(pileId, connectionId)) await offlineLog.open(pileId, atMs, cause);
  }

  return {
    async connected(pileId, connectionId) {
      const now = clock.now();
      lastTouch.set(pileId, now);
      const previous = await presence.connect({ pileId, nodeId, connectionId, connectedAt: now, lastSeenAt: now });
      await offlineLog.close(pileId, now);
      return previous;
    },
    seen(pileId, connectionId, atMs) {
      const last = lastTouch.get(pileId);
      if (last !== undefined && atMs - last < touchEveryMs) return undefined;
      lastTouch.set(pileId, atMs);
      return presence.touch(pileId, connectionId, atMs);
    },
    disconnected,
    async sweepOtherNodes() {
      const silent = await presence.listSilentSince(clock.now() - 2 * deps.offlineAfterMs);
      const orphaned = silent.filter((entry) => entry.nodeId !== nodeId);
      for (const entry of orphaned) await disconnected(entry.pileId, entry.connectionId, entry.lastSeenAt, 'silence');
      return orphaned.map((entry) => entry.pileId);
    },
  };
}
