/**
 * Pure translation between Omnia's connector shapes and Meta's Commerce Platform Graph API as
 * documented: the order list (`GET /{cms-id}/commerce_orders`, Graph cursor paging), an order's items
 * (`GET /{order-id}/items`), acknowledgement (`POST /{cms-id}/acknowledge_orders`), shipment
 * (`POST /{order-id}/shipments`), cancellation (`POST /{order-id}/cancellations`) and the catalog
 * Batch API (`POST /{catalog-id}/items_batch`, `GET /{catalog-id}/check_batch_request_status`) that
 * carries stock and price between two fetches of the feed. Every answer is checked for the fields we
 * use: an answer without them is a MalformedResponseError and nothing from it is used.
 */
import { createHash } from 'node:crypto';
import { minorUnits } from '../../platform/money.js';
import {
  MalformedResponseError,
  type MarketplaceAddress,
  type MarketplaceOrder,
  type MarketplaceOrderStatus,
  type Money,
  type OfferInput,
  type ShipmentConfirmation,
  type StockUpdate,
} from '../types.js';

/** The fields asked for each order (Graph returns only what `fields` names). */
export const ORDER_FIELDS =
  'id,order_status,created,last_updated,channel,buyer_details,shipping_address,estimated_payment_details';
export const ITEM_FIELDS = 'id,retailer_id,product_id,quantity,price_per_unit';

export interface MetaOrder {
  id: string;
  order_status: { state: string };
  created: string;
  last_updated: string;
  channel?: string;
  buyer_details?: { name?: string; email?: string };
  shipping_address?: {
    name?: string;
    street1?: string;
    street2?: string;
    city?: string;
    state?: string;
    postal_code?: string;
    country?: string;
  };
  estimated_payment_details?: { subtotal?: { items?: { amount?: string; currency?: string } } };
}

export interface MetaItem {
  id: string;
  retailer_id: string;
  quantity: number;
  price_per_unit?: { amount?: string; currency?: string };
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A Graph list page: `data` and the cursor to the next page (absent on the last one). */
function page(body: unknown, what: string): { data: unknown[]; next: string | null } {
  if (!isObj(body) || !Array.isArray(body.data)) throw new MalformedResponseError(`${what}: no data array`);
  const paging = isObj(body.paging) ? body.paging : {};
  const cursors = isObj(paging.cursors) ? paging.cursors : {};
  // Graph gives `next` only when there is a further page; `cursors.after` alone is not enough.
  const next = typeof paging.next === 'string' && typeof cursors.after === 'string' ? cursors.after : null;
  return { data: body.data, next };
}

export function parseOrdersPage(body: unknown): { orders: MetaOrder[]; next: string | null } {
  const p = page(body, 'commerce_orders');
  for (const o of p.data)
    if (
      !isObj(o) ||
      typeof o.id !== 'string' ||
      !isObj(o.order_status) ||
      typeof o.order_status.state !== 'string' ||
      typeof o.created !== 'string' ||
      typeof o.last_updated !== 'string' ||
      Number.isNaN(Date.parse(o.created)) ||
      Number.isNaN(Date.parse(o.last_updated))
    )
      throw new MalformedResponseError(
        'commerce_orders: an order without id, order_status.state, created or last_updated',
      );
  return { orders: p.data as MetaOrder[], next: p.next };
}

export function parseItemsPage(body: unknown): { items: MetaItem[]; next: string | null } {
  const p = page(body, 'items');
  for (const i of p.data)
    if (
      !isObj(i) ||
      typeof i.id !== 'string' ||
      typeof i.retailer_id !== 'string' ||
      typeof i.quantity !== 'number' ||
      !Number.isInteger(i.quantity)
    )
      throw new MalformedResponseError('items: an item without id, retailer_id or an integer quantity');
  return { items: p.data as MetaItem[], next: p.next };
}

/** "20.00" + "EUR" → minor units; null when absent or unreadable. */
export function fromAmount(amount: unknown, currency: unknown): Money | null {
  if (typeof currency !== 'string' || typeof amount !== 'string') return null;
  const n = Number(amount);
  if (!Number.isFinite(n)) return null;
  return { amount: Math.round(n * 10 ** minorUnits(currency)), currency };
}

/** Minor units → Meta's price string with the currency ("19.95 EUR"), as the catalog takes it. */
export function toPrice(m: Money): string {
  const d = minorUnits(m.currency);
  return `${(m.amount / 10 ** d).toFixed(d)} ${m.currency}`;
}

/**
 * Meta's order states: FB_PROCESSING (Meta still checks payment: not the seller's yet), CREATED (to be
 * acknowledged), IN_PROGRESS (acknowledged, to be shipped), COMPLETED (shipped), CANCELLED.
 */
export function statusOf(state: string): MarketplaceOrderStatus {
  switch (state) {
    case 'CREATED':
    case 'IN_PROGRESS':
      return 'unshipped';
    case 'COMPLETED':
      return 'shipped';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'pending';
  }
}

export function toOrder(o: MetaOrder, items: MetaItem[]): MarketplaceOrder {
  const a = o.shipping_address;
  const address: MarketplaceAddress | null = a
    ? {
        name: a.name ?? null,
        line1: a.street1 ?? null,
        line2: a.street2 ?? null,
        city: a.city ?? null,
        postal_code: a.postal_code ?? null,
        region: a.state ?? null,
        country: a.country ?? null,
        phone: null,
      }
    : null;
  const currency =
    items.find((i) => i.price_per_unit?.currency)?.price_per_unit?.currency ??
    o.estimated_payment_details?.subtotal?.items?.currency ??
    'EUR';
  return {
    external_id: o.id,
    status: statusOf(o.order_status.state),
    placed_at: new Date(o.created),
    updated_at: new Date(o.last_updated),
    currency,
    buyer: { email: o.buyer_details?.email ?? null, name: o.buyer_details?.name ?? null },
    shipping_address: address,
    lines: items.map((i) => ({
      external_line_id: i.id,
      sku: i.retailer_id,
      quantity: i.quantity,
      unit_price: fromAmount(i.price_per_unit?.amount, i.price_per_unit?.currency),
    })),
    raw_status: o.order_status.state,
  };
}

/**
 * Meta's write calls take an `idempotency_key`: the same request sent twice (a retry after a timeout)
 * is applied once. Derived from what the call says, so a retry of the same shipment carries the same key.
 */
export function idempotencyKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export function shipmentBody(c: ShipmentConfirmation): Record<string, unknown> {
  const items = c.lines.map((l) => ({ item_id: l.external_line_id, quantity: l.quantity }));
  return {
    idempotency_key: idempotencyKey('ship', c.external_order_id, c.tracking, JSON.stringify(items)),
    items,
    tracking_info: {
      tracking_number: c.tracking,
      carrier: carrierCode(c.carrier),
      ...(c.method ? { shipping_method_name: c.method } : {}),
    },
  };
}

/** Meta's carrier codes for the carriers Omnia names; anything else goes as OTHER (documented value). */
export function carrierCode(carrier: string): string {
  const c = carrier.trim().toLowerCase();
  const known: Record<string, string> = {
    dhl: 'DHL',
    'dhl express': 'DHL',
    ups: 'UPS',
    fedex: 'FEDEX',
    usps: 'USPS',
    correos: 'CORREOS',
    seur: 'SEUR',
    gls: 'GLS',
    ctt: 'CTT',
  };
  return known[c] ?? 'OTHER';
}

export function cancellationBody(orderId: string, reason: string): Record<string, unknown> {
  return {
    idempotency_key: idempotencyKey('cancel', orderId),
    cancel_reason: { reason_code: 'CANCEL_REASON_OTHER', reason_description: reason.slice(0, 200) },
    restock_items: true,
  };
}

/** The catalog Batch API's requests: an UPDATE per SKU with availability, quantity and (when sent) price. */
export function batchRequests(items: (StockUpdate | OfferInput)[]): Record<string, unknown>[] {
  return items.map((u) => {
    const data: Record<string, unknown> = {
      id: u.sku,
      availability: u.quantity > 0 ? 'in stock' : 'out of stock',
      quantity_to_sell_on_facebook: Math.max(0, u.quantity),
    };
    if (u.price) data.price = toPrice(u.price);
    if ('title' in u) data.title = u.title;
    return { method: 'UPDATE', data };
  });
}

/** check_batch_request_status → whether it finished, and the SKUs it refused. */
export function parseBatchStatus(body: unknown): { done: boolean; failed: { sku: string; message: string }[] } {
  if (!isObj(body) || !Array.isArray(body.data) || !isObj(body.data[0]) || typeof body.data[0].status !== 'string')
    throw new MalformedResponseError('check_batch_request_status: no data[0].status');
  const s = body.data[0];
  const errors = Array.isArray(s.errors) ? s.errors.filter(isObj) : [];
  return {
    done: s.status === 'finished',
    failed: errors.map((e) => ({
      sku: typeof e.id === 'string' ? e.id : '*',
      message: typeof e.message === 'string' ? e.message : 'refused',
    })),
  };
}

/** Graph error codes that mean "slow down" (application, user, page and API-call rate limits). */
export const GRAPH_THROTTLE_CODES = new Set([4, 17, 32, 613, 80004, 80014]);
/** Graph error codes that mean the access token is no good (expired, revoked, wrong permissions). */
export const GRAPH_AUTH_CODES = new Set([102, 190, 200, 10]);

/** A Graph error body's code, or null. */
export function graphErrorCode(text: string): number | null {
  try {
    const b = JSON.parse(text) as unknown;
    return isObj(b) && isObj(b.error) && typeof b.error.code === 'number' ? b.error.code : null;
  } catch {
    return null;
  }
}
