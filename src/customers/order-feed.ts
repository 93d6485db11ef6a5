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

/** The ordered pairs of an order's distinct products (the first MAX_PAIR_PRODUCTS of them), each once. */
function pairsOf(productIds: string[]): [string, string][] {
  const products = [...new Set(productIds)].sort().slice(0, MAX_PAIR_PRODUCTS);
  const pairs: [string, string][] = [];
  for (const a of products) for (const b of products) if (a !== b) pairs.push([a, b]);
  return pairs;
}

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
    await this.onOrdersPlaced([event], trx);
  }

  /**
   * A delivery batch of `order.placed` at once: a fixed handful of statements per batch, not per order
   * (the issue 17 lever: the 360 roll-up was about a third of a checkout's consumer work). An order id
   * seen before (a repeat, or twice in one batch) is recorded once and bumps nothing.
   */
  async onOrdersPlaced(events: PublishedEvent[], trx: Tx): Promise<void> {
    const seen = new Set<string>();
    const placed: OrderPlaced[] = [];
    for (const e of events) {
      const o = e.data as unknown as OrderPlaced;
      // guest orders have no person to feed
      if (!o.order_id || !o.customer_id || !Array.isArray(o.lines) || seen.has(o.order_id)) continue;
      seen.add(o.order_id);
      placed.push(o);
    }
    if (placed.length === 0) return;
    const live = new Set(
      (await ids.getCustomers(trx, [...new Set(placed.map((o) => o.customer_id!))]))
        .filter((c) => c.status !== 'erased')
        .map((c) => c.id),
    );
    const mine = placed.filter((o) => live.has(o.customer_id!));
    if (mine.length === 0) return;
    const rows: store.CustomerOrderRow[] = [];
    for (const o of mine) {
      const channelType = o.channel_type ?? (await this.channel(o.channel))?.type ?? 'web';
      rows.push({
        order_id: o.order_id,
        customer_id: o.customer_id!,
        channel: o.channel,
        channel_kind: channelKindOf(channelType, 'order_placed'),
        location_id: o.location_id ?? null,
        placed_at: new Date(o.placed_at),
        amount: o.total.amount,
        currency: o.total.currency,
        lines: o.lines.map((l) => ({ sku: l.sku, product_id: l.product_id, quantity: l.quantity, amount: l.amount })),
      });
    }
    const fresh = new Set(await store.insertOrders(trx, rows));
    const recorded = mine.filter((o) => fresh.has(o.order_id));
    if (recorded.length === 0) return;
    await store.bumpPairs(
      trx,
      recorded.flatMap((o) => pairsOf(o.lines.map((l) => l.product_id))),
    );
    const allLines = recorded.flatMap((o) => o.lines);
    const cat = this.catalog();
    const variants = cat ? await cat.variants([...new Set(allLines.map((l) => l.sku))], trx) : [];
    const bySku = new Map(variants.map((v) => [v.sku, v]));
    await store.upsertSkus(
      trx,
      allLines.map((l) => ({ product_id: l.product_id, sku: l.sku, size: bySku.get(l.sku)?.size ?? null })),
    );
    // a purchase says more about taste than a view: it weighs five
    const aff: { customer_id: string; kind: string; value: string; weight: number }[] = [];
    for (const o of recorded) {
      for (const l of o.lines) {
        const v = bySku.get(l.sku);
        if (v?.size) aff.push({ customer_id: o.customer_id!, kind: 'size', value: v.size, weight: 5 });
        if (v?.category) aff.push({ customer_id: o.customer_id!, kind: 'category', value: v.category, weight: 5 });
      }
      if (o.location_id) aff.push({ customer_id: o.customer_id!, kind: 'store', value: o.location_id, weight: 5 });
    }
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
