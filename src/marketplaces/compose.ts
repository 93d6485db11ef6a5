/**
 * The marketplaces module's wiring, kept out of services.ts so that file stays a list: its ports over
 * the other modules' services, its event consumers and its jobs (run by worker processes, see
 * platform/jobs.ts). Called by composeServices once carts, checkout and orders exist.
 */
import type { Ctx } from '../context.js';
import type { NetworkService } from '../network/index.js';
import type { InventoryService } from '../inventory/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { CartActor, CartsService, CheckoutService } from '../carts/index.js';
import type { OrdersService } from '../orders/index.js';
import type { ReturnsService } from '../returns/index.js';
import { MarketplacesService } from './service.js';
import type { MarketplacesPorts } from './ports.js';
import type { ConnectorDeps } from './types.js';

/**
 * The connector places orders as the system, not as a shopper: a staff principal of its own. That is
 * what lets the order be paid `manual` (the marketplace collected the money; Omnia captures nothing)
 * while the web shop's keys can never choose that tender for a home delivery.
 */
const CONNECTOR: CartActor = { kind: 'staff', id: 'marketplace-connector', role: 'admin', locationId: null };

export function composeMarketplaces(
  ctx: Ctx,
  s: {
    network: NetworkService;
    inventory: InventoryService;
    catalog: CatalogService;
    carts: CartsService;
    checkout: CheckoutService;
    orders: OrdersService;
    /** For returns reported by marketplaces (returns.ts); without it they are not imported. */
    returns?: ReturnsService;
  },
  connectorDeps?: ConnectorDeps,
): MarketplacesService {
  const ports: MarketplacesPorts = {
    network: { channel: (x) => s.network.channel(x) },
    inventory: {
      async availability(channel, skus) {
        const rows = await s.inventory.availability({ channel, skus: [...skus] });
        return new Map(rows.map((r) => [r.sku, r.available]));
      },
    },
    catalog: {
      variants: (skus) => s.catalog.getVariants([...skus]),
      async prices(skus, c) {
        const m = await s.catalog.prices([...skus], c);
        return new Map([...m].map(([sku, p]) => [sku, { amount: p.amount, currency: p.currency }]));
      },
    },
    checkout: {
      openCart: async (channelId) => (await s.carts.create(CONNECTOR, { channel: channelId })).cart.id,
      cartLines: async (id) =>
        (await s.carts.get(CONNECTOR, id)).lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      addItem: async (id, sku, quantity) => void (await s.carts.addItem(CONNECTOR, id, { sku, quantity })),
      async checkout(cartId, input) {
        const { order } = await s.checkout.checkout(CONNECTOR, cartId, {
          delivery: { method: 'home', address: input.address },
          payment: { provider: 'manual' },
          ...(input.email ? { email: input.email } : {}),
        });
        return { order_id: order.id };
      },
    },
    orders: {
      cancel: async (id, reason) => void (await s.orders.cancel(id, { reason })),
      status: async (id) => (await s.orders.get(id)).status,
    },
  };
  const marketplaces = new MarketplacesService({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log,
    bus: ctx.bus,
    ports,
    secretsKey: ctx.config.secretsKey,
    connectorDeps,
    returns: s.returns
      ? {
          orderLines: async (id, trx) =>
            (await s.orders.get(id, { trx })).lines.map((l) => ({
              line_id: l.line_id,
              sku: l.sku,
              quantity: l.quantity,
            })),
          // A mail return to the returns warehouse, refunded 0: the marketplace refunded the buyer itself.
          record: async (input, trx) => s.returns!.create({ ...input, refund: 'original', refund_amount: 0 }, { trx }),
        }
      : undefined,
    // Connection endpoints follow the webhooks' SSRF rule and its development switch (outbound.ts).
    outbound: { allowPrivate: ctx.config.allowPrivateWebhooks },
  });
  // Stock changes only mark the SKU; the feed job reads the figure when it sends (debounced, batched).
  // One statement per delivery batch (a checkout's lines are one inventory.changed each).
  ctx.bus.subscribeBatch('inventory.changed', (es, trx) => marketplaces.onInventoryChanged(es, trx), {
    name: 'marketplaces.stock',
  });
  // A price-book change marks the SKUs too: the next feed carries the channel's new price (once: a feed
  // sends a price only when it differs from the one last published). product.updated may carry prices.
  ctx.bus.subscribe('price.changed', (e, trx) => marketplaces.onPriceChanged(e, trx), {
    name: 'marketplaces.price',
  });
  ctx.bus.subscribe('product.updated', (e, trx) => marketplaces.onPriceChanged(e, trx), {
    name: 'marketplaces.product',
  });
  ctx.bus.subscribe('fulfillment.shipped', (e, trx) => marketplaces.onShipped(e, trx), {
    name: 'marketplaces.shipped',
  });
  ctx.bus.subscribe('order.cancelled', (e, trx) => marketplaces.onOrderCancelled(e, trx), {
    name: 'marketplaces.cancelled',
  });
  // Without OMNIA_SECRETS_KEY no connector can open its credentials: the jobs are not started at all.
  if (marketplaces.enabled) {
    ctx.jobs.add({ name: 'marketplaces.feeds', intervalMs: 2000, run: () => marketplaces.pushDue() });
    ctx.jobs.add({ name: 'marketplaces.orders', intervalMs: 5000, run: () => marketplaces.importDue() });
    ctx.jobs.add({ name: 'marketplaces.actions', intervalMs: 5000, run: () => marketplaces.actionsDue() });
    ctx.jobs.add({ name: 'marketplaces.returns', intervalMs: 60_000, run: () => marketplaces.returnsDue() });
    // Sale windows open and close by the clock, with no event: published prices are compared every 5 minutes.
    ctx.jobs.add({ name: 'marketplaces.prices', intervalMs: 300_000, run: () => marketplaces.recheckPrices() });
  } else {
    ctx.log.info('marketplace connectors off: OMNIA_SECRETS_KEY is not set');
  }
  return marketplaces;
}
