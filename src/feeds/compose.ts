/**
 * The feeds module's wiring, kept out of services.ts: its ports over the other modules' services, the
 * event consumers that mark changed SKUs, and the regeneration job. Called by composeServices.
 */
import type { Ctx } from '../context.js';
import type { NetworkService } from '../network/index.js';
import type { InventoryService } from '../inventory/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { CustomersService } from '../customers/index.js';
import { AppError } from '../platform/http/problems.js';
import { FeedsService } from './service.js';
import { ShareLinks } from './share-links.js';
import type { FeedsPorts } from './ports.js';

export function composeFeeds(
  ctx: Ctx,
  s: { network: NetworkService; inventory: InventoryService; catalog: CatalogService; customers: CustomersService },
): { feeds: FeedsService; shareLinks: ShareLinks } {
  const ports: FeedsPorts = {
    network: { channel: (x) => s.network.channel(x) },
    catalog: {
      async productOf(skus) {
        const m = await s.catalog.getVariants([...skus]);
        return new Map([...m].map(([sku, v]) => [sku, v.product_id]));
      },
      async product(id, c) {
        try {
          const p = await s.catalog.getProduct(id, { currency: c.currency, channelId: c.channelId });
          return {
            id: p.id,
            code: p.code,
            name: p.name,
            description: p.description,
            brand: p.brand,
            attributes: p.attributes,
            active: p.active,
            variants: p.variants.map((v) => ({
              sku: v.sku,
              gtin: v.gtin,
              size: v.options.size,
              colour: v.options.colour,
              active: v.active,
              price: v.price,
            })),
          };
        } catch (err) {
          if (err instanceof AppError && err.type === 'not_found') return null;
          throw err;
        }
      },
      async skuPage(cursor) {
        const page = await s.catalog.listProducts({ limit: 100, ...(cursor ? { cursor } : {}) });
        const skus: string[] = [];
        for (const p of page.items) skus.push(...(await s.catalog.getProduct(p.id)).variants.map((v) => v.sku));
        return { skus, next: page.next_cursor };
      },
    },
    inventory: {
      async availability(channel, skus) {
        if (skus.length === 0) return new Map();
        const rows = await s.inventory.availability({ channel, skus: [...skus] });
        return new Map(rows.map((r) => [r.sku, r.available]));
      },
    },
    customers: {
      async recordVisit(event) {
        const r = await s.customers.ingest([event], { source: 'share-link' });
        if (r.rejected.length) throw new AppError('validation_failed', r.rejected[0]!.problem.detail ?? 'rejected');
      },
    },
  };
  const feeds = new FeedsService(ctx.db, ctx.clock, ctx.log, ports);
  const shareLinks = new ShareLinks(ctx.db, ctx.clock, ports);
  // A change only marks the SKU (in the dispatcher's transaction); the figures are read when regenerated.
  // One statement per delivery batch (a checkout's lines are one inventory.changed each).
  ctx.bus.subscribeBatch(
    'inventory.changed',
    (es, trx) =>
      feeds.markDirty(
        trx,
        es.map((e) => e.data.sku),
      ),
    { name: 'feeds.stock' },
  );
  ctx.bus.subscribe('price.changed', (e, trx) => feeds.markDirty(trx, e.data.skus), { name: 'feeds.price' });
  ctx.bus.subscribe('product.created', (e, trx) => feeds.markDirty(trx, e.data.skus), { name: 'feeds.product' });
  ctx.bus.subscribe(
    'product.updated',
    async (e, trx) => {
      await feeds.markDirty(trx, e.data.skus);
      await feeds.markProduct(trx, e.data.id);
    },
    { name: 'feeds.product-update' },
  );
  ctx.bus.subscribe('catalog.imported', (e, trx) => feeds.markDirty(trx, e.data.skus ?? []), { name: 'feeds.import' });
  ctx.bus.subscribe(
    'customer.erased',
    (e, trx) => shareLinks.forgetSharers(trx, [...new Set([e.data.customer_id, ...e.data.customer_ids])]),
    { name: 'feeds.erasure' },
  );
  ctx.jobs.add({ name: 'feeds.refresh', intervalMs: 5000, run: () => feeds.refreshDue() });
  return { feeds, shareLinks };
}
