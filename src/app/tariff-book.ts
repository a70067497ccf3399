// Tariff versions and which tariff each station uses (DESIGN.md §4). Operators draft versions,
// the core checks them, the store numbers them; billing asks which version prices a session that
// started at a station at a given instant, and gets a reason when none does: never a silent 0.
import { versionInForce, type TariffVersion } from '../core/tariff.js';
import { validateTariffDraft } from '../core/tariff-draft.js';
import type { Clock, TariffBinding, TariffStore, TariffSummary } from './ports.js';
import { fail, ok, type Failure, type Ok, type Result } from './result.js';

// A tariff id is a path segment of the operator API (/tariffs/{tariffId}/versions): it must be
// safe in a URL without escaping.
const TARIFF_ID = /^[A-Za-z0-9._-]{1,48}$/;
const MAX_STATION_ID = 64;

/** The version pricing a session that starts at the station at that instant, or why there is none. */
export type TariffAt =
  | Ok<{ readonly binding: TariffBinding; readonly version: TariffVersion }>
  | Failure<'no-tariff-bound' | 'no-version-in-force'>;

export interface BindTariffInput {
  readonly stationId: string;
  readonly tariffId: string;
  readonly effectiveFrom: number;
}

export interface StationTariff {
  /** Oldest first, future ones included. */
  readonly bindings: readonly TariffBinding[];
  /** What prices a session starting at the instant asked about (now, unless told). */
  readonly current: TariffAt;
}

export interface TariffBook {
  /** `draft` is untrusted: what the API received, with effectiveFrom in epoch ms. */
  createVersion(tariffId: string, draft: unknown): Promise<Result<TariffVersion, 'invalid'>>;
  versions(tariffId: string): Promise<Result<readonly TariffVersion[], 'not-found'>>;
  tariffs(): Promise<readonly TariffSummary[]>;
  bind(input: BindTariffInput): Promise<Result<TariffBinding, 'invalid' | 'not-found' | 'exists'>>;
  stationTariff(stationId: string, atMs?: number): Promise<Result<StationTariff, 'not-found'>>;
  tariffVersionAt(stationId: string, atMs: number): Promise<TariffAt>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function checkBinding(input: BindTariffInput): string[] {
  const problems: string[] = [];
  if (input.stationId.trim() === '' || input.stationId.length > MAX_STATION_ID) {
    problems.push(`stationId must be 1 to ${MAX_STATION_ID} characters`);
  }
  if (!Number.isSafeInteger(input.effectiveFrom)) problems.push('effectiveFrom must be an instant');
  return problems;
}

export function createTariffBook(deps: { readonly tariffs: TariffStore; readonly clock: Clock }): TariffBook {
  const { tariffs, clock } = deps;

  async function tariffVersionAt(stationId: string, atMs: number): Promise<TariffAt> {
    const binding = await tariffs.bindingAt(stationId, atMs);
    if (binding === undefined)
      return fail('no-tariff-bound', `station ${stationId} has no tariff bound at ${iso(atMs)}`);
    const version = versionInForce(await tariffs.versions(binding.tariffId), atMs);
    if (version === undefined) {
      return fail('no-version-in-force', `tariff ${binding.tariffId} has no version in force at ${iso(atMs)}`);
    }
    return ok({ binding, version });
  }

  return {
    async createVersion(tariffId, draft) {
      if (!TARIFF_ID.test(tariffId)) return fail('invalid', 'tariffId must be 1 to 48 characters of A-Z a-z 0-9 . _ -');
      const checked = validateTariffDraft(draft);
      if (!checked.ok) return fail('invalid', ...checked.problems);
      return ok(await tariffs.createVersion(tariffId, checked.terms, clock.now()));
    },
    async versions(tariffId) {
      const versions = await tariffs.versions(tariffId);
      return versions.length > 0 ? ok(versions) : fail('not-found', `tariff ${tariffId} has no versions`);
    },
    tariffs: () => tariffs.tariffs(),
    async bind(input) {
      const problems = checkBinding(input);
      if (problems.length > 0) return fail('invalid', ...problems);
      const versions = await tariffs.versions(input.tariffId);
      if (versions.length === 0) return fail('not-found', `tariff ${input.tariffId} has no versions`);
      // Bound without a version in force, the station's sessions would have no price: refuse now
      // rather than find out at billing time.
      if (versionInForce(versions, input.effectiveFrom) === undefined) {
        const first = Math.min(...versions.map((v) => v.effectiveFrom));
        return fail(
          'invalid',
          `tariff ${input.tariffId} has no version in force at ${iso(input.effectiveFrom)}; its first takes effect at ${iso(first)}`,
        );
      }
      const { stationId, tariffId, effectiveFrom } = input;
      const binding: TariffBinding = { stationId, tariffId, effectiveFrom, boundAt: clock.now() };
      if (!(await tariffs.bind(binding))) {
        return fail('exists', `station ${input.stationId} has a tariff bound from ${iso(input.effectiveFrom)} already`);
      }
      return ok(binding);
    },
    async stationTariff(stationId, atMs = clock.now()) {
      const bindings = await tariffs.bindings(stationId);
      if (bindings.length === 0) return fail('not-found', `station ${stationId} has no tariff bound`);
      return ok({ bindings, current: await tariffVersionAt(stationId, atMs) });
    },
    tariffVersionAt,
  };
}
