/** Races the embedded database cannot show: concurrent identifications, merges and batches on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';

describe('customers under concurrency (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true }) });
    await t.omnia.services.network.createChannel({ code: 'web', type: 'web', name: 'Web' });
  });
  afterAll(async () => t?.close());
  const customers = () => t.omnia.services.customers;

  it('ten concurrent identifications of one new email create one profile', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        customers().identify({ identifiers: { email: 'race@example.com' }, channel: 'web' }),
      ),
    );
    const ids = new Set(
      results
        .filter((r) => r.status === 'fulfilled')
        .map((r) => (r as PromiseFulfilledResult<{ customer_id: string }>).value.customer_id),
    );
    expect(ids.size).toBe(1);
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from customer_identifiers where value = 'race@example.com'`.execute(t.omnia.ctx.db);
    expect(n.rows[0]!.n).toBe(1);
  });

  it('opposite concurrent merges of the same two people leave one consistent person', async () => {
    const a = (await customers().identify({ identifiers: { email: 'x1@example.com' }, channel: 'web' })).customer_id;
    const b = (await customers().identify({ identifiers: { loyalty_card: 'CARD-X' }, channel: 'web' })).customer_id;
    const res = await Promise.allSettled([customers().merge(a, b, 'test'), customers().merge(b, a, 'test')]);
    expect(res.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rows = await sql<{
      id: string;
      root_id: string;
      status: string;
    }>`select id, root_id, status from customers where id in (${a}, ${b})`.execute(t.omnia.ctx.db);
    const roots = new Set(rows.rows.map((r) => r.root_id));
    expect(roots.size).toBe(1);
    expect(rows.rows.filter((r) => r.status === 'active').map((r) => r.id)).toEqual([...roots]);
  });

  it('concurrent batches about the same people roll up exactly, without deadlocks', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(
        (await customers().identify({ identifiers: { email: `p${i}@example.com` }, channel: 'web' })).customer_id,
      );
    const now = Date.now();
    const batch = () =>
      Array.from({ length: 300 }, (_, j) => ({
        type: 'product_viewed',
        timestamp: new Date(now - (j % 5) * 86_400_000).toISOString(),
        customer_id: ids[(j * 7) % ids.length],
        properties: { product_id: `prd_${j % 13}`, category: 'shoes', size: String(36 + (j % 4)) },
      }));
    const results = await Promise.all(
      Array.from({ length: 8 }, () => customers().ingest(batch(), { defaultChannel: 'web', source: 'test' })),
    );
    expect(results.map((r) => r.accepted)).toEqual(Array(8).fill(300));
    const db = t.omnia.ctx.db;
    const ev = await sql<{ n: number }>`select count(*)::int as n from customer_events`.execute(db);
    const daily = await sql<{
      n: number;
      v: number;
    }>`select sum(events)::int as n, sum(views)::int as v from customer_daily`.execute(db);
    const views = await sql<{ n: number }>`select sum(views)::int as n from customer_product_views`.execute(db);
    expect(ev.rows[0]!.n).toBe(2400);
    expect(daily.rows[0]).toEqual({ n: 2400, v: 2400 });
    expect(views.rows[0]!.n).toBe(2400);
  });
});
