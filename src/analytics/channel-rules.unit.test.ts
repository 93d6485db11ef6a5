import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, channelMix, conversionByChannel, segmentOf, storeCredits } from './channel-rules.js';
import type { Channel, OrderFact, Result } from './types.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.field}: ${r.error.message}`);
  return r.value;
}
const order = (
  customer_id: string,
  channel: Channel,
  placed_on: string,
  total: number,
  over: Partial<OrderFact> = {},
): OrderFact => ({
  customer_id,
  channel,
  placed_on,
  total,
  returned: 0,
  location_id: channel === 'store' ? 'S1' : null,
  collected_at: null,
  returned_at: null,
  ...over,
});

describe('segments: online-only, store-only, omnichannel', () => {
  it('rolls the contact center and marketplaces up into online', () => {
    expect(segmentOf(['contact_center'])).toBe('online_only');
    expect(segmentOf(['marketplace', 'app'])).toBe('online_only');
    expect(segmentOf(['store'])).toBe('store_only');
    expect(segmentOf(['store', 'marketplace'])).toBe('omnichannel');
    expect(segmentOf([])).toBeNull();
  });

  it('counts social shops as a channel of their own, rolled up into online (issue 19)', () => {
    expect(segmentOf(['social'])).toBe('online_only');
    expect(segmentOf(['social', 'store'])).toBe('omnichannel');
    const m = channelMix(
      [order('s1', 'social', '2025-06-01', 3000), order('s1', 'store', '2025-07-01', 2000)],
      '2026-01-01',
    );
    expect(m.ok && m.value.channels.social).toEqual({ customers: 1, orders: 1 });
    expect(m.ok && m.value.segments.omnichannel.customers).toBe(1);
    expect(conversionByChannel([{ channel: 'social', visits: 4 }], [{ channel: 'social', orders: 1 }])).toEqual({
      ok: true,
      value: [{ channel: 'social', visits: 4, orders: 1, rate: 0.25 }],
    });
  });

  // Window: the year before 2026-01-01 = [2025-01-01, 2026-01-01); the year before that is the
  // retention base.
  const orders = [
    order('c1', 'web', '2025-03-01', 10000, { returned: 2000 }),
    order('c1', 'web', '2025-06-01', 6000),
    order('c2', 'store', '2025-02-01', 4000),
    order('c3', 'store', '2025-04-01', 8000),
    order('c3', 'marketplace', '2025-05-01', 5000, { returned: 1000 }),
    order('c4', 'contact_center', '2025-07-01', 3000),
    // previous year: c1 online, c2 and c5 store; c5 does not come back
    order('c1', 'web', '2024-05-01', 1000),
    order('c2', 'store', '2024-09-01', 1500),
    order('c5', 'store', '2024-06-01', 2000),
    // outside both years (too old, and on the as-of day itself)
    order('c6', 'web', '2023-01-01', 999),
    order('c6', 'web', '2026-01-01', 999),
  ];

  it('given a small fixture, when mixing, then shares and per-group value match the hand count', () => {
    const m = value(channelMix(orders, '2026-01-01'));
    expect(m).toMatchObject({ from: '2025-01-01', to: '2026-01-01', customers: 4 });
    // 4 customers in the window: c1, c4 online-only (2/4); c2 store-only (1/4); c3 omnichannel (1/4)
    expect(m.segments.online_only).toEqual({
      customers: 2,
      share: 0.5,
      spend_per_customer: 8500, // (10000 + 6000 + 3000 − 2000) / 2
      orders_per_year: 1.5, // 3 orders / 2 customers over one year
      average_basket: 6333, // 19000 / 3 = 6333.3
      return_rate: 2000 / 19000, // 0.105
      retention_12m: 1, // base {c1}, c1 came back
    });
    expect(m.segments.store_only).toEqual({
      customers: 1,
      share: 0.25,
      spend_per_customer: 4000,
      orders_per_year: 1,
      average_basket: 4000,
      return_rate: 0,
      retention_12m: 0.5, // base {c2, c5}, only c2 came back
    });
    expect(m.segments.omnichannel).toEqual({
      customers: 1,
      share: 0.25,
      spend_per_customer: 12000, // 8000 + 5000 − 1000
      orders_per_year: 2,
      average_basket: 6500, // 13000 / 2
      return_rate: 1000 / 13000,
      retention_12m: null, // nobody was omnichannel the year before
    });
    expect(m.channels).toEqual({
      web: { customers: 1, orders: 2 },
      app: { customers: 0, orders: 0 },
      store: { customers: 2, orders: 2 },
      contact_center: { customers: 1, orders: 1 },
      marketplace: { customers: 1, orders: 1 },
      social: { customers: 0, orders: 0 },
    });
  });

  it('refuses a non-date, a return above the total, and an unknown channel', () => {
    expect(field(channelMix(orders, '2026-02-30'))).toBe('as_of');
    expect(field(channelMix([order('c', 'web', '2025-13-01', 1)], '2026-01-01'))).toBe('orders[0].placed_on');
    expect(field(channelMix([order('c', 'web', '2025-01-01', 1, { returned: 2 })], '2026-01-01'))).toBe(
      'orders[0].returned',
    );
    expect(field(channelMix([order('c', 'fax' as Channel, '2025-01-01', 1)], '2026-01-01'))).toBe('orders[0].channel');
  });

  it('shares sum to 1 and customers add up, for any order set with someone in the window', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(...CHANNELS), fc.integer({ min: 0, max: 364 })),
          { minLength: 1, maxLength: 60 },
        ),
        (rows) => {
          const os = rows.map(([c, ch, d]) =>
            order(`c${c}`, ch, new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10), 100),
          );
          const m = value(channelMix(os, '2026-01-01'));
          const s = m.segments;
          expect(s.online_only.share + s.store_only.share + s.omnichannel.share).toBeCloseTo(1, 12);
          expect(s.online_only.customers + s.store_only.customers + s.omnichannel.customers).toBe(m.customers);
        },
      ),
    );
  });
});

describe('store crediting', () => {
  it('credits a store its till sales and the web orders collected there, net of their returns', () => {
    const r = value(
      storeCredits([
        order('a', 'store', '2025-01-01', 10000, { returned: 1000, location_id: 'S1' }),
        order('b', 'web', '2025-01-02', 5000, { returned: 500, collected_at: 'S1', returned_at: 'S1' }),
        order('c', 'web', '2025-01-03', 3000, { returned: 3000, returned_at: 'S1' }), // shipped home
        order('d', 'app', '2025-01-04', 2000, { collected_at: 'S2' }),
      ]),
    );
    // S1: 10000 − 1000 + 5000 − 500 = 13 500; the 3000 web return handed in is shown, not deducted
    expect(r).toEqual([
      {
        store: 'S1',
        till_sales: 10000,
        till_returns: 1000,
        web_collected_orders: 1,
        web_collected: 5000,
        web_collected_returns: 500,
        web_returns_handled: 3000,
        credited: 13500,
      },
      {
        store: 'S2',
        till_sales: 0,
        till_returns: 0,
        web_collected_orders: 1,
        web_collected: 2000,
        web_collected_returns: 0,
        web_returns_handled: 0,
        credited: 2000,
      },
    ]);
  });

  it('refuses a till sale without its store', () => {
    expect(field(storeCredits([order('a', 'store', '2025-01-01', 1, { location_id: null })]))).toBe(
      'orders[0].location_id',
    );
  });
});

describe('visit → order conversion', () => {
  it('divides orders by visits per channel, and says null (not 0) without visits', () => {
    const r = value(
      conversionByChannel(
        [
          { channel: 'web', visits: 10000 },
          { channel: 'store', visits: 2000 },
        ],
        [
          { channel: 'web', orders: 250 },
          { channel: 'store', orders: 400 },
          { channel: 'marketplace', orders: 30 },
        ],
      ),
    );
    // web 250 / 10000 = 2.5 %; store 400 / 2000 = 20 %; marketplace has no visit count
    expect(r).toEqual([
      { channel: 'web', visits: 10000, orders: 250, rate: 0.025 },
      { channel: 'store', visits: 2000, orders: 400, rate: 0.2 },
      { channel: 'marketplace', visits: 0, orders: 30, rate: null },
    ]);
  });

  it('refuses negative visits', () => {
    expect(field(conversionByChannel([{ channel: 'web', visits: -1 }], []))).toBe('visits[0].visits');
  });
});

function field(r: Result<unknown>): string | null {
  return r.ok ? null : r.error.field;
}
