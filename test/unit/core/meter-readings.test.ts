import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../src/core/decimal.js';
import {
  readSampledValues,
  registerReading,
  type MeterValueLike,
  type SampledValueLike,
} from '../../../src/core/meter-readings.js';
import { parseDecimal, parseInstant } from '../../../src/core/wire-text.js';

const AT = '2020-01-13T08:00:00Z';
const AT_MS = Date.parse(AT);

/** One MeterValue at a fixed instant; a bare sample is a Wh register (OCPP 1.6 §4.7). */
const aMeterValue = (samples: SampledValueLike[], timestamp = AT): MeterValueLike => ({
  timestamp,
  sampledValue: samples,
});
const read = (...meterValue: MeterValueLike[]) => readSampledValues(meterValue, 'meter-values', 'j-1');
const registersOf = (...samples: SampledValueLike[]) =>
  read(aMeterValue(samples)).registers.map((r) => r.registerWh.toString());
const reasonsOf = (...samples: SampledValueLike[]) => read(aMeterValue(samples)).ignored.map((i) => i.reason);

describe('sampled values → register readings', () => {
  it('when a sampled value carries only a value, then it is a Wh register at the sample time', () => {
    const { registers, power, ignored } = read(aMeterValue([{ value: '92270' }]));

    expect(registers).toEqual([{ atMs: AT_MS, registerWh: new Dec(92270), source: 'meter-values', journalId: 'j-1' }]);
    expect(power).toEqual([]);
    expect(ignored).toEqual([]);
  });

  it('when the register is in kWh, then it becomes Wh exactly, never through a float', () => {
    expect(registersOf({ value: '92.27', unit: 'kWh' })).toEqual(['92270']);
    expect(registersOf({ value: '0.001', unit: 'kWh' })).toEqual(['1']);
    expect(registersOf({ value: '123456789.123456789', unit: 'kWh' })).toEqual(['123456789123.456789']);
  });

  it('when the measurand and location are given explicitly as the defaults, then the value still counts', () => {
    const sample = { value: '5', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' };

    expect(registersOf(sample)).toEqual(['5']);
  });

  it('when per-phase values come beside the total, then only the total is the register', () => {
    const samples = [
      { value: '100', phase: 'L1' },
      { value: '100', phase: 'L2' },
      { value: '300' },
      { value: '100', phase: 'L3-N' },
    ];

    expect(registersOf(...samples)).toEqual(['300']);
    expect(reasonsOf(...samples)).toEqual(['per-phase', 'per-phase', 'per-phase']);
  });

  it('when a register is measured at the inlet or in the EV, then it is not the outlet register', () => {
    expect(reasonsOf({ value: '1', location: 'Inlet' }, { value: '2', location: 'EV' })).toEqual([
      'not-at-outlet',
      'not-at-outlet',
    ]);
  });

  it('when a value is SignedData, then it is ignored', () => {
    expect(reasonsOf({ value: 'AB12CD', format: 'SignedData' })).toEqual(['signed-data']);
  });

  it('when active import power comes in W or kW, then it is a power reading in W', () => {
    const { power, registers } = read(
      aMeterValue([
        { value: '61500', measurand: 'Power.Active.Import', unit: 'W' },
        { value: '61.5', measurand: 'Power.Active.Import', unit: 'kW' },
      ]),
    );

    expect(power.map((p) => [p.atMs, p.powerW.toString(), p.journalId])).toEqual([
      [AT_MS, '61500', 'j-1'],
      [AT_MS, '61500', 'j-1'],
    ]);
    expect(registers).toEqual([]);
  });

  it('when a unit does not fit the measurand, then the value is ignored rather than guessed', () => {
    expect(
      reasonsOf(
        { value: '5', unit: 'varh' },
        { value: '5', unit: 'W' },
        // §7.45: an absent unit is Wh whatever the measurand, which power cannot be.
        { value: '5', measurand: 'Power.Active.Import' },
      ),
    ).toEqual(['unit-mismatch', 'unit-mismatch', 'unit-mismatch']);
  });

  it('when a unit names a property every object has, then it is a unit mismatch, not a crash', () => {
    // Found by the property test below: unit "toString" once reached a lookup table's prototype.
    expect(
      reasonsOf(
        { value: '12', unit: 'toString' },
        { value: '12', unit: 'constructor' },
        { value: '12', unit: '__proto__' },
        { value: '12', measurand: 'Power.Active.Import', unit: 'hasOwnProperty' },
      ),
    ).toEqual(['unit-mismatch', 'unit-mismatch', 'unit-mismatch', 'unit-mismatch']);
  });

  it('when a measurand is not the import register or import power, then it is ignored', () => {
    const samples = [
      'Voltage',
      'SoC',
      'Current.Import',
      'Energy.Active.Import.Interval',
      'Energy.Active.Export.Register',
    ];

    expect(reasonsOf(...samples.map((measurand) => ({ value: '1', measurand })))).toEqual(
      samples.map(() => 'other-measurand'),
    );
  });

  it('when a value is not a decimal number, then it is ignored and nothing throws', () => {
    const values = ['abc', '', ' ', '12,5', '0x1F', 'NaN', 'Infinity', '1e3', '--1', '1.2.3'];

    expect(reasonsOf(...values.map((value) => ({ value })))).toEqual(values.map(() => 'not-a-number'));
  });

  it('when a register is negative, then it is ignored', () => {
    expect(reasonsOf({ value: '-5' })).toEqual(['negative-register']);
  });

  it('when a timestamp does not parse, then every sample of that meter value is ignored', () => {
    const garbage = ['yesterday', '', '2019-02-30T08:00:00Z', '2020-01-13T25:00:00Z', '2020-13-01T00:00:00Z'];
    for (const timestamp of garbage) {
      const { registers, ignored } = read(aMeterValue([{ value: '1' }, { value: '2' }], timestamp));

      expect(registers).toEqual([]);
      expect(ignored.map((i) => [i.reason, i.timestamp, i.sample.value])).toEqual([
        ['bad-timestamp', timestamp, '1'],
        ['bad-timestamp', timestamp, '2'],
      ]);
    }
  });

  it('when a timestamp has no offset, then it is ignored, since reading it would depend on the host zone', () => {
    expect(read(aMeterValue([{ value: '1' }], '2020-01-13T08:00:00')).ignored[0]?.reason).toBe('bad-timestamp');
  });

  it('when a timestamp carries an offset or fractional seconds, then the instant is exact', () => {
    expect(parseInstant('2019-10-24T14:43:31+08:00')).toBe(Date.parse('2019-10-24T06:43:31Z'));
    expect(parseInstant('2019-10-24T14:43:31.381526+0800')).toBe(Date.parse('2019-10-24T06:43:31.381Z'));
    expect(parseInstant('2020-02-29T00:00:00Z')).toBe(Date.UTC(2020, 1, 29));
  });

  it('when meter values hold several instants, then each reading keeps its own instant', () => {
    const { registers } = read(
      aMeterValue([{ value: '1000' }], '2020-01-13T08:00:00Z'),
      aMeterValue([{ value: '1.5', unit: 'kWh' }], '2020-01-13T08:01:00Z'),
    );

    expect(registers.map((r) => [r.atMs - AT_MS, r.registerWh.toString()])).toEqual([
      [0, '1000'],
      [60_000, '1500'],
    ]);
  });

  it('when any sampled values arrive, then each lands in exactly one list and nothing throws', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('12', '1.5', '-3', 'Wh', 'kWh', 'W', 'kW', 'Outlet', 'L1'));
    const sample = fc.record(
      { value: text, measurand: text, unit: text, phase: text, location: text, format: text },
      { requiredKeys: ['value'] },
    );
    const meterValue = fc.record({
      timestamp: fc.oneof(fc.string(), fc.constant(AT)),
      sampledValue: fc.array(sample, { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(meterValue, { maxLength: 5 }), (meterValues) => {
        const { registers, power, ignored } = readSampledValues(meterValues, 'transaction-data', 'j-2');
        const total = meterValues.reduce((n, mv) => n + mv.sampledValue.length, 0);
        expect(registers.length + power.length + ignored.length).toBe(total);
        expect(registers.every((r) => r.registerWh.isFinite() && r.registerWh.gte(0))).toBe(true);
      }),
    );
  });
});

describe('register readings from integer Wh fields', () => {
  it('when meterStart is an integer or its text, then the reading holds it exactly', () => {
    expect(registerReading(AT_MS, 92270, 'meter-start', 'j-3')).toEqual({
      atMs: AT_MS,
      registerWh: new Dec(92270),
      source: 'meter-start',
      journalId: 'j-3',
    });
    expect(registerReading(AT_MS, '9007199254740993', 'device-bill', 'j-4').registerWh.toString()).toBe(
      '9007199254740993',
    );
  });

  it('when the figure is not a number, then it is a broken invariant and throws with its value', () => {
    expect(() => registerReading(AT_MS, Number.NaN, 'meter-stop', 'j-5')).toThrow(/NaN is not a Wh figure/);
    expect(() => registerReading(AT_MS, 'abc', 'meter-stop', 'j-5')).toThrow(/abc is not a Wh figure/);
  });

  it('when a decimal is long, then every digit survives', () => {
    expect(parseDecimal('92270.1234567890123456789')?.toString()).toBe('92270.1234567890123456789');
  });
});
