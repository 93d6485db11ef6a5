import { describe, expect, it } from 'vitest';
import {
  addDays,
  deliveryOptions,
  homeRate,
  planSources,
  type DeliveryInput,
  type DeliveryLocation,
} from './delivery-rules.js';

const loc = (
  id: string,
  type: DeliveryLocation['type'],
  capabilities: string[],
  daily_capacity = 0,
): DeliveryLocation => ({ id, type, name: id, capabilities, daily_capacity, active: true });
const wh = loc('wh', 'warehouse', ['ship']);
const sol = loc('sol', 'store', ['pickup', 'ship_from_store'], 2);
const gran = loc('gran', 'store', ['pickup']);
const outlet = loc('outlet', 'store', []);
const locker = loc('locker', 'pickup_point', ['pickup']);
const rates = [
  { zone: 'ES', max_weight_g: 2000, amount: 395, currency: 'EUR' },
  { zone: 'ES', max_weight_g: 10000, amount: 695, currency: 'EUR' },
  { zone: '*', max_weight_g: 2000, amount: 995, currency: 'EUR' },
];

function input(over: Partial<DeliveryInput> = {}): DeliveryInput {
  return {
    lines: [
      { sku: 'A', quantity: 2, weight_g: 500 },
      { sku: 'B', quantity: 1, weight_g: null },
    ],
    stock: new Map([
      [
        'A',
        new Map([
          ['wh', 10],
          ['sol', 2],
          ['gran', 1],
        ]),
      ],
      [
        'B',
        new Map([
          ['wh', 3],
          ['sol', 1],
        ]),
      ],
    ]),
    locations: [wh, sol, gran, outlet, locker],
    leadTimes: new Map(),
    rates,
    country: 'ES',
    currency: 'EUR',
    merchandise_total: 3000,
    pickup_load: new Map(),
    channel_type: 'web',
    now: new Date('2026-06-01T10:00:00Z'),
    ...over,
  };
}
const byId = (opts: ReturnType<typeof deliveryOptions>) => Object.fromEntries(opts.map((o) => [o.id, o]));

describe('delivery options', () => {
  it('prices home delivery from the zone/weight table, free over the threshold', () => {
    expect(homeRate(rates, 'ES', 1500)?.amount).toBe(395);
    expect(homeRate(rates, 'ES', 2001)?.amount).toBe(695);
    expect(homeRate(rates, 'FR', 100)?.amount).toBe(995);
    expect(homeRate(rates, 'FR', 5000)).toBeNull();
    const o = byId(deliveryOptions(input()));
    expect(o.home).toMatchObject({ price: { amount: 395 }, source_location_ids: ['wh'], promised_date: '2026-06-03' }); // 1.5 kg, warehouse 2 days
    expect(byId(deliveryOptions(input({ free_shipping_threshold: 3000 }))).home!.price.amount).toBe(0);
  });
  it('offers click & collect now where the store holds everything, after a transfer elsewhere, never where it cannot pick up', () => {
    const o = byId(deliveryOptions(input({ leadTimes: new Map([['wh>gran', 1]]) })));
    expect(o['click_collect:sol']).toMatchObject({
      ready: 'now',
      promised_date: '2026-06-01',
      source_location_ids: ['sol'],
    });
    expect(o['click_collect:gran']).toMatchObject({
      ready: 'after_transfer',
      promised_date: '2026-06-02',
      source_location_ids: ['wh'],
    });
    expect(o['click_collect:outlet']).toBeUndefined();
    expect(o['pickup_point:locker']).toMatchObject({ price: { amount: 295 }, promised_date: '2026-06-04' });
  });
  it('moves the promise a day when the store is at its daily capacity', () => {
    const o = byId(deliveryOptions(input({ pickup_load: new Map([['sol', 2]]) })));
    expect(o['click_collect:sol']!.promised_date).toBe('2026-06-02');
  });
  it('offers the endless aisle only at a till, from any location holding the goods', () => {
    const stock = new Map([
      ['A', new Map([['gran', 5]])],
      ['B', new Map([['gran', 1]])],
    ]);
    expect(byId(deliveryOptions(input({ stock }))).home).toBeUndefined(); // gran cannot ship
    const till = byId(deliveryOptions(input({ stock, channel_type: 'pos' })));
    expect(till.endless_aisle).toMatchObject({
      method: 'home',
      source_location_ids: ['gran'],
      promised_date: '2026-06-04',
    });
  });
  it('offers nothing that cannot be covered', () => {
    expect(deliveryOptions(input({ stock: new Map() }))).toEqual([]);
    expect(deliveryOptions(input({ lines: [] }))).toEqual([]);
    expect(planSources(input(), [sol], () => 0)).toEqual({ days: 0, sources: ['sol'] });
    expect(planSources(input({ lines: [{ sku: 'A', quantity: 99, weight_g: 1 }] }), [wh, sol], () => 0)).toBeNull();
    expect(addDays(new Date('2026-12-31T23:00:00Z'), 1)).toBe('2027-01-01');
  });
  it('gives pickup options a ready-by time and collect window from the location’s hours, never a closed day', () => {
    const hours = { mon: [['10:00', '21:30']], tue: [['10:00', '21:30']], wed: [['10:00', '21:30']] } as const;
    const withHours = (l: DeliveryLocation): DeliveryLocation => ({
      ...l,
      opening_hours: hours as unknown as DeliveryLocation['opening_hours'],
      timezone: 'Europe/Madrid',
    });
    const locations = [wh, withHours(sol), gran, outlet, withHours(locker)];
    // Monday 2026-06-01 16:00 Madrid: ready at 18:00 until 21:30
    const o = byId(deliveryOptions(input({ locations, now: new Date('2026-06-01T14:00:00Z') })));
    expect(o['click_collect:sol']).toMatchObject({
      promised_date: '2026-06-01',
      ready_by: '2026-06-01T16:00:00.000Z',
      collect_until: '2026-06-01T19:30:00.000Z',
    });
    expect(o['click_collect:gran']).toMatchObject({ ready_by: null, collect_until: null }); // no hours published
    // Three carrier days from Monday is Thursday, closed here: the promise waits for the next open day (Monday).
    expect(o['pickup_point:locker']).toMatchObject({
      promised_date: '2026-06-08',
      ready_by: '2026-06-08T08:00:00.000Z',
    });
    // 20:30, at capacity or not, the answer is tomorrow from opening.
    const late = byId(deliveryOptions(input({ locations, now: new Date('2026-06-01T18:30:00Z') })));
    expect(late['click_collect:sol']).toMatchObject({
      promised_date: '2026-06-02',
      ready_by: '2026-06-02T08:00:00.000Z',
    });
    const full = byId(
      deliveryOptions(input({ locations, now: new Date('2026-06-01T08:00:00Z'), pickup_load: new Map([['sol', 2]]) })),
    );
    expect(full['click_collect:sol']!.ready_by).toBe('2026-06-02T08:00:00.000Z');
  });
});

describe("delivery options with a carrier's quote (issue 18)", () => {
  const carrier = { amount: 790, currency: 'EUR', transit_days: 1 };
  it("prices and promises home delivery by the carrier's quote: a warehouse hands over today, a store tomorrow", () => {
    const o = byId(deliveryOptions(input({ carrier })));
    expect(o.home).toMatchObject({ price: { amount: 790 }, promised_date: '2026-06-02', source_location_ids: ['wh'] });
    const storeOnly = input({
      carrier,
      locations: [sol],
      stock: new Map([
        ['A', new Map([['sol', 2]])],
        ['B', new Map([['sol', 1]])],
      ]),
    });
    expect(byId(deliveryOptions(storeOnly)).home).toMatchObject({
      promised_date: '2026-06-03',
      source_location_ids: ['sol'],
    });
    expect(byId(deliveryOptions(input({ carrier, free_shipping_threshold: 3000 }))).home!.price.amount).toBe(0);
  });
  it('without a quote (no carrier, or it failed) the tables answer', () => {
    expect(byId(deliveryOptions(input({ carrier: null }))).home).toMatchObject({
      price: { amount: 395 },
      promised_date: '2026-06-03',
    });
  });
});
