// Tariff versions to rows and back. Decimals travel as the exact text of the core's Decimal
// (toFixed(): plain notation, every digit), so a version reads back to the same values.
import type { Selectable } from 'kysely';
import { Dec } from '../core/decimal.js';
import type { Holiday, Season, TariffTerms, TariffVersion, Tier, TierPrice } from '../core/tariff.js';
import type { TariffVersionsTable } from './schema.js';

type PricesJson = Partial<Record<Tier, { electricityPerKwh: string; servicePerKwh: string }>>;

function pricesToJson(prices: TariffTerms['prices']): string {
  const json: PricesJson = {};
  for (const [tier, price] of Object.entries(prices) as [Tier, TierPrice][]) {
    json[tier] = { electricityPerKwh: price.electricityPerKwh.toFixed(), servicePerKwh: price.servicePerKwh.toFixed() };
  }
  return JSON.stringify(json);
}

function pricesFromJson(text: string): Partial<Record<Tier, TierPrice>> {
  const prices: Partial<Record<Tier, TierPrice>> = {};
  for (const [tier, price] of Object.entries(JSON.parse(text) as PricesJson) as [Tier, PricesJson[Tier] & object][]) {
    prices[tier] = { electricityPerKwh: new Dec(price.electricityPerKwh), servicePerKwh: new Dec(price.servicePerKwh) };
  }
  return prices;
}

export function toTariffRow(
  tariffId: string,
  version: number,
  terms: TariffTerms,
  createdAt: number,
): Selectable<TariffVersionsTable> {
  const { idleFee } = terms;
  return {
    tariff_id: tariffId,
    version,
    effective_from: terms.effectiveFrom,
    time_zone: terms.timeZone,
    prices: pricesToJson(terms.prices),
    seasons: JSON.stringify(terms.seasons),
    holidays: JSON.stringify(terms.holidays),
    idle_free_minutes: idleFee?.freeMinutes ?? null,
    idle_price_per_minute: idleFee?.pricePerMinute.toFixed() ?? null,
    idle_cap_yuan: idleFee?.capYuan?.toFixed() ?? null,
    created_at: createdAt,
  };
}

export function toTariffVersion(r: Selectable<TariffVersionsTable>): TariffVersion {
  return {
    tariffId: r.tariff_id,
    version: r.version,
    effectiveFrom: r.effective_from,
    timeZone: r.time_zone,
    prices: pricesFromJson(r.prices),
    seasons: JSON.parse(r.seasons) as Season[],
    holidays: JSON.parse(r.holidays) as Holiday[],
    // Written together by toTariffRow, so the free minutes alone tell whether there is a fee.
    idleFee:
      r.idle_free_minutes === null
        ? null
        : {
            freeMinutes: r.idle_free_minutes,
            pricePerMinute: new Dec(r.idle_price_per_minute ?? '0'),
            capYuan: r.idle_cap_yuan === null ? null : new Dec(r.idle_cap_yuan),
          },
    createdAt: r.created_at,
  };
}
