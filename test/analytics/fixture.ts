/**
 * A small retailer's March 2026, written straight into the tables the reports read, with every
 * expected figure worked out by hand in reports.e2e.test.ts. Two stores (S1 in R1, S2 in R2), a
 * warehouse; channels web, pos, cc (contact center), amz (marketplace).
 */
import { sql } from 'kysely';
import type { TestApp } from '../helpers/app.js';

export interface Fixture {
  S1: string;
  S2: string;
  W: string;
  channels: Record<'web' | 'pos' | 'cc' | 'amz', string>;
}

const address = (region: string, country = 'ES') => ({
  line1: 'Calle 1',
  city: region,
  postal_code: '28001',
  region,
  country,
});

export async function buildFixture(app: TestApp): Promise<Fixture> {
  const { network, catalog } = app.omnia.services;
  const db = app.omnia.services.ctx.db;
  const [s1, s2, w] = await network.createLocations([
    {
      code: 'fx-s1',
      type: 'store',
      name: 'Store One',
      lat: 40.4,
      lng: -3.7,
      address: address('R1'),
      capabilities: ['pickup', 'ship_from_store', 'returns'],
    },
    {
      code: 'fx-s2',
      type: 'store',
      name: 'Store Two',
      lat: 41.4,
      lng: 2.1,
      address: address('R2'),
      capabilities: ['pickup', 'ship_from_store', 'returns'],
    },
    {
      code: 'fx-w',
      type: 'warehouse',
      name: 'Warehouse',
      lat: 40.3,
      lng: -3.7,
      address: address('R1'),
      capabilities: ['ship', 'returns'],
    },
  ]);
  const S1 = s1!.id;
  const S2 = s2!.id;
  const W = w!.id;
  const ch = {} as Fixture['channels'];
  for (const [code, type] of [
    ['web', 'web'],
    ['pos', 'pos'],
    ['cc', 'contact_center'],
    ['amz', 'marketplace'],
  ] as const)
    ch[code] = (await network.createChannel({ code, type, name: code })).id;
  await catalog.bulkCreateProducts([
    {
      code: 'K',
      name: 'Knit',
      category: 'women/tops',
      tax_class: 'standard',
      variants: ['S', 'M'].map((size, position) => ({
        sku: `K-${size}`,
        size,
        position,
        prices: [{ currency: 'EUR', list_amount: 1000 }],
      })),
    },
  ]);

  let n = 0;
  const order = async (o: {
    customer: string | null;
    channel: keyof Fixture['channels'];
    day: string;
    subtotal: number;
    shipping?: number;
    method: 'home' | 'click_collect' | 'pickup_point' | 'in_store';
    location?: string | null;
    country?: string;
    status?: string;
    cost?: number;
    source?: string;
    returned?: { amount: number; at: string };
  }) => {
    const id = `ord_fx${++n}`;
    const at = new Date(`${o.day}T12:00:00Z`);
    const shipping = o.shipping ?? 0;
    const channelType = { web: 'web', pos: 'pos', cc: 'contact_center', amz: 'marketplace' }[o.channel];
    await db
      .insertInto('orders')
      .values({
        id,
        channel_id: ch[o.channel],
        channel_type: channelType,
        customer_id: o.customer,
        cart_id: null,
        location_id: o.method === 'in_store' ? (o.location ?? null) : null,
        status: o.status ?? 'completed',
        hold_reason: null,
        currency: 'EUR',
        subtotal: o.subtotal,
        discount_total: 0,
        shipping_amount: shipping,
        shipping_discount: 0,
        tax_total: 0,
        total: o.subtotal + shipping,
        delivery: JSON.stringify({
          method: o.method,
          location_id: o.method === 'in_store' ? null : (o.location ?? null),
          address: o.method === 'home' ? address('X', o.country ?? 'ES') : null,
          amount: shipping,
        }),
        email: null,
        reservation_id: null,
        payment_id: null,
        placed_at: at,
        updated_at: at,
        anonymised_at: null,
      })
      .execute();
    if (o.cost !== undefined) {
      await sql`insert into sourcing_decisions (id, order_id, attempt, trigger, cost, allocations, unsourced, explanation, created_at)
        values (${`src_fx${n}`}, ${id}, 1, 'order.placed', ${o.cost}, '[]', '[]', '{}', ${at})`.execute(db);
      // a second, earlier-attempt decision must not count: only the last attempt's cost does
      await sql`insert into sourcing_decisions (id, order_id, attempt, trigger, cost, allocations, unsourced, explanation, created_at)
        values (${`src_fx${n}b`}, ${id}, 0, 'order.placed', 99999, '[]', '[]', '{}', ${at})`.execute(db);
      await sql`insert into fulfillments (id, order_id, location_id, method, destination_location_id, status, lines, sla_deadline, decision_id, channel_id, customer_id, created_at, updated_at)
        values (${`ful_fx${n}`}, ${id}, ${o.source ?? W}, ${o.method}, ${o.method === 'home' ? null : (o.location ?? null)}, 'shipped', '[]', ${at}, ${`src_fx${n}`}, ${ch[o.channel]}, ${o.customer}, ${at}, ${at})`.execute(
        db,
      );
    }
    if (o.returned) {
      const rat = new Date(`${o.returned.at}T12:00:00Z`);
      await sql`insert into returns (id, order_id, channel_id, location_id, customer_id, status, refund_method, currency, refund_amount, created_at, updated_at)
        values (${`rtn_fx${n}`}, ${id}, ${ch[o.channel]}, ${o.location ?? S1}, ${o.customer}, 'refunded', 'original', 'EUR', ${o.returned.amount}, ${rat}, ${rat})`.execute(
        db,
      );
    }
    return id;
  };

  // a: omnichannel (web home 100.00 from the warehouse, till 50.00 at S1)
  await order({ customer: 'a', channel: 'web', day: '2026-03-02', subtotal: 10000, method: 'home', cost: 700 });
  await order({ customer: 'a', channel: 'pos', day: '2026-03-05', subtotal: 5000, method: 'in_store', location: S1 });
  // b: store-only at S2, 20.00 of the second sale returned at S2
  await order({ customer: 'b', channel: 'pos', day: '2026-03-10', subtotal: 4000, method: 'in_store', location: S2 });
  await order({
    customer: 'b',
    channel: 'pos',
    day: '2026-03-20',
    subtotal: 6000,
    method: 'in_store',
    location: S2,
    returned: { amount: 2000, at: '2026-03-22' },
  });
  // c: online-only, web click & collect at S1, all returned at S1
  await order({
    customer: 'c',
    channel: 'web',
    day: '2026-03-12',
    subtotal: 3000,
    method: 'click_collect',
    location: S1,
    cost: 300,
    returned: { amount: 3000, at: '2026-03-16' },
  });
  // d: online-only, marketplace home to Portugal shipped from store S2
  await order({
    customer: 'd',
    channel: 'amz',
    day: '2026-03-15',
    subtotal: 2000,
    method: 'home',
    country: 'PT',
    cost: 900,
    source: S2,
  });
  // e: online-only in March (contact center, paid 3.95), store-only the year before
  await order({
    customer: 'e',
    channel: 'cc',
    day: '2026-03-25',
    subtotal: 4500,
    shipping: 395,
    method: 'home',
    cost: 650,
  });
  await order({ customer: 'e', channel: 'pos', day: '2025-04-10', subtotal: 1000, method: 'in_store', location: S1 });
  // f: store-only the year before, gone in March
  await order({ customer: 'f', channel: 'pos', day: '2025-05-01', subtotal: 1000, method: 'in_store', location: S2 });
  // not counted: a cancelled order, a guest's order never sourced (shipping counts it as without cost), April
  await order({
    customer: 'a',
    channel: 'web',
    day: '2026-03-03',
    subtotal: 9000,
    method: 'home',
    status: 'cancelled',
    cost: 1,
  });
  await order({ customer: null, channel: 'web', day: '2026-03-06', subtotal: 1500, shipping: 395, method: 'home' });
  await order({ customer: 'b', channel: 'web', day: '2026-04-02', subtotal: 7000, method: 'home', cost: 500 });

  // visit days: web 4 (3 customers), store visits 4; April does not count
  await sql`insert into customer_daily (customer_id, day, channel, channel_kind, events, views, cart_adds, store_visits, first_at, last_at)
    select * from (values
      ('a', date '2026-03-01', 'web', 'online', 3, 2, 0, 0, now(), now()),
      ('a', date '2026-03-02', 'web', 'online', 5, 3, 1, 0, now(), now()),
      ('c', date '2026-03-12', 'web', 'online', 2, 1, 1, 0, now(), now()),
      ('x', date '2026-03-13', 'web', 'online', 1, 1, 0, 0, now(), now()),
      ('b', date '2026-03-10', 'pos', 'store', 3, 0, 0, 3, now(), now()),
      ('a', date '2026-03-05', 'pos', 'store', 1, 0, 0, 1, now(), now()),
      ('a', date '2026-04-05', 'web', 'online', 1, 1, 0, 0, now(), now())
    ) as v`.execute(db);

  // demand answered out of stock
  await sql`insert into analytics_lost_demand (day, source, channel_id, location_id, sku, units, asks, unit_price, currency, elsewhere)
    values
      ('2026-03-03', 'availability', ${ch.pos}, ${S1}, 'K-M', 2, 2, 1000, 'EUR', 1),
      ('2026-03-03', 'cart', ${ch.web}, null, 'K-M', 1, 1, 1000, 'EUR', 1),
      ('2026-03-04', 'checkout', ${ch.web}, null, 'K-S', 1, 1, 1200, 'EUR', 0),
      ('2026-04-05', 'cart', ${ch.web}, null, 'K-S', 5, 1, 1200, 'EUR', 0)`.execute(db);
  return { S1, S2, W, channels: ch };
}
