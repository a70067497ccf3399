import { describe, expect, it } from 'vitest';
import { normaliseQuirks } from '../../src/gateway/quirks.js';

describe('known pile quirks in transaction messages', () => {
  it('when MeterValues carries numbers and objects where the schema wants strings and arrays, then they are normalised', () => {
    const params: Record<string, unknown> = {
      connectorId: '1',
      transactionId: 7,
      meterValue: { timestamp: '2020-01-13T08:00:00Z', sampledValue: { value: 92270, unit: 'Wh' } },
    };
    expect(normaliseQuirks('MeterValues', params).sort()).toEqual([
      'integer-as-string',
      'meter-value-object',
      'sampled-value-number',
      'sampled-value-object',
    ]);
    expect(params).toEqual({
      connectorId: 1,
      transactionId: 7,
      meterValue: [{ timestamp: '2020-01-13T08:00:00Z', sampledValue: [{ value: '92270', unit: 'Wh' }] }],
    });
  });

  it('when values only look wrong, then nothing outside the list is touched', () => {
    const params: Record<string, unknown> = { connectorId: 1, idTag: 'A', meterStart: '12.5', timestamp: 'yesterday' };
    expect(normaliseQuirks('StartTransaction', params)).toEqual([]);
    expect(params.meterStart).toBe('12.5');
    expect(normaliseQuirks('BootNotification', { chargePointVendor: 1 })).toEqual([]);
  });

  it('when StopTransaction sends transactionData as an object, then it becomes a list', () => {
    const params: Record<string, unknown> = {
      transactionId: '-1',
      meterStop: 5,
      timestamp: '2020-01-13T08:00:00Z',
      transactionData: { timestamp: '2020-01-13T08:00:00Z', sampledValue: [{ value: '5' }] },
    };
    expect(normaliseQuirks('StopTransaction', params).sort()).toEqual(['integer-as-string', 'meter-value-object']);
    expect(params.transactionId).toBe(-1);
    expect(Array.isArray(params.transactionData)).toBe(true);
  });
});
