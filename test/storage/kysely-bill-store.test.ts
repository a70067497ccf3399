import { expect, it } from 'vitest';
import type { BillVersion } from '../../src/app/ports.js';
import { Dec } from '../../src/core/decimal.js';
import { StorageError } from '../../src/storage/errors.js';
import { aBillAnomaly, aBillVersion, nextVersion, SESSION_START, withCodes } from '../support/bills.js';
import { forEachDialect } from '../support/dialects.js';
import { aName } from './builders.js';

const HOUR = 3_600_000;

forEachDialect('KyselyBillStore', (ctx) => {
  const bills = () => ctx.stores().bills;

  /** Appends each version and checks that it was accepted. */
  async function stored(...versions: BillVersion[]): Promise<void> {
    for (const v of versions) expect(await bills().append(v), `${v.billNo} v${v.version}`).toBe(true);
  }

  it('when version 1 is appended, then the bill exists with exactly that version', async () => {
    const v1 = aBillVersion({ pileId: aName('CP') });
    expect(await bills().append(v1)).toBe(true);
    expect(await bills().versions(v1.billNo)).toEqual([v1]);
    expect(await bills().latestOfPile(v1.pileId)).toEqual([v1]);
  });

  it('when version 2 is appended, then both are kept, oldest first, and 2 is the latest', async () => {
    const v1 = aBillVersion({ pileId: aName('CP'), ...withCodes(1) });
    const v2 = nextVersion(v1, { codes: [], anomalies: [], stopMs: v1.startMs + HOUR, author: 'op:alice' });
    const v3 = nextVersion(v2, { reason: 'reverted', ...withCodes(1) });
    await stored(v1, v2, v3);
    expect(await bills().versions(v1.billNo)).toEqual([v1, v2, v3]);
    expect(await bills().latestOfPile(v1.pileId)).toEqual([v3]);
  });

  it('when writers race for the same version, then exactly one wins each round and only its version is kept', async () => {
    const pileId = aName('CP');
    const first = aBillVersion({ pileId });
    const rivals = (previous: BillVersion | undefined) =>
      ['node-a', 'node-b', 'node-c', 'node-d'].map((author, i) =>
        previous === undefined
          ? { ...first, author }
          : nextVersion(previous, { author, totalFen: new Dec(4_000 + 100 * i) }),
      );
    const kept: BillVersion[] = [];
    // Rounds, so that later ones run on pooled connections that are all open at once.
    for (let round = 0; round < 4; round++) {
      const versions = rivals(kept.at(-1));
      const results = await Promise.all(versions.map((v) => bills().append(v)));
      expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
      kept.push(versions[results.indexOf(true)]!);
    }
    expect(await bills().versions(first.billNo)).toEqual(kept);
    expect(await bills().list({ pileId })).toEqual([kept.at(-1)]);
  });

  it('when a version exists already or skips one, then append is false and nothing changes', async () => {
    const v1 = aBillVersion({ pileId: aName('CP') });
    const v2 = nextVersion(v1);
    await stored(v1, v2);
    expect(await bills().append({ ...v1, author: 'late' })).toBe(false);
    expect(await bills().append({ ...v2, author: 'late' })).toBe(false);
    expect(await bills().append(nextVersion(v2, { version: 4 }))).toBe(false);
    expect(await bills().versions(v1.billNo)).toEqual([v1, v2]);
  });

  it('when the same session is billed under another number, then append is false', async () => {
    const v1 = aBillVersion({ pileId: aName('CP') });
    await stored(v1);
    const other = aBillVersion({ pileId: v1.pileId, sessionKey: v1.sessionKey });
    expect(await bills().append(other)).toBe(false);
    expect(await bills().versions(other.billNo)).toEqual([]);
  });

  it('when a next version names another pile or session, then append is false and nothing is stored', async () => {
    const v1 = aBillVersion({ pileId: aName('CP') });
    await stored(v1);
    expect(await bills().append(nextVersion(v1, { pileId: aName('CP') }))).toBe(false);
    expect(await bills().append(nextVersion(v1, { sessionKey: 'tx:elsewhere' }))).toBe(false);
    expect(await bills().versions(v1.billNo)).toEqual([v1]);
  });

  it('when version 2 of an unknown bill is appended, then it is false; an unknown bill has no versions', async () => {
    const orphan = nextVersion(aBillVersion({ pileId: aName('CP') }));
    expect(await bills().append(orphan)).toBe(false);
    expect(await bills().versions(orphan.billNo)).toEqual([]);
    expect(await bills().versions('no-such-bill')).toEqual([]);
  });

  it('when figures are not whole Wh or fen, then append throws a named error and stores nothing', async () => {
    const half = aBillVersion({ pileId: aName('CP'), energyWh: new Dec('36360.5') });
    const error = await bills()
      .append(half)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe(
      `bill ${half.billNo}: energyWh must be a whole number below 2^53, got 36360.5`,
    );
    expect(await bills().versions(half.billNo)).toEqual([]);
  });

  it('when read back, then decimal figures are exact: prices to 5 places, quantities, fen', async () => {
    const v1 = aBillVersion({
      pileId: aName('CP'),
      energyWh: new Dec(128_630),
      lines: [
        {
          kind: 'electricity',
          tier: 'peak',
          quantity: new Dec(36_360),
          unitPrice: new Dec('0.85123'),
          amountFen: new Dec(4_000),
          method: 'time-pro-rata',
        },
        {
          kind: 'service',
          tier: 'deep-valley',
          quantity: new Dec('92270.125'),
          unitPrice: new Dec('0.00001'),
          amountFen: new Dec(0),
          method: 'interpolated',
        },
        {
          kind: 'idle',
          tier: null,
          quantity: new Dec(17),
          unitPrice: new Dec('0.5'),
          amountFen: new Dec(850),
          method: null,
        },
      ],
      // The largest whole fen a BIGINT carries through a JS number without loss.
      totalFen: new Dec(Number.MAX_SAFE_INTEGER),
    });
    await stored(v1);
    const [back] = await bills().versions(v1.billNo);
    expect(back).toEqual(v1);
    expect(back!.lines.map((l) => [l.quantity.toFixed(), l.unitPrice.toFixed(), l.amountFen.toFixed()])).toEqual([
      ['36360', '0.85123', '4000'],
      ['92270.125', '0.00001', '0'],
      ['17', '0.5', '850'],
    ]);
    expect(back!.totalFen.toFixed()).toBe('9007199254740991');
    expect(back!.energyWh.toFixed()).toBe('128630');
  });

  it('when read back, then anomalies keep their rule and evidence: journal rows, values, threshold', async () => {
    const anomalies = [
      aBillAnomaly(8, {
        rule: 'energy-vs-platform',
        evidence: {
          journalIds: ['01JNB0000000000000000000A1', '01JNB0000000000000000000A2'],
          values: { deviceWh: '128630', platformWh: '36360', note: '寄存器 0 → 92270' },
          threshold: 'max(200 Wh, 2%)',
        },
      }),
      aBillAnomaly(6, { rule: 'plug-out-unknown', evidence: { journalIds: [], values: {}, threshold: null } }),
    ];
    const v1 = aBillVersion({
      pileId: aName('CP'),
      codes: [6, 8],
      anomalies,
      status: 'held',
      idTag: null,
      transactionId: null,
      stopMs: null,
      occupancyMs: null,
    });
    await stored(v1);
    expect(await bills().versions(v1.billNo)).toEqual([v1]);
  });

  it('when listed, then filters by pile, station, half-open period, code and status select latest versions by start', async () => {
    const pileId = aName('CP');
    const stationId = aName('ST');
    const at = (h: number) => SESSION_START + h * HOUR;
    const a = aBillVersion({ pileId, stationId, startMs: at(0), ...withCodes(8) });
    const b = aBillVersion({ pileId, stationId, startMs: at(1), ...withCodes(11), status: 'held' });
    const c = aBillVersion({ pileId, stationId, startMs: at(2), ...withCodes(1, 6), status: 'provisional' });
    const otherPile = aBillVersion({ pileId: aName('CP'), stationId, startMs: at(1), ...withCodes(1) });
    const otherStation = aBillVersion({ pileId, stationId: aName('ST'), startMs: at(3), ...withCodes(1) });
    await stored(c, a, b, otherPile, otherStation);
    // b's latest version has no codes any more and is settled.
    const b2 = nextVersion(b, { codes: [], anomalies: [], status: 'settled' });
    await stored(b2);

    const nos = async (filter: Parameters<ReturnType<typeof bills>['list']>[0]) =>
      (await bills().list(filter)).map((v) => v.billNo);
    expect(await nos({ pileId })).toEqual([a.billNo, b.billNo, c.billNo, otherStation.billNo]);
    expect(await nos({ stationId })).toEqual([a.billNo, b.billNo, otherPile.billNo, c.billNo]);
    expect(await nos({ stationId, fromMs: at(1), toMs: at(2) })).toEqual([b.billNo, otherPile.billNo]);
    expect(await nos({ pileId, fromMs: at(2) })).toEqual([c.billNo, otherStation.billNo]);
    expect(await nos({ pileId, toMs: at(0) })).toEqual([]);
    // Code 1 is not 11; code 11 was only on b's first version.
    expect(await nos({ stationId, code: 1 })).toEqual([otherPile.billNo, c.billNo]);
    expect(await nos({ stationId, code: 11 })).toEqual([]);
    expect(await nos({ pileId, code: 6 })).toEqual([c.billNo]);
    expect(await nos({ stationId, status: 'settled' })).toEqual([a.billNo, b.billNo, otherPile.billNo]);
    expect(await nos({ stationId, status: 'held' })).toEqual([]);
    expect(await nos({ pileId, limit: 2 })).toEqual([a.billNo, b.billNo]);
    expect((await bills().list({ pileId, fromMs: at(1), limit: 1 }))[0]).toEqual(b2);
  });

  it('when bills of an idTag are looked up for a window, then latest versions whose session meets it come, by start', async () => {
    const idTag = aName('CARD');
    const at = (h: number) => SESSION_START + h * HOUR;
    const bill = (startH: number, stopH: number | null, o: Partial<BillVersion> = {}) =>
      aBillVersion({
        pileId: aName('CP'),
        idTag,
        startMs: at(startH),
        stopMs: stopH === null ? null : at(stopH),
        ...o,
      });
    const atBound = bill(-1, null);
    const running = bill(0, null);
    const intoWindow = bill(1, 3);
    const inside = bill(2.5, 3);
    const stoppedLater = bill(1.5, 1.75);
    const retagged = bill(3, 3.5, { idTag: 'ANOTHER' });
    const untagged = bill(3, 3.5, { idTag: null });
    await stored(
      inside,
      running,
      atBound,
      intoWindow,
      stoppedLater,
      retagged,
      untagged,
      // Outside: started before startedFromMs, stopped as the window opens, started as it closes,
      // another idTag, no idTag.
      bill(-1.5, null),
      bill(1, 2),
      bill(4, 5),
      bill(2.5, 3, { idTag: `${idTag}-2` }),
      bill(2.5, 3, { idTag: null }),
    );
    // Later versions decide: one now stops inside the window, one now has the idTag, one no longer does.
    const stopsInside = nextVersion(stoppedLater, { stopMs: at(2.25) });
    const nowTagged = nextVersion(retagged, { idTag });
    await stored(stopsInside, nowTagged, nextVersion(inside, { idTag: 'ANOTHER' }), nextVersion(untagged));

    const found = await bills().overlappingOfIdTag(idTag, { fromMs: at(2), toMs: at(4), startedFromMs: at(-1) });

    expect(found).toEqual([atBound, running, intoWindow, stopsInside, nowTagged]);
    expect(await bills().overlappingOfIdTag(idTag, { fromMs: at(2), toMs: at(2), startedFromMs: at(-1) })).toEqual([]);
    expect(
      await bills().overlappingOfIdTag('NO-SUCH-TAG', { fromMs: at(2), toMs: at(4), startedFromMs: at(-1) }),
    ).toEqual([]);
  });

  it('when code combinations are counted, then each counts bills by their latest version, most common first', async () => {
    const stationId = aName('ST');
    const at = (h: number) => SESSION_START + h * HOUR;
    const bill = (h: number, ...codes: Parameters<typeof withCodes>) =>
      aBillVersion({ pileId: aName('CP'), stationId, startMs: at(h), ...withCodes(...codes) });
    const repaired = bill(0, 3);
    await stored(
      bill(0, 8),
      bill(1, 8),
      bill(2, 8),
      bill(1, 6, 8),
      bill(2, 6, 8),
      bill(0, 11),
      bill(0),
      bill(1),
      repaired,
      // Outside [at(0), at(3)): one before, one exactly at the end.
      bill(-1, 8),
      bill(3, 8),
    );
    await stored(nextVersion(repaired, { codes: [], anomalies: [] }));
    await stored(aBillVersion({ pileId: aName('CP'), stationId: aName('ST'), startMs: at(0), ...withCodes(8) }));

    expect(await bills().codeCombinations({ fromMs: at(0), toMs: at(3), stationId })).toEqual([
      { codes: '8', bills: 3 },
      { codes: '6,8', bills: 2 },
      { codes: '11', bills: 1 },
    ]);
    expect(await bills().codeCombinations({ fromMs: at(2), toMs: at(4), stationId })).toEqual([
      { codes: '8', bills: 2 },
      { codes: '6,8', bills: 1 },
    ]);
    expect(await bills().codeCombinations({ fromMs: at(0), toMs: at(0), stationId })).toEqual([]);
  });

  it('when code combinations are counted without a station, then every station counts', async () => {
    // A period of its own, far from the other tests' bills.
    const from = SESSION_START + 1_000 * HOUR;
    const one = aBillVersion({ pileId: aName('CP'), stationId: aName('ST'), startMs: from, ...withCodes(3, 8) });
    const two = aBillVersion({ pileId: aName('CP'), stationId: aName('ST'), startMs: from + 1, ...withCodes(3, 8) });
    await stored(one, two);
    expect(await bills().codeCombinations({ fromMs: from, toMs: from + HOUR })).toEqual([{ codes: '3,8', bills: 2 }]);
  });
});
