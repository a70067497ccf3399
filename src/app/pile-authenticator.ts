// OCPP security profile 1: HTTP Basic auth at the WebSocket upgrade. A verified password is
// remembered (as a SHA-256, never in clear) so that a reconnect storm after a restart or a
// network blip costs one scrypt per pile, not one per connection attempt.
import { createHash } from 'node:crypto';
import type { PasswordHasher } from './passwords.js';
import type { Pile, PileStore } from './ports.js';

export type AuthOutcome =
  | { readonly ok: true; readonly pile: Pile }
  | { readonly ok: false; readonly reason: 'unknown-pile' | 'no-password' | 'wrong-password' };

export interface PileAuthenticator {
  authenticate(pileId: string, password: Buffer | undefined): Promise<AuthOutcome>;
}

const digest = (hash: string, password: Buffer) => createHash('sha256').update(hash).update(password).digest('hex');

export function createPileAuthenticator(deps: {
  readonly piles: PileStore;
  readonly passwords: PasswordHasher;
}): PileAuthenticator {
  // pile id → digest of (stored hash, password); a changed hash invalidates the entry by itself.
  const verified = new Map<string, string>();
  return {
    async authenticate(pileId, password) {
      const pile = await deps.piles.get(pileId);
      if (pile === undefined) return { ok: false, reason: 'unknown-pile' };
      if (password === undefined) return { ok: false, reason: 'no-password' };
      const key = digest(pile.passwordHash, password);
      if (verified.get(pileId) === key) return { ok: true, pile };
      if (!(await deps.passwords.verify(password.toString('utf8'), pile.passwordHash))) {
        return { ok: false, reason: 'wrong-password' };
      }
      verified.set(pileId, key);
      return { ok: true, pile };
    },
  };
}
