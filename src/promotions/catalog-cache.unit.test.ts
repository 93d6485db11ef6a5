import { describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.js';
import { CatalogCache } from './catalog-cache.js';
import type { PromotionsCatalogPort } from './ports.js';

/** A catalog that counts what it is asked and answers from a price list the test changes. */
function countingCatalog(prices: Map<string, number>) {
  const asked: string[][] = [];
  const port: Pick<PromotionsCatalogPort, 'getVariants' | 'prices'> = {
    getVariants: async (skus) => {
      asked.push(skus);
      return new Map(
        skus
          .filter((s) => prices.has(s))
          .map((sku) => [
            sku,
            { sku, product_id: `prd_${sku}`, category: 'c', size: null, tax_class: 'standard', active: true },
          ]),
      );
    },
    prices: async (skus, ctx) =>
      new Map(
        skus
          .filter((s) => prices.has(s))
          .map((s) => [s, { list_amount: prices.get(s)!, amount: prices.get(s)! + (ctx.currency === 'USD' ? 1 : 0) }]),
      ),
  };
  return { port: port as PromotionsCatalogPort, asked };
}

describe('the quote API catalog cache', () => {
  it('answers from memory for 10 s, then reads again; unknown SKUs are remembered too', async () => {
    const clock = new ManualClock('2026-06-01T10:00:00Z');
    const prices = new Map([
      ['A', 100],
      ['B', 200],
    ]);
    const { port, asked } = countingCatalog(prices);
    const cache = new CatalogCache(port, clock);
    const ctx = () => ({ currency: 'EUR', channelId: 'chn_web', at: clock.now() });
    expect((await cache.lookup(['A', 'B', 'Z'], ctx())).prices.get('A')?.amount).toBe(100);
    prices.set('A', 150);
    clock.advance(9_999);
    const hit = await cache.lookup(['A', 'B', 'Z'], ctx());
    expect(hit.prices.get('A')?.amount).toBe(100);
    expect(hit.variants.has('Z')).toBe(false);
    expect(asked).toEqual([['A', 'B', 'Z']]);
    clock.advance(1);
    expect((await cache.lookup(['A'], ctx())).prices.get('A')?.amount).toBe(150);
    expect(asked).toEqual([['A', 'B', 'Z'], ['A']]);
  });

  it('keeps currencies and channels apart, and clear() forgets everything', async () => {
    const clock = new ManualClock('2026-06-01T10:00:00Z');
    const { port, asked } = countingCatalog(new Map([['A', 100]]));
    const cache = new CatalogCache(port, clock);
    const at = clock.now();
    expect((await cache.lookup(['A'], { currency: 'EUR', channelId: 'chn_web', at })).prices.get('A')?.amount).toBe(
      100,
    );
    expect((await cache.lookup(['A'], { currency: 'USD', channelId: 'chn_web', at })).prices.get('A')?.amount).toBe(
      101,
    );
    await cache.lookup(['A'], { currency: 'EUR', channelId: 'chn_pos', at });
    await cache.lookup(['A'], { currency: 'EUR', channelId: 'chn_web', at });
    expect(asked.length).toBe(3);
    cache.clear();
    await cache.lookup(['A'], { currency: 'EUR', channelId: 'chn_web', at });
    expect(asked.length).toBe(4);
  });
});
