/**
 * Orders and returns as the customer 360 sees them, fed by other modules' outbox events. Handlers
 * run in the dispatcher's transaction and are idempotent: an order is recorded once by its id, and
 * only a first recording bumps co-occurrence pairs and affinities.
 */
import type { Tx } from '../platform/db/schema.js';
import type { PublishedEvent } from '../platform/events/outbox.js';
import * as store from './profile-store.js';
import * as ids from './identity-store.js';
import { channelKindOf } from './ingest.js';
import type { CatalogLookup, ChannelLookup } from './ports.js';

/** Orders with more distinct products than this feed only their first ones into the pairs (n² rows). */
export const MAX_PAIR_PRODUCTS = 30;

interface OrderPlaced {
  order_id: string;
  customer_id: string | null;
  channel: string;
  channel_type?: string;
  location_id?: string | null;
  placed_at: string;
  total: { amount: number; currency: string };
  lines: { sku: string; product_id: string; quantity: number; amount: number }[];
}

export class OrderFeed {
  constructor(
    private readonly channel: ChannelLookup,
    private readonly catalog: () => CatalogLookup | undefined,
  ) {}

  async onOrderPlaced(event: PublishedEvent, trx: Tx): Promise<void> {
    const o = event.data as unknown as OrderPlaced;
    if (!o.order_id || !o.customer_id || !Array.isArray(o.lines)) return; // guest orders have no person to feed
    const customer = await ids.getCustomer(trx, o.customer_id);
    if (!customer || customer.status === 'erased') return;
    const channelType = o.channel_type ?? (await this.channel(o.channel))?.type ?? 'web';
    const kind = channelKindOf(channelType, 'order_placed');
    const fresh = await store.insertOrder(
      trx,
      {
        order_id: o.order_id,
        customer_id: o.customer_id,
        channel: o.channel,
        channel_kind: kind,
        location_id: o.location_id ?? null,
        placed_at: new Date(o.placed_at),
        amount: o.total.amount,
        currency: o.total.currency,
      },
      o.lines.map((l) => ({ sku: l.sku, product_id: l.product_id, quantity: l.quantity, amount: l.amount })),
    );
    if (!fresh) return;
    const products = [...new Set(o.lines.map((l) => l.product_id))].sort().slice(0, MAX_PAIR_PRODUCTS);
    const pairs: [string, string][] = [];
    for (const a of products) for (const b of products) if (a !== b) pairs.push([a, b]);
    await store.bumpPairs(trx, pairs);
    const cat = this.catalog();
    const variants = cat
      ? await cat.variants(
          o.lines.map((l) => l.sku),
          trx,
        )
      : [];
    const bySku = new Map(variants.map((v) => [v.sku, v]));
    await store.upsertSkus(
      trx,
      o.lines.map((l) => ({ product_id: l.product_id, sku: l.sku, size: bySku.get(l.sku)?.size ?? null })),
    );
    // a purchase says more about taste than a view: it weighs five
    const aff: { customer_id: string; kind: string; value: string; weight: number }[] = [];
    for (const l of o.lines) {
      const v = bySku.get(l.sku);
      if (v?.size) aff.push({ customer_id: o.customer_id, kind: 'size', value: v.size, weight: 5 });
      if (v?.category) aff.push({ customer_id: o.customer_id, kind: 'category', value: v.category, weight: 5 });
    }
    if (o.location_id) aff.push({ customer_id: o.customer_id, kind: 'store', value: o.location_id, weight: 5 });
    await store.bumpAffinities(trx, aff);
  }

  async onOrderCancelled(event: PublishedEvent, trx: Tx): Promise<void> {
    const id = (event.data.order_id ?? event.aggregate_id) as string | undefined;
    if (id) await store.setOrderStatus(trx, id, 'cancelled');
  }

  /** `return.created` counts a return; `refund.issued` adds the refunded amount. */
  async onReturn(event: PublishedEvent, trx: Tx): Promise<void> {
    const orderId = event.data.order_id as string | undefined;
    if (!orderId) return;
    if (event.type === 'refund.issued') {
      const amount = (event.data.amount as { amount?: number } | undefined)?.amount ?? 0;
      if (amount > 0) await store.addReturn(trx, event.id, orderId, amount);
    } else await store.addReturn(trx, event.id, orderId, 0);
  }
}
