/** Turning cart rows and their last quote into the API's cart, and the ownership rule. */
import { AppError } from '../platform/http/problems.js';
import type { Principal } from '../platform/http/auth-model.js';
import { authorizeResource, type Resource } from '../platform/auth/policy.js';
import type { QuoteView, AvailabilityView } from './ports.js';
import { lineAvailability } from './rules.js';
import type * as store from './store.js';
import type { Cart, CartActor, CartDeliveryChoice, CartStatus } from './types.js';

export const quoteOf = (row: store.CartRow): QuoteView | null =>
  row.priced == null ? null : ((typeof row.priced === 'string' ? JSON.parse(row.priced) : row.priced) as QuoteView);
export const deliveryOf = (row: store.CartRow): CartDeliveryChoice | null =>
  row.delivery == null
    ? null
    : ((typeof row.delivery === 'string' ? JSON.parse(row.delivery) : row.delivery) as CartDeliveryChoice);

export function toCart(row: store.CartRow, lines: store.CartLineRow[], availability: AvailabilityView[] | null): Cart {
  const quote = quoteOf(row);
  const delivery = deliveryOf(row);
  const priced = new Map((quote?.lines ?? []).map((l) => [l.sku, l]));
  const stock = new Map((availability ?? []).map((a) => [a.sku, a]));
  const shelf =
    delivery && (delivery.method === 'click_collect' || delivery.method === 'in_store')
      ? (delivery.location_id ?? row.location_id)
      : null;
  return {
    id: row.id,
    channel_id: row.channel_id,
    customer_id: row.customer_id,
    location_id: row.location_id,
    status: row.status as CartStatus,
    currency: row.currency,
    coupons: row.coupons,
    coupon_results: quote?.coupons ?? [],
    delivery,
    lines: lines.map((l) => {
      const q = priced.get(l.sku);
      const a = stock.get(l.sku);
      const units = a
        ? shelf
          ? (a.locations.find((x) => x.location_id === shelf)?.available ?? 0)
          : a.available
        : null;
      return {
        line_id: l.id,
        sku: l.sku,
        quantity: l.quantity,
        unit_price: q?.unit_price ?? null,
        discount: q?.discount ?? null,
        total: q?.total ?? null,
        applied: q?.applied ?? [],
        availability: units === null ? null : lineAvailability(l.quantity, units),
      };
    }),
    totals: quote
      ? {
          subtotal: quote.subtotal,
          discount_total: quote.discount_total,
          tax_total: quote.tax_total,
          total: quote.total,
          currency: quote.currency,
        }
      : null,
    free_shipping_threshold: quote?.free_shipping_threshold ?? null,
    version: row.version,
    order_id: row.order_id,
    merged_into: row.merged_into,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function actorOf(p: Principal | undefined): CartActor {
  if (!p) throw new AppError('unauthorized', 'a credential is needed');
  if (p.kind === 'customer') return { kind: 'customer', id: p.id, customerId: p.customerId, channelId: p.channelId };
  if (p.kind === 'api_key')
    return { kind: 'api_key', id: p.id, keyKind: p.keyKind, channelId: p.channelId, locationId: p.locationId };
  return { kind: 'staff', id: p.id, role: p.role, locationId: p.locationId };
}

/** The cart as the authorization policy sees it: its channel, store and customer. */
export const cartResource = (row: {
  id: string;
  channel_id: string;
  location_id: string | null;
  customer_id: string | null;
}): Resource => ({
  kind: 'cart',
  id: row.id,
  channelId: row.channel_id,
  locationId: row.location_id,
  customerId: row.customer_id,
});

/** Whether this actor may use this cart is the policy's decision (platform/auth/policy.ts). */
export function assertCartAccess(actor: CartActor, row: store.CartRow): void {
  authorizeResource(actor, 'write', cartResource(row));
}
export function assertOpen(row: store.CartRow): void {
  if (row.status === 'merged')
    throw new AppError('conflict', `cart ${row.id} was merged into ${row.merged_into}`, {
      merged_into: row.merged_into,
    });
  if (row.status === 'completed')
    throw new AppError('conflict', `cart ${row.id} is checked out (order ${row.order_id})`, { order_id: row.order_id });
}
