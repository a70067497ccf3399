// Registering piles: who may connect, with which password, at which station, with which
// connectors (their maximum power bounds what a register may plausibly advance).
import type { PasswordHasher } from './passwords.js';
import { DIALECTS, type Clock, type Connector, type Dialect, type Pile, type PileStore } from './ports.js';
import { fail, ok, type Result } from './result.js';

export interface RegisterPileInput {
  readonly id: string;
  readonly password: string;
  readonly stationId: string;
  readonly dialect: Dialect;
  readonly connectors: readonly Connector[];
}

/** A pile as shown to operators: never its password hash. */
export type PileView = Omit<Pile, 'passwordHash'>;

// chargeBoxIdentity is the last path segment of the OCPP-J URL (OCPP-J 1.6 §3.1.1); it must be
// safe in a URL without escaping. The field's 20-digit ids fit.
const PILE_ID = /^[A-Za-z0-9._-]{1,48}$/;
// OCPP 1.6 security whitepaper: AuthorizationKey is 16 to 40 characters.
const MIN_PASSWORD = 16;
const MAX_PASSWORD = 40;

export function toPileView({ passwordHash: _hidden, ...view }: Pile): PileView {
  return view;
}

function checkPassword(password: string): string[] {
  return password.length < MIN_PASSWORD || password.length > MAX_PASSWORD
    ? [`password must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters (OCPP AuthorizationKey)`]
    : [];
}

function checkConnectors(connectors: readonly Connector[]): string[] {
  const problems: string[] = [];
  if (connectors.length === 0) problems.push('connectors: at least one connector is needed');
  const seen = new Set<number>();
  for (const c of connectors) {
    if (!Number.isInteger(c.connectorId) || c.connectorId < 1) {
      problems.push(`connectors: connectorId ${c.connectorId} must be an integer ≥ 1`);
    } else if (seen.has(c.connectorId)) {
      problems.push(`connectors: connectorId ${c.connectorId} appears twice`);
    }
    seen.add(c.connectorId);
    if (!Number.isInteger(c.maxPowerW) || c.maxPowerW <= 0) {
      problems.push(`connectors: maxPowerW of connector ${c.connectorId} must be a positive integer (W)`);
    }
  }
  return problems;
}

export function validatePileInput(input: RegisterPileInput): string[] {
  const problems: string[] = [];
  if (!PILE_ID.test(input.id)) problems.push('id must be 1 to 48 characters of A-Z a-z 0-9 . _ -');
  if (input.stationId.trim() === '' || input.stationId.length > 64) {
    problems.push('stationId must be 1 to 64 characters');
  }
  if (!DIALECTS.includes(input.dialect)) problems.push(`dialect must be one of ${DIALECTS.join(', ')}`);
  return [...problems, ...checkPassword(input.password), ...checkConnectors(input.connectors)];
}

export interface PileRegistry {
  register(input: RegisterPileInput): Promise<Result<PileView, 'invalid' | 'exists'>>;
  get(id: string): Promise<PileView | undefined>;
  list(): Promise<readonly PileView[]>;
  changePassword(id: string, password: string): Promise<Result<null, 'invalid' | 'not-found'>>;
  remove(id: string): Promise<boolean>;
}

export function createPileRegistry(deps: {
  readonly piles: PileStore;
  readonly passwords: PasswordHasher;
  readonly clock: Clock;
}): PileRegistry {
  const { piles, passwords, clock } = deps;
  return {
    async register(input) {
      const problems = validatePileInput(input);
      if (problems.length > 0) return fail('invalid', ...problems);
      const pile: Pile = {
        id: input.id,
        stationId: input.stationId,
        dialect: input.dialect,
        connectors: [...input.connectors].sort((a, b) => a.connectorId - b.connectorId),
        passwordHash: await passwords.hash(input.password),
        registeredAt: clock.now(),
        boot: null,
      };
      if (!(await piles.create(pile))) return fail('exists', `pile ${input.id} is registered already`);
      return ok(toPileView(pile));
    },
    async get(id) {
      const pile = await piles.get(id);
      return pile && toPileView(pile);
    },
    async list() {
      return (await piles.list()).map(toPileView);
    },
    async changePassword(id, password) {
      const problems = checkPassword(password);
      if (problems.length > 0) return fail('invalid', ...problems);
      const changed = await piles.setPasswordHash(id, await passwords.hash(password));
      return changed ? ok(null) : fail('not-found', `pile ${id} is not registered`);
    },
    remove: (id) => piles.remove(id),
  };
}
