import { describe, expect, it } from 'vitest';
import { planDemo } from './plan.js';
import { Prng } from './prng.js';
import { isValidGtin13 } from '../catalog/index.js';

describe('the demo plan', () => {
  it('is the same for the same seed and different for another', () => {
    const a = planDemo({ seed: 7, stores: 40, products: 300 });
    expect(planDemo({ seed: 7, stores: 40, products: 300 })).toEqual(a);
    expect(planDemo({ seed: 8, stores: 40, products: 300 }).products).not.toEqual(a.products);
  });

  it('has the stable channels, ~40 stores in Spain and Portugal, 2 warehouses and 10 pickup points', () => {
    const plan = planDemo({ seed: 1, stores: 40, products: 50 });
    expect(plan.channels.map((c) => c.code)).toEqual([
      'web',
      'app',
      'pos',
      'contact_center',
      'amazon',
      'aliexpress',
      'social',
      'instagram',
      'facebook',
      'tiktok',
    ]);
    expect(
      plan.channels.filter((c) => c.type === 'marketplace').every((c) => (c.stock_policy?.buffer_pct ?? 0) > 0),
    ).toBe(true);
    const byType = (t: string) => plan.locations.filter((l) => l.type === t);
    expect(byType('store')).toHaveLength(40);
    expect(byType('warehouse')).toHaveLength(2);
    expect(byType('pickup_point')).toHaveLength(10);
    expect(new Set(plan.locations.map((l) => l.address.country))).toEqual(new Set(['ES', 'PT']));
    for (const l of plan.locations) {
      // Iberia plus the Canaries and Madeira.
      expect(l.lat).toBeGreaterThan(27.5);
      expect(l.lat).toBeLessThan(44);
      expect(l.lng).toBeGreaterThan(-18.5);
      expect(l.lng).toBeLessThan(3.5);
      expect(l.code).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
    }
    expect(new Set(plan.locations.map((l) => l.code)).size).toBe(plan.locations.length);
  });

  it('makes products in sizes with valid, unique GTINs and SKUs and sane prices', () => {
    const plan = planDemo({ seed: 3, stores: 5, products: 2000 });
    const variants = plan.products.flatMap((p) => p.variants ?? []);
    expect(variants.length).toBeGreaterThan(8000);
    expect(new Set(variants.map((v) => v.sku)).size).toBe(variants.length);
    expect(new Set(variants.map((v) => v.gtin)).size).toBe(variants.length);
    expect(variants.every((v) => isValidGtin13(v.gtin!))).toBe(true);
    const sizes = new Set(variants.map((v) => v.size));
    for (const s of ['XS', 'S', 'M', 'L', 'XL', '36', '46']) expect(sizes).toContain(s);
    for (const v of variants) {
      const price = v.prices![0]!;
      expect(price.list_amount).toBeGreaterThanOrEqual(595);
      expect(price.list_amount % 100).toBe(95);
      if (price.sale_amount != null) expect(price.sale_amount).toBeLessThan(price.list_amount);
      expect(v.unit_cost).toBeLessThan(price.list_amount);
    }
    expect(new Set(plan.products.map((p) => p.category)).size).toBeGreaterThan(20);
  });

  it('scales to 500 stores and 20,000 SKUs', () => {
    const plan = planDemo({ seed: 1, stores: 500, products: 4000 });
    expect(plan.locations.filter((l) => l.type === 'store')).toHaveLength(500);
    expect(new Set(plan.locations.map((l) => l.code)).size).toBe(plan.locations.length);
    expect(plan.products.flatMap((p) => p.variants ?? []).length).toBeGreaterThan(18_000);
  });

  it('draws from a seeded generator only', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
  });
});
