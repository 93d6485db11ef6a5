import { describe, expect, it } from 'vitest';
import { planHistory, type HistoryWorld } from './history-plan.js';

const world: HistoryWorld = {
  stores: Array.from({ length: 8 }, (_, i) => ({
    id: `S${i}`,
    region: i < 4 ? 'R1' : 'R2',
    country: i < 6 ? 'ES' : 'PT',
    ship_from_store: i % 2 === 0,
  })),
  warehouses: [{ id: 'W', country: 'ES' }],
  pickup_points: [{ id: 'P', country: 'ES' }],
  channels: Object.fromEntries(
    ['web', 'app', 'pos', 'contact_center', 'amazon', 'aliexpress'].map((c) => [c, { id: `chn_${c}`, type: c }]),
  ),
  products: Array.from({ length: 40 }, (_, p) => ({
    id: `prd_${p}`,
    skus: ['S', 'M', 'L'].map((size) => ({ sku: `P${p}-${size}`, size, price: 1995 + p * 500, weight_g: 400 })),
  })),
};

describe('demo history plan', () => {
  const opts = { seed: 7, end: '2026-12-01', days: 183, customers: 2000 };
  const h = planHistory(world, opts);

  it('is the same for the same seed and end day, different for another seed', () => {
    expect(planHistory(world, opts)).toEqual(h);
    expect(planHistory(world, { ...opts, seed: 8 }).orders.length).not.toBe(h.orders.length);
  });

  it('has about 7 % online-only, 20 % store-only and 73 % omnichannel customers, by the channels they used', () => {
    const used = new Map<number, Set<string>>();
    for (const o of h.orders)
      (used.get(o.customer) ?? used.set(o.customer, new Set()).get(o.customer)!).add(
        o.channel_code === 'pos' ? 'store' : 'online',
      );
    const n = used.size;
    const share = (pred: (s: Set<string>) => boolean) => [...used.values()].filter(pred).length / n;
    expect(share((s) => s.size === 1 && s.has('online'))).toBeCloseTo(0.07, 1);
    expect(share((s) => s.size === 1 && s.has('store'))).toBeCloseTo(0.2, 1);
    expect(share((s) => s.size === 2)).toBeCloseTo(0.73, 1);
  });

  it('keeps every order, return and lost ask inside the window, with click & collect and ship-from-store', () => {
    const start = Date.UTC(2026, 5, 1);
    const end = Date.UTC(2026, 11, 1);
    expect(h.orders.every((o) => o.placed_at >= start && o.placed_at < end)).toBe(true);
    expect(h.returns.every((r) => r.at < end && r.at > h.orders[r.order]!.placed_at)).toBe(true);
    expect(h.lost.every((l) => l.day >= h.start_day && l.day < h.end_day)).toBe(true);
    expect(h.orders.filter((o) => o.method === 'click_collect').length).toBeGreaterThan(100);
    const sfs = h.orders.filter((o) => o.method === 'home' && o.source_location_id.startsWith('S'));
    expect(sfs.length).toBeGreaterThan(50);
    // home parcels under the free-shipping threshold pay; click & collect never does
    expect(h.orders.filter((o) => o.method === 'click_collect').every((o) => o.shipping_paid === 0)).toBe(true);
    // one visit row per customer, day and channel
    const keys = new Set(h.visits.map((v) => `${v.customer}|${v.day}|${v.channel_code}|${v.kind}`));
    expect(keys.size).toBe(h.visits.length);
  });
});
