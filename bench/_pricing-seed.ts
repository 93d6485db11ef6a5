/**
 * The pricing benchmark's database: 200 products × 5 sizes = 1,000 SKUs with EUR prices, `promos`
 * active promotions of the realistic mix created through PromotionsService (so validated), and 100
 * baskets of `lines` random SKUs. Shared by bench/pricing.ts and bench/_pricing-http.ts.
 */
import { connect } from '../src/platform/db/connect.js';
import { migrate } from '../src/platform/db/migrate.js';
import { systemClock } from '../src/platform/clock.js';
import { NetworkService } from '../src/network/index.js';
import { benchAuth } from './_lib.js';
import { CatalogService, vatRate } from '../src/catalog/index.js';
import { PromotionsService } from '../src/promotions/index.js';
import { catalogLayout, promotionInputs, rng } from './_pricing-workload.js';

export async function seedPricing(url: string, opts: { promos: number; lines: number; pool: number }) {
  const database = await connect({ databaseUrl: url, poolSize: opts.pool });
  await migrate(database.db);
  const db = database.db;
  const rand = rng(42);
  const network = new NetworkService(db, systemClock);
  const catalog = new CatalogService(db, systemClock, network);
  const auth = await benchAuth(db, network);
  await network.createChannel({ code: 'web', type: 'web', name: 'Web' });
  const promotions = new PromotionsService({
    db,
    clock: systemClock,
    network,
    catalog,
    vatRate: (c, k) => vatRate(c as 'standard', k),
  });
  const web = (await network.channel('web'))!;
  const pos = await network.createChannel({ code: 'pos', type: 'pos', name: 'Stores' });
  const layout = catalogLayout();
  const productIds: string[] = [];
  for (const p of layout) {
    const created = await catalog.createProduct({
      code: p.code,
      name: p.code,
      category: p.category,
      tax_class: p.tax_class,
      variants: p.skus.map((s) => ({
        sku: s.sku,
        size: s.size,
        prices: [{ currency: 'EUR', list_amount: p.price }],
      })),
    });
    productIds.push(created.id);
  }
  const skus = layout.flatMap((p) => p.skus.map((s) => s.sku));
  const t0 = performance.now();
  for (const input of promotionInputs('realistic', opts.promos, skus, productIds, rand, { web: 'web', other: 'pos' }))
    await promotions.createPromotion(input);
  const seconds = (performance.now() - t0) / 1000;
  const baskets = Array.from({ length: 100 }, () =>
    Array.from({ length: opts.lines }, (_, i) => ({
      sku: skus[Math.floor(rand() * skus.length)]!,
      quantity: 1 + Math.floor(rand() * 3),
      line_id: `l${i}`,
    })),
  );
  const bodies = baskets.map((b) => JSON.stringify({ lines: b, shipping: { method: 'home', amount: 495 } }));
  return { database, db, auth, network, catalog, promotions, web, pos, productIds, skus, baskets, bodies, seconds };
}
