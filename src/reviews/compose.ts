/**
 * Issue 19 point 1's wiring, kept here so services.ts gains one call: reviews over the identity graph,
 * the orders of every channel and the catalog; the review request after delivery or pickup through the
 * notifications outbox; reviews erased with their author.
 */
import type { Ctx } from '../context.js';
import { erasedCustomerIds } from '../customers/index.js';
import type { Executor } from '../platform/db/schema.js';
import { ReviewsService } from './service.js';
import type { ReviewsDeps } from './ports.js';
import type { OrderFacts } from './rules.js';

/** The other modules' operations reviews is wired to (their services satisfy these structurally). */
export interface ReviewsWiring {
  customers: {
    resolve(id: string): Promise<string | undefined>;
    get(
      id: string,
    ): Promise<{ first_name: string | null; last_name: string | null; identifiers: { kind: string; value: string }[] }>;
  };
  accounts: { memberIds(id: string): Promise<string[]>; localeOf(id: string): Promise<string> };
  orders: {
    list(f: { customer_id: string; after?: string | undefined; limit: number }): Promise<OrderShape[]>;
    get(id: string): Promise<OrderShape>;
  };
  catalog: {
    getProduct(
      idOrCode: string,
      opts?: { trx?: Executor },
    ): Promise<{
      id: string;
      name: string;
      variants: { sku: string; options: { size: string | null } }[];
    }>;
    getVariants(skus: string[]): Promise<Map<string, { sku: string; product_name: string; size: string | null }>>;
    invalidate(): void;
  };
  notifications: {
    send(n: {
      eventId: string;
      template: 'review_request';
      customerId: string;
      email: string | null;
      orderId: string;
      data: Record<string, unknown>;
    }): Promise<{ status: string; reason?: string | undefined }>;
  };
  /** The signed link that withdraws marketing e-mail (every marketing message carries it). */
  unsubscribeUrl(customerId: string): string;
}

interface OrderShape {
  id: string;
  status: string;
  channel_type: string;
  customer_id: string | null;
  placed_at: string;
  lines: { product_id: string | null; sku: string; quantity: number }[];
}

const facts = (o: OrderShape): OrderFacts & { customer_id: string | null } => ({
  id: o.id,
  status: o.status,
  channel_type: o.channel_type,
  customer_id: o.customer_id,
  placed_at: o.placed_at,
  lines: o.lines.map((l) => ({ product_id: l.product_id, sku: l.sku, quantity: l.quantity })),
});

const PAGE = 200;

export function composeReviews(
  ctx: Ctx,
  s: ReviewsWiring,
): { reviews: ReviewsService; exportOf: (rowIds: string[]) => Promise<Record<string, unknown>> } {
  const deps: ReviewsDeps = {
    customers: {
      resolve: (id) => s.customers.resolve(id),
      memberIds: (id) => s.accounts.memberIds(id),
      async names(id) {
        const c = await s.customers.get(id).catch(() => null);
        return { first_name: c?.first_name ?? null, last_name: c?.last_name ?? null };
      },
      async contact(id) {
        const c = await s.customers.get(id).catch(() => null);
        return {
          email: c?.identifiers.find((i) => i.kind === 'email')?.value ?? null,
          first_name: c?.first_name ?? null,
          locale: await s.accounts.localeOf(id).catch(() => undefined),
        };
      },
    },
    orders: {
      async ordersOf(customerIds) {
        const out: OrderFacts[] = [];
        for (const id of customerIds) {
          let after: string | undefined;
          for (;;) {
            const page = await s.orders.list({ customer_id: id, after, limit: PAGE });
            out.push(...page.map(facts));
            if (page.length < PAGE) break;
            after = page[page.length - 1]!.id;
          }
        }
        return out;
      },
      order: async (id) => facts(await s.orders.get(id)),
    },
    catalog: {
      async product(idOrCode, opts) {
        const p = await s.catalog.getProduct(idOrCode, opts).catch(() => undefined);
        return p && { id: p.id, name: p.name, variants: p.variants.map((v) => ({ sku: v.sku, size: v.options.size })) };
      },
      sizes: async (skus) => new Map([...(await s.catalog.getVariants(skus)).values()].map((v) => [v.sku, v.size])),
      productNames: async (skus) =>
        new Map([...(await s.catalog.getVariants(skus)).values()].map((v) => [v.sku, v.product_name])),
      invalidate: () => s.catalog.invalidate(),
    },
    messages: {
      sendReviewRequest: (m) =>
        s.notifications.send({
          eventId: m.key,
          template: 'review_request',
          customerId: m.customerId,
          email: m.email,
          orderId: m.orderId,
          data: { ...m.data, unsubscribe_url: s.unsubscribeUrl(m.customerId) },
        }),
    },
    nudge: () => ctx.bus.nudge(),
  };
  const reviews = new ReviewsService(ctx.db, ctx.clock, deps);
  // Delivered (carrier) or collected (pickup): ask once per order, after commit, from the event's own
  // delivery row — a failing mail server retries this mail alone; the log's key keeps it once.
  for (const type of ['fulfillment.delivered', 'fulfillment.handed_over'] as const)
    ctx.bus.subscribeAfterCommit(type, 'reviews.request', async (e) => {
      const orderId = typeof e.data.order_id === 'string' ? e.data.order_id : null;
      if (orderId) await reviews.requestReview(orderId);
    });
  ctx.bus.subscribe(
    'customer.erased',
    async (e, trx) => {
      const ids = erasedCustomerIds(e.data);
      await reviews.erase(ids, trx);
    },
    { name: 'reviews.erase' },
  );
  return { reviews, exportOf: (rowIds) => reviews.exportOf(rowIds) };
}
