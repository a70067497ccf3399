import { expect, it } from 'vitest';
import type { TariffBinding } from '../../src/app/ports.js';
import type { TariffTerms } from '../../src/core/tariff.js';
import { validateTariffDraft } from '../../src/core/tariff-draft.js';
import { forEachDialect } from '../support/dialects.js';
import { aTariffDraft, EFFECTIVE_FROM } from '../support/tariffs.js';
import { aName } from './builders.js';

const CREATED_AT = 1_735_700_000_000;

function terms(overrides: Record<string, unknown> = {}): TariffTerms {
  const result = validateTariffDraft(aTariffDraft(overrides));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.terms;
}

forEachDialect('KyselyTariffStore', (ctx) => {
  const store = () => ctx.stores().tariffs;

  it('when a version is created, then it is version 1 and reads back whole', async () => {
    const tariffId = aName('T');
    const created = await store().createVersion(tariffId, terms(), CREATED_AT);
    expect(created).toEqual({ ...terms(), tariffId, version: 1, createdAt: CREATED_AT });
    expect(await store().versions(tariffId)).toEqual([created]);
  });

  it('when prices sit at the edges of their precision, then they read back exactly', async () => {
    const tariffId = aName('T');
    const prices = {
      peak: { electricityPerKwh: '99999.99999', servicePerKwh: '0.00001' },
      flat: { electricityPerKwh: '0.10000', servicePerKwh: '0' },
      valley: { electricityPerKwh: '0.33333', servicePerKwh: '12345.67891' },
      sharp: { electricityPerKwh: '1.00001', servicePerKwh: '0.99999' },
      'deep-valley': { electricityPerKwh: '0.00000', servicePerKwh: '0.00000' },
    };
    const idleFee = { freeMinutes: 0, pricePerMinute: '0.01667', capYuan: '99999.99' };
    await store().createVersion(tariffId, terms({ prices, idleFee }), CREATED_AT);
    const [read] = await store().versions(tariffId);
    expect(read?.prices.peak?.electricityPerKwh.toFixed(5)).toBe('99999.99999');
    expect(read?.prices.peak?.servicePerKwh.toFixed(5)).toBe('0.00001');
    expect(read?.prices.valley?.servicePerKwh.toFixed(5)).toBe('12345.67891');
    expect(read?.idleFee?.pricePerMinute.toFixed(5)).toBe('0.01667');
    expect(read?.idleFee?.capYuan?.toFixed(2)).toBe('99999.99');
    expect(read).toEqual({ ...terms({ prices, idleFee }), tariffId, version: 1, createdAt: CREATED_AT });
  });

  it('when the idle fee or its cap is absent, then it reads back as null', async () => {
    const noFee = aName('T');
    const noCap = aName('T');
    await store().createVersion(noFee, terms({ idleFee: null }), CREATED_AT);
    await store().createVersion(noCap, terms({ idleFee: { freeMinutes: 15, pricePerMinute: '0.50000' } }), CREATED_AT);
    expect((await store().versions(noFee))[0]?.idleFee).toBeNull();
    expect((await store().versions(noCap))[0]?.idleFee?.capYuan).toBeNull();
  });

  it('when versions are added, then each tariff counts 1, 2, 3 on its own, listed oldest first', async () => {
    const a = aName('T');
    const b = aName('T');
    for (const [tariffId, day] of [
      [a, 0],
      [b, 0],
      [a, 1],
      [a, 2],
    ] as const) {
      await store().createVersion(tariffId, terms({ effectiveFrom: EFFECTIVE_FROM + day * 86_400_000 }), CREATED_AT);
    }
    expect((await store().versions(a)).map((v) => v.version)).toEqual([1, 2, 3]);
    expect((await store().versions(b)).map((v) => v.version)).toEqual([1]);
  });

  it('when versions of one tariff are created concurrently, then each gets its own number', async () => {
    const tariffId = aName('T');
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store().createVersion(tariffId, terms(), CREATED_AT + i)),
    );
    expect(created.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await store().versions(tariffId)).map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('when a tariff is unknown, then it has no versions', async () => {
    expect(await store().versions(aName('nothing'))).toEqual([]);
  });

  it('when tariffs are listed, then each comes once, by id, with its latest version', async () => {
    const prefix = aName('list');
    await store().createVersion(`${prefix}-b`, terms(), CREATED_AT);
    await store().createVersion(`${prefix}-a`, terms(), CREATED_AT);
    await store().createVersion(`${prefix}-a`, terms(), CREATED_AT + 5_000);
    const listed = (await store().tariffs()).filter((t) => t.tariffId.startsWith(prefix));
    expect(listed).toEqual([
      { tariffId: `${prefix}-a`, latestVersion: 2, updatedAt: CREATED_AT + 5_000 },
      { tariffId: `${prefix}-b`, latestVersion: 1, updatedAt: CREATED_AT },
    ]);
  });

  const aBinding = (overrides: Partial<TariffBinding> = {}): TariffBinding => ({
    stationId: aName('S'),
    tariffId: 'T-1',
    effectiveFrom: EFFECTIVE_FROM,
    boundAt: CREATED_AT,
    ...overrides,
  });

  it('when a station is bound twice from the same instant, then the second is refused and the first kept', async () => {
    const first = aBinding();
    expect(await store().bind(first)).toBe(true);
    expect(await store().bind({ ...first, tariffId: 'T-2' })).toBe(false);
    expect(await store().bindings(first.stationId)).toEqual([first]);
  });

  it('when bindings follow each other, then the one in force is the latest not after the instant', async () => {
    const stationId = aName('S');
    const later = aBinding({ stationId, tariffId: 'T-2', effectiveFrom: EFFECTIVE_FROM + 10_000 });
    const first = aBinding({ stationId, tariffId: 'T-1', effectiveFrom: EFFECTIVE_FROM });
    await store().bind(later);
    await store().bind(first);
    expect(await store().bindings(stationId)).toEqual([first, later]);
    expect(await store().bindingAt(stationId, EFFECTIVE_FROM - 1)).toBeUndefined();
    expect(await store().bindingAt(stationId, EFFECTIVE_FROM)).toEqual(first);
    expect(await store().bindingAt(stationId, EFFECTIVE_FROM + 9_999)).toEqual(first);
    expect(await store().bindingAt(stationId, EFFECTIVE_FROM + 10_000)).toEqual(later);
  });

  it('when two station ids differ only in case, then they are two stations on every dialect', async () => {
    const stationId = aName('s-case');
    await store().bind(aBinding({ stationId, tariffId: 'lower' }));
    await store().bind(aBinding({ stationId: stationId.toUpperCase(), tariffId: 'upper' }));
    expect((await store().bindingAt(stationId, EFFECTIVE_FROM))?.tariffId).toBe('lower');
    expect((await store().bindingAt(stationId.toUpperCase(), EFFECTIVE_FROM))?.tariffId).toBe('upper');
  });
});
