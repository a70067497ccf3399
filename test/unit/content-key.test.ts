import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentKey } from '../../src/app/content-key.js';

describe('content keys (idempotency by content)', () => {
  it('when the same object is written with its keys in another order, then the key is the same', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(contentKey(reversed)).toBe(contentKey(object));
      }),
    );
  });

  it('when any value differs, then the key differs', () => {
    expect(contentKey({ meterStop: 100, transactionId: 1 })).not.toBe(contentKey({ meterStop: 101, transactionId: 1 }));
    expect(contentKey(['a', 'b'])).not.toBe(contentKey(['b', 'a']));
  });

  it('when nested, then inner objects are canonical too', () => {
    expect(canonicalJson({ b: { y: 1, x: [2, { q: 1, p: 0 }] }, a: null })).toBe(
      '{"a":null,"b":{"x":[2,{"p":0,"q":1}],"y":1}}',
    );
  });

  it('when parsed back, then canonical JSON gives what JSON itself gives', () => {
    // Not the value itself: JSON has no -0 (JSON.stringify(-0) is "0"), and fast-check makes one.
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
