/**
 * The shop the checkout benchmarks buy from (bench/checkout.ts, bench/flow.ts): one warehouse and one
 * store, `skus` SKUs with 1,000,000 units each at the warehouse (the first 20 also 100 at the store),
 * five active promotions (item percent, item amount, basket amount over a threshold, free shipping
 * over a threshold, category percent), a web channel and a secret key for carts and checkout.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { createOmnia } from '../src/server.js';

export const benchAddress = { line1: 'Calle Mayor 1', city: 'Madrid', postal_code: '28013', country: 'ES' };

type Omnia = Awaited<ReturnType<typeof createOmnia>>;

export async function seedShop(omnia: Omnia, skuCount: number): Promise<{ key: string; skus: string[] }> {
  const s = omnia.services;
  const address = benchAddress;
  const [wh, store] = await s.network.createLocations([
    { code: 'wh', type: 'warehouse', name: 'Warehouse', lat: 40.3, lng: -3.6, address, capabilities: ['ship'] },
    {
      code: 'sol',
      type: 'store',
      name: 'Sol',
      lat: 40.41,
      lng: -3.7,
      address,
      capabilities: ['pickup', 'ship_from_store'],
      daily_capacity: 1000,
    },
  ]);
  await s.network.createChannel({ code: 'web', type: 'web', name: 'Web' });
  const key = (
    await s.auth.createApiKey({
      channel: 'web',
      scopes: ['carts:read', 'carts:write', 'checkout:write', 'orders:read'],
    })
  ).key;
  const skus = Array.from({ length: skuCount }, (_, i) => `BENCH-${String(i).padStart(5, '0')}`);
  for (let i = 0; i < skuCount; i += 50) {
    await s.catalog.createProduct({
      code: `p-${i}`,
      name: `Product ${i}`,
      category: (i / 50) % 2 === 0 ? 'women/shoes' : 'men/shirts',
      variants: skus.slice(i, i + 50).map((sku, j) => ({
        sku,
        weight_g: 300,
        prices: [{ currency: 'EUR', list_amount: 1000 + ((i + j) % 50) * 100 }],
      })),
    });
  }
  for (const sku of skus)
    await s.inventory.recordMovement({ sku, location_id: wh!.id, type: 'receipt', quantity: 1_000_000 });
  for (const sku of skus.slice(0, 20))
    await s.inventory.recordMovement({ sku, location_id: store!.id, type: 'receipt', quantity: 100 });
  const promos = [
    { name: '10% off shoes', kind: 'item_percent', params: { percent: 10 }, scope: { categories: ['women/shoes'] } },
    {
      name: '1 € off selected',
      kind: 'item_amount',
      params: { amount: 100 },
      scope: { skus: skus.filter((_, i) => i % 7 === 0) },
    },
    { name: '5 € off over 80 €', kind: 'basket_amount', params: { amount: 500 }, conditions: { min_subtotal: 8000 } },
    { name: 'Free shipping over 50 €', kind: 'free_shipping', params: { threshold: 5000 } },
    {
      name: '15% off shirts',
      kind: 'item_percent',
      params: { percent: 15 },
      scope: { categories: ['men/shirts'] },
      stacking: { group: 'category' },
    },
  ];
  for (const p of promos)
    await s.promotions.createPromotion(p as never).catch((e: { extras?: unknown }) => {
      throw new Error(`${p.name}: ${JSON.stringify(e.extras ?? e)}`);
    });
  await sql`analyze`.execute(omnia.ctx.db);
  return { key, skus };
}

/**
 * CPU spent by this process and by the PostgreSQL backends serving this benchmark's database (read
 * from /proc: PostgreSQL runs on this machine) between start and stop. CPU, unlike wall time, hardly
 * depends on what the other users of the shared cores do, so before/after comparisons use it. Pool
 * connections come and go, so the backends are sampled every 500 ms and each one's last reading
 * counts (a backend that ends between two samples loses at most its last 500 ms).
 */
/** CPU ticks (user + system, 100 a second on Linux) a process has used, or 0 once it is gone. */
export async function procTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return 0;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15 of stat)
}

/**
 * CPU milliseconds of PostgreSQL's backends serving this database, sampled every `everyMs` while they
 * live (they come and go with the pool).
 */
export function pgCpuMeter(omnia: Omnia, everyMs = 500): { stop(): Promise<number> } {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async (initial: boolean) => {
    const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`
      .execute(omnia.ctx.db)
      .catch(() => ({ rows: [] as { pid: number }[] }));
    for (const { pid } of pids.rows) {
      const ticks = await procTicks(pid);
      if (!ticks) continue;
      if (!first.has(pid)) first.set(pid, initial ? ticks : 0);
      last.set(pid, ticks);
    }
  };
  let busy = sample(true);
  const timer = setInterval(() => (busy = busy.then(() => sample(false))), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      await sample(false);
      let ticks = 0;
      for (const [pid, t] of last) ticks += t - (first.get(pid) ?? 0);
      return ticks * 10;
    },
  };
}

/** This process's CPU and PostgreSQL's, from now until stop(). */
export function cpuMeter(omnia: Omnia): { stop(): Promise<{ node_ms: number; pg_ms: number }> } {
  const u0 = process.cpuUsage();
  const pg = pgCpuMeter(omnia);
  return {
    async stop() {
      const pg_ms = await pg.stop();
      const u = process.cpuUsage(u0);
      return { node_ms: (u.user + u.system) / 1000, pg_ms };
    },
  };
}

/** Waits until the outbox, the consumers' deliveries and fulfillment's inbox are empty; seconds waited. */
export async function drained(omnia: Omnia, maxS = 600): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const r = await sql<{ n: number }>`select
        (select count(*) from outbox where dispatched_at is null)
      + (select count(*) from event_deliveries where status = 'pending')
      + (select count(*) from fulfillment_inbox) as n`.execute(omnia.ctx.db);
    if (Number(r.rows[0]!.n) === 0 || performance.now() - t0 > maxS * 1000) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  return (performance.now() - t0) / 1000;
}
