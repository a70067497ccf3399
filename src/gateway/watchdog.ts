// Finds piles that went silent: no frame and no pong for k × heartbeat (domain.md §A1.5). A
// half-open TCP connection can look alive for a long time; the pile is offline all the same.
// Also sweeps the piles of nodes that died, which no watchdog of their own will report.
import type { Logger } from 'pino';
import type { Clock } from '../app/ports.js';
import type { PresenceTracker } from '../app/presence-tracker.js';
import { isSilent, offlineAfterMs, type OfflinePolicy } from '../core/presence.js';
import type { LiveConnection } from './connection.js';

export function startWatchdog(deps: {
  readonly live: ReadonlyMap<string, LiveConnection>;
  readonly clock: Clock;
  readonly policy: OfflinePolicy;
  readonly presence: PresenceTracker;
  readonly logger: Logger;
}): () => void {
  const thresholdMs = offlineAfterMs(deps.policy);
  const local = setInterval(
    () => {
      const now = deps.clock.now();
      for (const connection of [...deps.live.values()]) {
        if (isSilent(connection.lastSeenAt, now, deps.policy)) connection.silence();
      }
    },
    Math.min(Math.max(thresholdMs / 4, 100), 5000),
  );
  const cluster = setInterval(
    () => {
      deps.presence.sweepOtherNodes().then(
        (piles) => piles.length > 0 && deps.logger.warn({ piles }, 'piles of an unresponsive node marked offline'),
        (err: unknown) => deps.logger.warn({ err }, 'cluster offline sweep failed'),
      );
    },
    Math.max(thresholdMs, 1000),
  );
  local.unref();
  cluster.unref();
  return () => {
    clearInterval(local);
    clearInterval(cluster);
  };
}
