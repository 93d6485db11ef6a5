/**
 * The reports on the demo retailer's seeded history (`omnia seed --demo --history`), checked against
 * figures this test computes itself with plain SQL over the same tables (not the report's code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { seedDemo, type DemoSummary } from '../../src/demo/index.js';

let app: TestApp;
let summary: DemoSummary;
const W = 'from=2026-04-02&to=2026-06-01';

beforeAll(async () => {
  app = await startTestApp();
  summary = await seedDemo(app.omnia.services, {
    stores: 4,
    products: 30,
    history_days: 60,
    history_end: '2026-06-01',
  });
}, 240_000);
afterAll(async () => app?.close());

const q = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(app.omnia.services.ctx.db)).rows;

describe('reports on the demo history', () => {
  it('seeds the asked window: orders in every channel, returns, visits and lost demand', () => {
    expect(summary.history).toMatchObject({ from: '2026-04-02', to: '2026-06-01', customers: 300 });
    expect(summary.history!.orders).toBeGreaterThan(500);
    expect(summary.history!.returns).toBeGreaterThan(20);
    expect(summary.history!.visit_days).toBeGreaterThan(1000);
    expect(summary.history!.lost_demand).toBeGreaterThan(100);
  });

  it('channel mix: segment sizes, store visits and credited sales match a direct count', async () => {
    const r = await app.request('GET', `/v1/analytics/channel-mix?${W}`);
    expect(r.status).toBe(200);
    const seg = await q(sql<{ segment: string; n: number }>`
      select case when s and o then 'omnichannel' when s then 'store_only' else 'online_only' end as segment, count(*)::int as n
      from (select customer_id, bool_or(channel_type = 'pos') as s, bool_or(channel_type <> 'pos') as o
            from orders where status <> 'cancelled' and customer_id is not null
              and placed_at >= '2026-04-02' and placed_at < '2026-06-01' group by customer_id) c
      group by 1`);
    for (const { segment, n } of seg) expect(r.body.total.segments[segment].customers, segment).toBe(n);
    const share = r.body.total.segments.omnichannel.share;
    expect(share).toBeGreaterThan(0.5);
    const [visits] = await q(sql<{ n: number }>`
      select sum(store_visits)::int as n from customer_daily where channel = 'pos' and day >= '2026-04-02' and day < '2026-06-01'`);
    expect(r.body.conversion.find((c: { channel: string }) => c.channel === 'store').visits).toBe(visits!.n);
    const [credited] = await q(sql<{ n: number }>`
      select (sum(o.subtotal) - sum(least(coalesce(rt.r, 0), o.subtotal)))::int as n
      from orders o left join (select order_id, sum(refund_amount) r from returns group by order_id) rt on rt.order_id = o.id
      where o.status <> 'cancelled' and o.customer_id is not null and o.placed_at >= '2026-04-02' and o.placed_at < '2026-06-01'
        and (o.channel_type = 'pos' or o.delivery ->> 'method' = 'click_collect')`);
    expect(r.body.credits.reduce((a: number, c: { credited: number }) => a + c.credited, 0)).toBe(credited!.n);
  });

  it('shipping: orders, cost and paid add up to the sourcing decisions and the orders', async () => {
    const r = await app.request('GET', `/v1/analytics/shipping?${W}`);
    expect(r.status).toBe(200);
    const [x] = await q(sql<{ n: number; cost: number; paid: number }>`
      select count(*)::int as n, sum(d.cost)::int as cost, sum(o.shipping_amount)::int as paid
      from orders o join sourcing_decisions d on d.order_id = o.id
      where o.status <> 'cancelled' and o.delivery ->> 'method' in ('home', 'click_collect', 'pickup_point')
        and o.placed_at >= '2026-04-02' and o.placed_at < '2026-06-01'`);
    expect(r.body.orders).toBe(x!.n);
    const sum = (k: 'cost' | 'paid') => r.body.by_band.reduce((a: number, b: Record<string, number>) => a + b[k]!, 0);
    expect(sum('cost')).toBe(x!.cost);
    expect(sum('paid')).toBe(x!.paid);
    // the demo ships free from 50.00: no band from 50.00 up is paid for home delivery
    const paidAbove = r.body.by_zone_band_method.filter(
      (c: { band: string; method: string; paid: number }) =>
        c.method === 'home' && Number(c.band.split(/[-+]/)[0]) >= 5000 && c.paid > 0,
    );
    expect(paidAbove).toEqual([]);
  });

  it('lost sales: units, value and the sourceable part match a direct sum', async () => {
    const r = await app.request('GET', `/v1/analytics/lost-sales?${W}`);
    expect(r.status).toBe(200);
    const [x] = await q(sql<{ units: number; value: number }>`
      select sum(units)::int as units, sum(units * unit_price)::bigint as value
      from analytics_lost_demand where day >= '2026-04-02' and day < '2026-06-01'`);
    expect(r.body.units).toBe(x!.units);
    expect(r.body.value).toBe(Number(x!.value));
    // a SKU's spare units on a day serve that day's losses once: min(lost, best spare seen)
    const [s] = await q(sql<{ n: number }>`
      select sum(least(u, e))::int as n from (
        select sku, day, sum(units) as u, max(elsewhere) as e from analytics_lost_demand
        where day >= '2026-04-02' and day < '2026-06-01' group by sku, day) t`);
    expect(r.body.sourcing_opportunity.units).toBe(s!.n);
    expect(r.body.sourcing_opportunity.units + r.body.buying_problem.units).toBe(x!.units);
  });
});
