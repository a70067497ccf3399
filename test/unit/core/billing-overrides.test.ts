import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BILLING_PARAM_NAMES,
  billingParamsJson,
  checkBillingOverrides,
  type BillingParamJson,
} from '../../../src/core/billing-overrides.js';
import { DEFAULT_BILLING_PARAMS, type BillingParams } from '../../../src/core/billing-params.js';
import { Dec } from '../../../src/core/decimal.js';
import { ENERGY_SOURCES } from '../../../src/core/session-energy.js';

type Field = keyof BillingParams;

// About 100 years of ms: the largest duration the check accepts.
const MAX_MS = 100 * 366 * 86_400_000;

function accepted(input: unknown) {
  const result = checkBillingOverrides(input);
  if (!result.ok) throw new Error(`expected the thresholds to be accepted:\n${result.problems.join('\n')}`);
  return result;
}

function problemsOf(input: unknown): readonly string[] {
  const result = checkBillingOverrides(input);
  if (result.ok) throw new Error('expected the thresholds to be refused');
  return result.problems;
}

/** Every threshold that is not in `except` still has its default value. */
function expectDefaultsExcept(params: BillingParams, except: readonly Field[]) {
  const defaults = billingParamsJson(DEFAULT_BILLING_PARAMS);
  const json = billingParamsJson(params);
  for (const field of BILLING_PARAM_NAMES) {
    if (!except.includes(field)) expect(json[field], field).toEqual(defaults[field]);
  }
}

describe('checkBillingOverrides', () => {
  it('when no threshold is given, then every threshold is the default and nothing is overridden', () => {
    const result = accepted({});
    expect(result.overrides).toEqual({});
    expect(Object.keys(result.params).sort()).toEqual([...BILLING_PARAM_NAMES].sort());
    for (const field of BILLING_PARAM_NAMES) {
      const value = result.params[field];
      const expected = DEFAULT_BILLING_PARAMS[field];
      if (Dec.isDecimal(expected)) expect((value as Dec).eq(expected), field).toBe(true);
      else expect(value, field).toEqual(expected);
    }
    expect(billingParamsJson(result.params)).toEqual(billingParamsJson(DEFAULT_BILLING_PARAMS));
    expect(Object.isFrozen(result.params)).toBe(true);
  });

  it('when the defaults are shown as JSON, then decimals are canonical text and durations whole ms', () => {
    expect(billingParamsJson(DEFAULT_BILLING_PARAMS)).toMatchObject({
      powerMargin: '0.1',
      slackWh: '200',
      maxSessionWh: '200000',
      billGraceOnlineMs: 900_000,
      epochMinMs: Date.UTC(2018, 0, 1),
      amountToleranceRatio: '0.005',
      energyPrecedence: ['device-registers', 'platform-registers', 'device-total', 'estimate'],
    });
    expect(Object.keys(billingParamsJson(DEFAULT_BILLING_PARAMS))).toEqual([...BILLING_PARAM_NAMES]);
  });

  it('when a ratio is given as decimal text, then it replaces the default and is echoed as given', () => {
    const result = accepted({ powerMargin: '0.05' });
    expect(result.overrides).toEqual({ powerMargin: '0.05' });
    expect(result.params.powerMargin.eq(new Dec('0.05'))).toBe(true);
    expectDefaultsExcept(result.params, ['powerMargin']);
  });

  it('when the bounds of a ratio are given, then "0" and "1" are both accepted', () => {
    expect(accepted({ energyToleranceRatio: '0' }).params.energyToleranceRatio.isZero()).toBe(true);
    expect(accepted({ amountToleranceRatio: '1' }).params.amountToleranceRatio.eq(1)).toBe(true);
    expect(accepted({ durationToleranceRatio: '1.000000' }).params.durationToleranceRatio.eq(1)).toBe(true);
  });

  it('when a decimal is written with extra zeros, then it is kept in its shortest form', () => {
    expect(accepted({ powerMargin: '0.10', slackWh: '0200.500' }).overrides).toEqual({
      powerMargin: '0.1',
      slackWh: '200.5',
    });
  });

  it('when an energy is given in Wh, then it replaces the default (a bus fleet sets 600 kWh)', () => {
    const result = accepted({ maxSessionWh: '600000', slackWh: '12.345' });
    expect(result.overrides).toEqual({ maxSessionWh: '600000', slackWh: '12.345' });
    expect(result.params.maxSessionWh.eq(600_000)).toBe(true);
    expect(result.params.slackWh.eq(new Dec('12.345'))).toBe(true);
    expectDefaultsExcept(result.params, ['maxSessionWh', 'slackWh']);
  });

  it('when an energy that may be zero is "0", then it is accepted', () => {
    expect(accepted({ minEnergyWh: '0' }).params.minEnergyWh.isZero()).toBe(true);
  });

  it('when a duration is given in whole ms, then it replaces the default', () => {
    const result = accepted({ billGraceOnlineMs: 120_000, overlapToleranceMs: 0, interpolationGapMs: MAX_MS });
    expect(result.overrides).toEqual({ billGraceOnlineMs: 120_000, overlapToleranceMs: 0, interpolationGapMs: MAX_MS });
    expect(result.params.billGraceOnlineMs).toBe(120_000);
    expect(result.params.overlapToleranceMs).toBe(0);
    expect(result.params.interpolationGapMs).toBe(MAX_MS);
    expectDefaultsExcept(result.params, ['billGraceOnlineMs', 'overlapToleranceMs', 'interpolationGapMs']);
  });

  it('when the earliest plausible instant is given in epoch ms, then it replaces the default', () => {
    const commissioned = Date.UTC(2021, 5, 1);
    const result = accepted({ epochMinMs: commissioned });
    expect(result.overrides).toEqual({ epochMinMs: commissioned });
    expect(result.params.epochMinMs).toBe(commissioned);
    expectDefaultsExcept(result.params, ['epochMinMs']);
  });

  it('when concurrent sessions of an idTag are allowed, then the switch is on and echoed as a boolean', () => {
    expect(DEFAULT_BILLING_PARAMS.allowConcurrentIdTag).toBe(false);
    const result = accepted({ allowConcurrentIdTag: true });
    expect(result.overrides).toEqual({ allowConcurrentIdTag: true });
    expect(result.params.allowConcurrentIdTag).toBe(true);
    expect(billingParamsJson(result.params).allowConcurrentIdTag).toBe(true);
    expectDefaultsExcept(result.params, ['allowConcurrentIdTag']);
  });

  it.each([
    ['text', 'true'],
    ['a number', 1],
    ['null', null],
  ])('when the concurrent-idTag switch is %s, then it is refused naming the field', (_label, value) => {
    expect(problemsOf({ allowConcurrentIdTag: value })).toEqual(['allowConcurrentIdTag must be true or false']);
  });

  it('when the energy precedence is reordered, then the new order is used and echoed', () => {
    const order = ['platform-registers', 'device-registers', 'estimate'];
    const result = accepted({ energyPrecedence: order });
    expect(result.overrides).toEqual({ energyPrecedence: order });
    expect(result.params.energyPrecedence).toEqual(order);
    expectDefaultsExcept(result.params, ['energyPrecedence']);
  });

  it('when a field is not a threshold, then it is refused by name rather than dropped', () => {
    const problems = problemsOf({ powerMargin: '0.05', maxSesionWh: '600000' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^maxSesionWh is not a billing threshold; known: powerMargin, slackWh, /);
    expect(problems[0]).toContain('energyPrecedence');
  });

  it('when an inherited name such as toString or __proto__ is given as an own field, then it is refused', () => {
    expect(problemsOf({ toString: 'x' })[0]).toMatch(/^toString is not a billing threshold/);
    expect(problemsOf(JSON.parse('{"__proto__": {"powerMargin": "0.5"}}'))[0]).toMatch(
      /^__proto__ is not a billing threshold/,
    );
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a string', '{"powerMargin":"0.05"}'],
    ['a number', 42],
    ['undefined', undefined],
  ])('when the thresholds are %s rather than an object, then they are refused', (_label, input) => {
    expect(problemsOf(input)).toEqual(['billingParams must be an object of thresholds']);
  });

  it.each([
    ['above 1', '1.5'],
    ['just above 1', '1.000001'],
    ['negative', '-0.1'],
    ['a number, not text', 0.05],
    ['with more than 6 decimals', '0.0000001'],
    ['without a leading digit', '.5'],
    ['in exponent notation', '5e-2'],
    ['empty', ''],
  ])('when a ratio is %s, then it is refused naming the field', (_label, value) => {
    expect(problemsOf({ powerMargin: value })).toEqual([
      'powerMargin must be a ratio from "0" to "1" as text, such as "0.02"',
    ]);
  });

  it.each([
    ['with 4 decimals', '100.1234'],
    ['negative', '-1'],
    ['a number, not text', 600_000],
    ['beyond 10 integer digits', '12345678901'],
    ['in exponent notation', '6e5'],
  ])('when an energy is %s, then it is refused naming the field', (_label, value) => {
    expect(problemsOf({ slackWh: value })).toEqual([
      'slackWh must be Wh as decimal text of at most 3 decimals, such as "200"',
    ]);
  });

  it('when the most energy of a session is "0" Wh, then it is refused, as no session could be billed', () => {
    expect(problemsOf({ maxSessionWh: '0' })).toEqual(['maxSessionWh must be more than 0 Wh']);
    expect(problemsOf({ maxSessionWh: '0.000' })).toEqual(['maxSessionWh must be more than 0 Wh']);
    expect(accepted({ maxSessionWh: '0.001' }).params.maxSessionWh.eq(new Dec('0.001'))).toBe(true);
  });

  it('when the longest session is 0 ms, then it is refused; 1 ms is the least accepted', () => {
    expect(problemsOf({ maxSessionMs: 0 })).toEqual([`maxSessionMs must be whole ms from 1 to ${MAX_MS}`]);
    expect(accepted({ maxSessionMs: 1 }).params.maxSessionMs).toBe(1);
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['beyond the max', MAX_MS + 1],
    ['text, not a number', '60000'],
    ['not finite', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
  ])('when a duration is %s, then it is refused naming the field and its range', (_label, value) => {
    expect(problemsOf({ ghostSessionMs: value })).toEqual([`ghostSessionMs must be whole ms from 0 to ${MAX_MS}`]);
  });

  it('when the earliest instant is negative, fractional or text, then it is refused with an example', () => {
    const message = `epochMinMs must be an instant in epoch ms before 2100, such as ${Date.UTC(2018, 0, 1)}`;
    expect(problemsOf({ epochMinMs: -1 })).toEqual([message]);
    expect(problemsOf({ epochMinMs: 1.5 })).toEqual([message]);
    expect(problemsOf({ epochMinMs: '2018-01-01T00:00:00Z' })).toEqual([message]);
    expect(problemsOf({ epochMinMs: Date.UTC(2100, 0, 1) + 1 })).toEqual([message]);
  });

  it.each([
    ['empty', []],
    ['naming an unknown source', ['device-registers', 'meter-photo']],
    ['naming a source twice', ['device-registers', 'estimate', 'device-registers']],
    ['not a list', 'device-registers'],
    ['a list of non-strings', [1, 2]],
  ])('when the energy precedence is %s, then it is refused listing the known sources', (_label, value) => {
    expect(problemsOf({ energyPrecedence: value })).toEqual([
      'energyPrecedence must list energy sources from device-registers, platform-registers, device-total, estimate, best first, each once',
    ]);
  });

  it('when several fields are wrong at once, then each has its own problem, in the order given', () => {
    const problems = problemsOf({
      powerMargin: '2',
      slackWh: '1.2345',
      maxSessionWh: '600000',
      maxSessionMs: 0,
      futureMs: -5,
      energyPrecedence: [],
      colour: 'blue',
    });
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^powerMargin must be a ratio/);
    expect(problems[1]).toMatch(/^slackWh must be Wh/);
    expect(problems[2]).toMatch(/^maxSessionMs must be whole ms from 1/);
    expect(problems[3]).toMatch(/^futureMs must be whole ms from 0/);
    expect(problems[4]).toMatch(/^energyPrecedence must list energy sources/);
    expect(problems[5]).toMatch(/^colour is not a billing threshold/);
  });
});

// Valid values in canonical form (as billingParamsJson writes them), one arbitrary per threshold.
const millis = (min: number, max: number) => fc.integer({ min, max });
const thousandths = (min: number) =>
  fc.bigInt({ min: BigInt(min), max: 9_999_999_999_999n }).map((n) => new Dec(n.toString()).dividedBy(1000).toString());
const ratio = fc.integer({ min: 0, max: 1_000_000 }).map((n) => new Dec(n).dividedBy(1_000_000).toString());
const durationMs = millis(0, MAX_MS);
const validValue: Readonly<Record<Field, fc.Arbitrary<BillingParamJson>>> = {
  powerMargin: ratio,
  slackWh: thousandths(0),
  maxSessionWh: thousandths(1),
  billGraceOnlineMs: durationMs,
  billGraceOfflineMs: durationMs,
  skewAnomalyMs: durationMs,
  futureMs: durationMs,
  epochMinMs: millis(0, Date.UTC(2100, 0, 1)),
  minDurationWithEnergyMs: durationMs,
  minEnergyWh: thousandths(0),
  maxSessionMs: millis(1, MAX_MS),
  ghostSessionMs: durationMs,
  idleAnomalyMs: durationMs,
  plugOutUnknownMs: durationMs,
  overlapToleranceMs: durationMs,
  allowConcurrentIdTag: fc.boolean(),
  energyToleranceWh: thousandths(0),
  energyToleranceRatio: ratio,
  durationToleranceMs: durationMs,
  durationToleranceRatio: ratio,
  amountToleranceRatio: ratio,
  registerGapToleranceWh: thousandths(0),
  interpolationGapMs: durationMs,
  energyPrecedence: fc.shuffledSubarray([...ENERGY_SOURCES], { minLength: 1 }),
};

describe('checkBillingOverrides, for any thresholds', () => {
  it('when the thresholds are any subset of the defaults as JSON, then they are accepted and change nothing', () => {
    const defaults = billingParamsJson(DEFAULT_BILLING_PARAMS);
    fc.assert(
      fc.property(fc.subarray([...BILLING_PARAM_NAMES]), (fields) => {
        const input = Object.fromEntries(fields.map((f) => [f, defaults[f]]));
        const result = accepted(input);
        expect(result.overrides).toEqual(input);
        expect(billingParamsJson(result.params)).toEqual(defaults);
      }),
    );
  });

  it('when any subset of thresholds takes valid values, then those are in force and the rest are the defaults', () => {
    const defaults = billingParamsJson(DEFAULT_BILLING_PARAMS);
    const anyOverrides = fc.record(validValue, { requiredKeys: [] });
    fc.assert(
      fc.property(anyOverrides, (input) => {
        const result = accepted(input);
        expect(result.overrides).toEqual(input);
        const json = billingParamsJson(result.params);
        for (const field of BILLING_PARAM_NAMES) {
          expect(json[field], field).toEqual(Object.hasOwn(input, field) ? input[field] : defaults[field]);
        }
      }),
    );
  });
});
