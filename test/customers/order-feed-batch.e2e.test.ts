import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { PublishedEvent } from '../../src/platform/events/outbox.js';

/**
 * Issue 17 (2): the 360's order roll-up takes a delivery batch at once. The batch must write exactly
 * what the same orders delivered one by one write: the same order rows, pair counts (a pair shared by
 * two orders of the batch counts twice) and affinity weights, and a repeat inside the batch or later
 * counts once.
 */
describe('the 360 order feed, one batch vs one by one', () => {
  let t: TestApp;
  const NOW = '2026-11-01T10:00:00.000Z';
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const identify = async (email: string) =>
    (await t.request('POST', '/v1/identify', { body: { identifiers: { email } } })).body.customer_id as string;
  const event = (order: Record<string, unknown>): PublishedEvent => ({
    id: `evt_${String(order.order_id)}`,
    type: 'order.placed',
    aggregate_id: String(order.order_id),
    occurred_at: NOW,
    data: order,
  });
  /** The same shopping history, with every id prefixed, so two copies live side by side in one database. */
  const history = (p: string, ana: string, bea: string) => {
    const order = (id: string, customer: string, products: string[], location: string | null = null) => ({
      order_id: `${p}${id}`,
      customer_id: customer,
      channel: 'web',
      channel_type: 'web',
      location_id: location,
      placed_at: NOW,
      total: { amount: 5000, currency: 'EUR' },
      lines: products.map((x) => ({ sku: `${p}${x}-M`, product_id: `${p}${x}`, quantity: 1, amount: 2500 })),
    });
    return [
      order('o1', ana, ['tee', 'jeans']),
      order('o2', ana, ['tee', 'jeans', 'cap'], 'loc_store_1'),
      order('o3', bea, ['tee', 'cap']),
      order('o1', ana, ['tee', 'jeans']), // a repeat inside the batch
      { order_id: `${p}guest`, customer_id: null, channel: 'web', lines: [] }, // a guest: nothing to feed
    ].map(event);
  };
  const feed = () => t.omnia.services.customers.orders;

  async function snapshot(p: string, people: string[]) {
    const db = t.omnia.ctx.db;
    const strip = (s: string) => s.slice(p.length);
    const orders = await db
      .selectFrom('customer_orders')
      .select(['order_id', 'amount', 'location_id'])
      .where('order_id', 'like', `${p}%`)
      .orderBy('order_id')
      .execute();
    const lines = await db
      .selectFrom('customer_order_lines')
      .select(['order_id', 'line_no', 'sku'])
      .where('order_id', 'like', `${p}%`)
      .orderBy('order_id')
      .orderBy('line_no')
      .execute();
    const pairs = await db
      .selectFrom('product_pairs')
      .select(['product_id', 'other_id', 'orders'])
      .where('product_id', 'like', `${p}%`)
      .orderBy('product_id')
      .orderBy('other_id')
      .execute();
    const aff = await db
      .selectFrom('customer_affinities')
      .select(['customer_id', 'kind', 'value', 'weight'])
      .where('customer_id', 'in', people)
      .orderBy('customer_id')
      .orderBy('kind')
      .orderBy('value')
      .execute();
    return {
      orders: orders.map((o) => ({ ...o, order_id: strip(o.order_id), amount: Number(o.amount) })),
      lines: lines.map((l) => ({ ...l, order_id: strip(l.order_id), sku: strip(l.sku) })),
      pairs: pairs.map((x) => ({ a: strip(x.product_id), b: strip(x.other_id), n: Number(x.orders) })),
      aff: aff.map((x) => ({
        who: people.indexOf(x.customer_id),
        kind: x.kind,
        value: x.value,
        weight: Number(x.weight),
      })),
    };
  }

  it('writes the same rows and counts either way, and a repeat counts once', async () => {
    const one = [await identify('ana.one@example.com'), await identify('bea.one@example.com')];
    const all = [await identify('ana.all@example.com'), await identify('bea.all@example.com')];
    for (const e of history('one_', one[0]!, one[1]!))
      await t.omnia.ctx.db.transaction().execute((trx) => feed().onOrderPlaced(e, trx));
    await t.omnia.ctx.db.transaction().execute((trx) => feed().onOrdersPlaced(history('all_', all[0]!, all[1]!), trx));

    const a = await snapshot('one_', one);
    const b = await snapshot('all_', all);
    expect(b).toEqual(a);
    // and the figures are the right ones, not just equal: tee/jeans were bought together twice
    expect(b.orders.map((o) => o.order_id)).toEqual(['o1', 'o2', 'o3']);
    expect(b.pairs.find((x) => x.a === 'tee' && x.b === 'jeans')?.n).toBe(2);
    expect(b.pairs.find((x) => x.a === 'cap' && x.b === 'tee')?.n).toBe(2);
    expect(b.pairs.find((x) => x.a === 'cap' && x.b === 'jeans')?.n).toBe(1);
    expect(b.aff.find((x) => x.who === 0 && x.kind === 'store')?.weight).toBe(5);

    // the whole batch delivered again (a retry after a crash) changes nothing
    await t.omnia.ctx.db.transaction().execute((trx) => feed().onOrdersPlaced(history('all_', all[0]!, all[1]!), trx));
    expect(await snapshot('all_', all)).toEqual(b);
  });
});
