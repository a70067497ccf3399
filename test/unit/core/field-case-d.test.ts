// Field case D (field-cases.md): RS485 packet loss, 12 Nov 2019, pile 44011300040000200061,
// 00:23:38–03:50:36, code 8 on the old platform. The platform vendor found that the piles do not
// follow the protocol's steps; the log numbers the steps 1–5 without naming them, so pilegate
// defines them as:
//
//   1  StatusNotification Preparing  (car plugged in)
//   2  StartTransaction               (the gateway answers with the transactionId)
//   3  MeterValues                    (while charging)
//   4  StopTransaction
//   5  DeviceBill                     (the Robinson pile's own bill)
//
// and the piles were seen sending 1,3,4,5 (StartTransaction skipped: the meter values carry no
// transactionId, the stop and the bill carry -1), 1,3,2,4,5 (meter values before
// StartTransaction, so the early ones carry no transactionId yet) and 1,2,2,2,3,4,5
// (StartTransaction repeated: the gateway gives the same transactionId each time, so the same
// event arrives three times under three journal ids). Each order gives exactly one bill.
//
// The session: the register rises linearly from 3,456,780 Wh to 3,555,545 Wh, 98,765 Wh in
// 3 h 26 min 58 s (about 28.6 kW on a 120 kW connector), MeterValues every minute. The night is
// all valley in aTouTariff (22:00–06:00, electricity 0.40 and service 0.40 CNY/kWh):
//   each line 98.765 × 40 fen = 3,950.6 → 3,951 fen; total 7,902 fen (79.02 CNY).
import { describe, expect, it } from 'vitest';
import type { BillDraft } from '../../../src/core/bill.js';
import type { ChargeEvent } from '../../../src/core/charge-events.js';
import {
  aTariff,
  aTouTariff,
  at,
  billsOf,
  deviceBill,
  sampled,
  started,
  status,
  stopped,
  theBillOf,
} from '../../support/billing-builders.js';

const PILE_ID = '44011300040000200061';
const startAt = at('2019-11-12 00:23:38');
const stopAt = at('2019-11-12 03:50:36');
const START_WH = 3_456_780;
const STOP_WH = 3_555_545;
const TX = 1906;
const MINUTE = 60_000;
const nowMs = stopAt + 2 * 3_600_000;
const tariff = aTouTariff();

/** The meter's real register on the straight charging line. */
const registerAt = (atMs: number) =>
  START_WH + Math.round(((STOP_WH - START_WH) * (atMs - startAt)) / (stopAt - startAt));

/** Every minute from 00:24:38 to 03:49:38, live. */
const SAMPLE_TIMES = Array.from({ length: 206 }, (_, i) => startAt + (i + 1) * MINUTE);

const preparing = () => status({ at: startAt - 18_000, state: 'preparing' });
const startTransaction = (receivedAt = startAt + 1_000) =>
  started({ at: startAt, transactionId: TX, meterStartWh: START_WH, receivedAt });
const meterValues = (times: readonly number[], transactionId: number | null) =>
  times.map((t) => sampled({ at: t, registerWh: registerAt(t), transactionId }));
const stopTransaction = (transactionId: number) =>
  stopped({ at: stopAt, transactionId, meterStopWh: STOP_WH, receivedAt: stopAt + 2_000 });
const theDeviceBill = (transactionId: number) =>
  deviceBill({
    startAt,
    stopAt,
    registerStartWh: START_WH,
    registerStopWh: STOP_WH,
    amountFen: 7902,
    transactionId,
    receivedAt: stopAt + 5_000,
    billNo: '20191112002338000061',
  });

/** The events in the order the pile sent them (the journal's order). */
const ORDERS: readonly { readonly steps: string; readonly events: () => ChargeEvent[] }[] = [
  {
    steps: '1,2,3,4,5 (as the protocol says)',
    events: () => [
      preparing(),
      startTransaction(),
      ...meterValues(SAMPLE_TIMES, TX),
      stopTransaction(TX),
      theDeviceBill(TX),
    ],
  },
  {
    steps: '1,3,4,5 (StartTransaction skipped)',
    events: () => [preparing(), ...meterValues(SAMPLE_TIMES, null), stopTransaction(-1), theDeviceBill(-1)],
  },
  {
    steps: '1,3,2,4,5 (MeterValues before StartTransaction)',
    events: () => [
      preparing(),
      ...meterValues(SAMPLE_TIMES.slice(0, 2), null),
      startTransaction(startAt + 2 * MINUTE + 12_000),
      ...meterValues(SAMPLE_TIMES.slice(2), TX),
      stopTransaction(TX),
      theDeviceBill(TX),
    ],
  },
  {
    steps: '1,2,2,2,3,4,5 (StartTransaction repeated)',
    events: () => [
      preparing(),
      startTransaction(startAt + 1_000),
      startTransaction(startAt + 11_000),
      startTransaction(startAt + 21_000),
      ...meterValues(SAMPLE_TIMES, TX),
      stopTransaction(TX),
      theDeviceBill(TX),
    ],
  },
];

const lineView = (bill: BillDraft) =>
  bill.lines.map((l) => [l.kind, l.tier, l.quantity.toString(), l.amountFen.toString()]);

describe(`field case D: pile ${PILE_ID} does not follow the protocol's steps`, () => {
  for (const { steps, events } of ORDERS) {
    it(`when the pile sends the steps ${steps}, then exactly one bill of 98,765 Wh and 79.02 CNY`, () => {
      const bills = billsOf({ events: events(), nowMs, tariff });

      // One bill, so nothing is charged twice.
      expect(bills).toHaveLength(1);
      const [bill] = bills as [BillDraft];
      expect(bill.energyWh.toString()).toBe('98765');
      expect(bill.energySource).toBe('device-registers');
      expect(lineView(bill)).toEqual([
        ['electricity', 'valley', '98765', '3951'],
        ['service', 'valley', '98765', '3951'],
      ]);
      expect(bill.totalFen.toString()).toBe('7902');
      expect(bill.codes).toEqual([]);
      expect(bill.status).toBe('settled');
    });
  }

  it('when StartTransaction is skipped, then the session is keyed by the device bill and starts when the bill says', () => {
    const bill = theBillOf({ events: ORDERS[1]!.events(), nowMs, tariff });

    expect(bill.sessionKey).toBe('bill:20191112002338000061');
    expect(bill.transactionId).toBeNull();
    expect(bill.startMs).toBe(startAt);
    expect(bill.stopMs).toBe(stopAt);
    expect(bill.billNo.startsWith('20191112002338')).toBe(true);
    expect(bill.idTag).toBe('TAG1');
  });

  it('when StartTransaction is skipped and no device bill ever comes (1,3,4), then one bill from the samples and the orphan stop', () => {
    const events = [preparing(), ...meterValues(SAMPLE_TIMES, null), stopTransaction(-1)];
    const bill = theBillOf({ events, nowMs, tariff });

    expect(bill.sessionKey).toBe(`meter:1@${SAMPLE_TIMES[0]}`);
    expect(bill.transactionId).toBeNull();
    expect(bill.stopMs).toBe(stopAt);
    // From the first sample: a minute of charging before it has no evidence.
    expect(bill.energySource).toBe('platform-registers');
    expect(bill.energyWh.toString()).toBe(String(registerAt(SAMPLE_TIMES.at(-1)!) - registerAt(SAMPLE_TIMES[0]!)));
    expect(bill.codes).toEqual([]);
  });

  it('when StartTransaction is repeated, then the bill belongs to the one transaction the gateway gave out', () => {
    const bill = theBillOf({ events: ORDERS[3]!.events(), nowMs, tariff });

    expect(bill.sessionKey).toBe(`tx:${TX}`);
    expect(bill.transactionId).toBe(TX);
  });
});

describe(`field case D: RS485 packet loss on pile ${PILE_ID}`, () => {
  // MeterValues arrive until 01:10:38 and again from 03:00:38: nothing in between.
  const LOST_FROM = at('2019-11-12 01:10:38');
  const LOST_TO = at('2019-11-12 03:00:38');
  const survivingTimes = SAMPLE_TIMES.filter((t) => t <= LOST_FROM || t >= LOST_TO);
  const withLoss = (times: readonly number[]) => [
    preparing(),
    startTransaction(),
    ...meterValues(times, TX),
    stopTransaction(TX),
    theDeviceBill(TX),
  ];

  it('when MeterValues are lost in the middle, then the device registers are billed and the register bridges the gap: no code 8', () => {
    // The platform's figure comes from the register, which counts on through the loss: the samples
    // either side of the gap hold all of its energy, and only the unsampled first and last minute
    // (938 Wh, within max(200 Wh, 2 %)) are missing from it.
    const bill = theBillOf({ events: withLoss(survivingTimes), nowMs, tariff });

    expect(survivingTimes).toHaveLength(47 + 50);
    expect(bill.energySource).toBe('device-registers');
    expect(bill.energyWh.toString()).toBe('98765');
    expect(bill.totalFen.toString()).toBe('7902');
    expect(bill.codes).toEqual([]);
  });

  it('when the loss lasts until the stop, then the device registers are billed and code 8 records the platform figure that falls short', () => {
    // The platform saw 3,457,257 Wh at 00:24:38 and 3,479,209 Wh at 01:10:38, then nothing.
    const bill = theBillOf({ events: withLoss(SAMPLE_TIMES.filter((t) => t <= LOST_FROM)), nowMs, tariff });

    expect(bill.energySource).toBe('device-registers');
    expect(bill.energyWh.toString()).toBe('98765');
    expect(bill.totalFen.toString()).toBe('7902');
    expect(bill.codes).toEqual([8]);
    expect(bill.anomalies[0]!.evidence.values).toEqual({ deviceWh: '98765', platformWh: '21952' });
    expect(bill.status).toBe('settled');
  });

  it('when a tier boundary falls in the gap, then the split across it is time pro-rata and says so', () => {
    // Valley until 02:00, flat after: the boundary is 5,782 s into the 12,418 s session, between
    // the samples of 01:10:38 and 03:00:38. The 938 Wh the samples do not cover (98,765 −
    // 97,827) go to the unsampled head (60 s) and tail (58 s) by time, 476.95 Wh to the head, so
    // the line reads 22,428.95 Wh at 01:10:38, 74,920.95 Wh at 03:00:38 and, pro rata,
    // 45,986.72 Wh at 02:00: valley 45,987 Wh and flat 52,778 Wh by largest remainder.
    //   flat: 52.778 × 80 = 4,222.24 → 4,222 and × 60 = 3,166.68 → 3,167 fen
    //   valley: 45.987 × 40 = 1,839.48 → 1,839 fen twice; total 11,067 fen.
    const twoTiers = aTariff({
      prices: {
        valley: { electricityPerKwh: '0.40000', servicePerKwh: '0.40000' },
        flat: { electricityPerKwh: '0.80000', servicePerKwh: '0.60000' },
      },
      seasons: [
        {
          months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
          periods: [
            { from: '00:00', to: '02:00', tier: 'valley' },
            { from: '02:00', to: '24:00', tier: 'flat' },
          ],
        },
      ],
    });

    const bill = theBillOf({ events: withLoss(survivingTimes), nowMs, tariff: twoTiers });

    expect(bill.splitMethod).toBe('time-pro-rata');
    expect(bill.lines.map((l) => [l.kind, l.tier, l.quantity.toString(), l.amountFen.toString(), l.method])).toEqual([
      ['electricity', 'flat', '52778', '4222', 'time-pro-rata'],
      ['service', 'flat', '52778', '3167', 'time-pro-rata'],
      ['electricity', 'valley', '45987', '1839', 'time-pro-rata'],
      ['service', 'valley', '45987', '1839', 'time-pro-rata'],
    ]);
    expect(bill.totalFen.toString()).toBe('11067');
  });
});
