// In-process twin of RedisPresence for a single gateway node (no REDIS_URL): the same rules,
// held in a Map.
import type { Presence, PresenceEntry } from '../app/ports.js';

export function createMemoryPresence(): Presence {
  const entries = new Map<string, PresenceEntry>();

  function ownedBy(pileId: string, connectionId: string): PresenceEntry | undefined {
    const entry = entries.get(pileId);
    return entry?.connectionId === connectionId ? entry : undefined;
  }

  return {
    async connect(entry) {
      const previous = entries.get(entry.pileId);
      // A copy, so a caller mutating its object cannot change what others read.
      entries.set(entry.pileId, { ...entry });
      return previous;
    },
    async touch(pileId, connectionId, atMs) {
      const entry = ownedBy(pileId, connectionId);
      // Frames from one socket can be handled out of order; lastSeenAt never moves back.
      if (entry !== undefined && atMs > entry.lastSeenAt) entries.set(pileId, { ...entry, lastSeenAt: atMs });
      return entry !== undefined;
    },
    async disconnect(pileId, connectionId) {
      // The close of a replaced socket arrives after the new connection registered: ignore it.
      return ownedBy(pileId, connectionId) !== undefined && entries.delete(pileId);
    },
    async get(pileId) {
      return entries.get(pileId);
    },
    async list() {
      return [...entries.values()];
    },
    async listSilentSince(cutoffMs) {
      return [...entries.values()].filter((entry) => entry.lastSeenAt < cutoffMs);
    },
  };
}
