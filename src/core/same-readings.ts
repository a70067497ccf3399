// One register fact often arrives more than once: piles resend transaction messages with new
// message ids (DESIGN.md §1 principle 3), and meterStart agrees with the Transaction.Begin
// sample of the same instant. Readings of the same instant and value are one fact for the
// timeline: the first in input order is judged, the others are its witnesses and share its
// verdict, so a fact never confirms itself as a jump's follower. A verbatim copy (same source and
// journal entry as an earlier reading of the fact) is reported as a duplicate.
import type { RegisterReading } from './meter-readings.js';
import type { RejectedReading } from './register-timeline.js';

export interface SameReadings {
  /** One reading per instant and value, in input order. */
  readonly distinct: RegisterReading[];
  readonly witnessesOf: (reading: RegisterReading) => readonly RegisterReading[];
  readonly copies: RejectedReading[];
}

/** `readings` sorted by instant, then value: readings of one fact are neighbours. */
export function groupSameReadings(readings: readonly RegisterReading[]): SameReadings {
  const witnesses = new Map<RegisterReading, RegisterReading[]>();
  const distinct: RegisterReading[] = [];
  const copies: RejectedReading[] = [];
  let first: RegisterReading | undefined;
  for (const reading of readings) {
    // Dec compares by value, so "92.27 kWh" and meterStart 92270 are one fact.
    if (first === undefined || first.atMs !== reading.atMs || !first.registerWh.eq(reading.registerWh)) {
      first = reading;
      witnesses.set(reading, []);
      distinct.push(reading);
      continue;
    }
    const others = witnesses.get(first)!;
    const copied = [first, ...others].find((r) => r.source === reading.source && r.journalId === reading.journalId);
    if (copied === undefined) others.push(reading);
    else copies.push({ reading, reason: 'duplicate', against: copied });
  }
  return { distinct, witnessesOf: (reading) => witnesses.get(reading) ?? [], copies };
}
