// The trusted register timeline of one connector (DESIGN.md §1 principle 5, domain.md §B1.3).
// A register that reads 0, goes backwards or jumps is not energy: a reading is trusted only when
// it continues the last trusted one within the physical limits (register-limits.ts), and energy
// is never counted across a discontinuity. Field cases A and B (the register read 0 before the
// session, then the real value), D (RS485 garbage between normal readings).
//
// Re-baselining. A jump is held as a candidate. The first later reading that continues the
// candidate, and not the chain, confirms it: the candidate starts a new segment and a
// discontinuity is recorded. One follower is enough — a lone RS485 spike is followed by normal
// readings, which continue the chain and reject the spike, while a real new level (the register
// read after garbage, a replaced meter, energy gone missing) keeps going from itself. A
// candidate nothing confirmed, such as a jump that is the last reading, stays rejected.
// A fall is never re-baselined (a meter replaced by a lower one is a new timeline, keyed by its
// serial, B1.3), with one exception: the very first reading has nothing to be checked against,
// so it is trusted (case B) only provisionally. If two consistent readings below it follow before
// anything continues it, it was the spike and is rejected; otherwise one garbage reading before
// the real register would make every real reading 'backwards'.
import type { Dec } from './decimal.js';
import type { RegisterReading } from './meter-readings.js';
import { assertRegisterLimits, isContinuation, type RegisterLimits } from './register-limits.js';
import { groupSameReadings } from './same-readings.js';

export type RejectionReason = 'zero' | 'backwards' | 'jump' | 'duplicate';

export interface RejectedReading {
  readonly reading: RegisterReading;
  readonly reason: RejectionReason;
  /** The trusted reading it was judged against, or the reading it copies. */
  readonly against?: RegisterReading;
}

export interface Discontinuity {
  readonly before: RegisterReading;
  /** The first reading of the new segment, the same object as in `trusted`. */
  readonly after: RegisterReading;
  /** after − before: never counted as energy. */
  readonly deltaWh: Dec;
}

export interface RegisterTimeline {
  /** In time order, non-decreasing, never 0. */
  readonly trusted: RegisterReading[];
  /** In time order. */
  readonly rejected: RejectedReading[];
  readonly discontinuities: Discontinuity[];
}

interface Candidate {
  readonly reading: RegisterReading;
  readonly reason: 'jump' | 'backwards';
  readonly against: RegisterReading;
}

interface Chain {
  segments: RegisterReading[][];
  candidates: Candidate[];
  readonly rejected: RejectedReading[];
  readonly discontinuities: Discontinuity[];
}

export function buildRegisterTimeline(readings: readonly RegisterReading[], limits: RegisterLimits): RegisterTimeline {
  assertRegisterLimits(limits);
  // Readings of one instant (meterStart beside a Transaction.Begin sample a few Wh above it) lowest
  // first, the only order a register can have; equal ones keep their input (journal) order.
  const sorted = [...readings].sort((a, b) => a.atMs - b.atMs || a.registerWh.comparedTo(b.registerWh));
  const { distinct, witnessesOf, copies } = groupSameReadings(sorted);
  const chain: Chain = { segments: [], candidates: [], rejected: [], discontinuities: [] };
  for (const reading of distinct) step(chain, reading, limits);
  chain.rejected.push(...chain.candidates);
  // A second witness of a reading (meterStart and a Transaction.Begin sample) shares its verdict.
  const withWitnesses = (reading: RegisterReading) => [reading, ...witnessesOf(reading)];
  const rejected = chain.rejected.flatMap((r) => withWitnesses(r.reading).map((reading) => ({ ...r, reading })));
  return {
    trusted: chain.segments.flat().flatMap(withWitnesses),
    rejected: [...rejected, ...copies].sort((a, b) => a.reading.atMs - b.reading.atMs),
    discontinuities: chain.discontinuities,
  };
}

function step(chain: Chain, reading: RegisterReading, limits: RegisterLimits): void {
  const segment = chain.segments.at(-1);
  const last = segment?.at(-1);
  // Cases A, B and the offline Transaction.Begin placeholder (A1.8): 0 means "not read yet".
  if (reading.registerWh.isZero() || reading.registerWh.isNegative()) {
    chain.rejected.push({ reading, reason: 'zero', against: last });
  } else if (segment === undefined || last === undefined) {
    chain.segments.push([reading]);
  } else if (isContinuation(limits, last, reading)) {
    // The chain goes on where it was: the readings held since were spikes.
    chain.rejected.push(...chain.candidates);
    chain.candidates = [];
    segment.push(reading);
  } else {
    holdOrConfirm(chain, reading, last, limits);
  }
}

function holdOrConfirm(chain: Chain, reading: RegisterReading, last: RegisterReading, limits: RegisterLimits): void {
  const provisional = chain.segments.length === 1 && chain.segments[0]!.length === 1;
  const confirmed = chain.candidates.find(
    (c) => (c.reason === 'jump' || provisional) && isContinuation(limits, c.reading, reading),
  );
  const falls = reading.registerWh.lt(last.registerWh);
  if (confirmed !== undefined) {
    chain.rejected.push(...chain.candidates.filter((c) => c !== confirmed));
    chain.candidates = [];
    rebaseline(chain, confirmed, reading, last);
  } else if (falls && !provisional) {
    chain.rejected.push({ reading, reason: 'backwards', against: last });
  } else {
    chain.candidates.push({ reading, reason: falls ? 'backwards' : 'jump', against: last });
  }
}

function rebaseline(chain: Chain, base: Candidate, follower: RegisterReading, last: RegisterReading): void {
  if (base.reason === 'jump') {
    const deltaWh = base.reading.registerWh.minus(last.registerWh);
    chain.discontinuities.push({ before: last, after: base.reading, deltaWh });
    chain.segments.push([base.reading, follower]);
  } else {
    // The provisional first reading stood above a chain that goes on below it: it was the spike.
    chain.rejected.push({ reading: last, reason: 'jump', against: base.reading });
    chain.segments = [[base.reading, follower]];
  }
}

export { registerAt, segmentsOf, trustedEnergyWh } from './register-energy.js';
