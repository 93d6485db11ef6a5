/**
 * The counter's order search stays indexed at scale (PostgreSQL, 200,000 orders): each kind of query
 * is answered from an index, never a scan of the orders table, and the HTTP round trip is measured
 * (printed, not asserted: no timed assertions in tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { searchOrdersQuery } from '../../src/orders/store.js';

const N = 200_000;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ database: await createTestDatabase({ forcePg: true }) });
  // 200k orders of 50k customers, e-mails typed in mixed case, ids in placing order.
  await sql`
    insert into orders (id, channel_id, channel_type, customer_id, location_id, status, currency, subtotal,
      discount_total, shipping_amount, shipping_discount, tax_total, total, delivery, email, placed_at, updated_at)
    select 'ord_' || lpad(g::text, 26, '0'), 'chn_web', 'web', 'cus_' || (g % 50000), null, 'placed', 'EUR',
      1000, 0, 0, 0, 0, 1000, '{"method":"home"}'::jsonb,
      case when g % 2 = 0 then 'Shopper' || (g % 50000) || '@Example.com' else null end,
      now() - (${N} - g) * interval '1 minute', now()
    from generate_series(1, ${N}) g`.execute(t.omnia.ctx.db);
  await sql`analyze orders`.execute(t.omnia.ctx.db);
}, 120_000);
afterAll(() => t?.close());

async function plan(f: Parameters<typeof searchOrdersQuery>[1]): Promise<string> {
  const rows = await searchOrdersQuery(t.omnia.ctx.db, f)!.explain('json');
  return JSON.stringify(rows);
}

describe('order search at 200,000 orders (PostgreSQL)', () => {
  it('an e-mail, a person’s profiles and an order number are each found through an index', async () => {
    for (const f of [
      { email: 'shopper123@example.com', limit: 21 },
      { customer_ids: ['cus_123', 'cus_77'], limit: 21 },
      { email: 'shopper123@example.com', customer_ids: ['cus_123'], limit: 21 },
      { id: `ord_${'5'.padStart(26, '0')}`, limit: 21 },
    ]) {
      const p = await plan(f);
      expect(p, JSON.stringify(f)).not.toMatch(/"Node Type":"Seq Scan"/);
      expect(p, JSON.stringify(f)).toMatch(/orders_email_search|orders_customer|orders_pkey/);
    }
  });

  it('answers over HTTP with the newest first (latency printed)', async () => {
    const times: number[] = [];
    let first: { items: { id: string }[] } | undefined;
    for (let i = 0; i < 200; i++) {
      const q = encodeURIComponent(`Shopper${(i * 97) % 50000}@example.com`);
      const t0 = performance.now();
      const r = await t.request('GET', `/v1/orders?query=${q}&limit=20`);
      times.push(performance.now() - t0);
      expect(r.status).toBe(200);
      first ??= r.body;
    }
    expect(first!.items.length).toBe(4); // shopper0: orders 50,000, 100,000, 150,000 and 200,000
    expect(first!.items[0]!.id > first!.items[1]!.id).toBe(true);
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
    console.log(
      `BENCH ${JSON.stringify({ name: 'order-search', orders: N, requests: 200, p50_ms: at(0.5), p99_ms: at(0.99) })}`,
    );
  });
});
