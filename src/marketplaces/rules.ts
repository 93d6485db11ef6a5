/**
 * Pure marketplace rules: what a feed carries, what to do with an order the marketplace reports, how
 * shipped units map back to the marketplace's lines, when to try again. No I/O, no clock reads.
 */
import type { MarketplaceAddress, MarketplaceOrder, MarketplaceOrderStatus, StockUpdate } from './types.js';
import type { MarketplaceOrderStatusRow } from './tables.js';

/**
 * The feed's items: for every dirty SKU the channel's availability NOW (after buffer and safety stock,
 * as the inventory module computes it), never a figure remembered from an event; a SKU the channel
 * cannot sell (unknown, inactive, no stock) is published as 0. The price goes along only when it
 * differs from the last one published (a feed that carries an unchanged price costs the marketplace a
 * re-price and us nothing, but makes a failed price slow every stock update).
 */
export function feedItems(
  dirty: readonly string[],
  availability: ReadonlyMap<string, number>,
  prices: ReadonlyMap<string, { amount: number; currency: string }>,
  published: ReadonlyMap<string, { price: number | null }>,
): StockUpdate[] {
  return [...new Set(dirty)].sort().map((sku) => {
    const quantity = Math.max(0, Math.floor(availability.get(sku) ?? 0));
    const price = prices.get(sku);
    const before = published.get(sku)?.price ?? null;
    return price && price.amount !== before ? { sku, quantity, price } : { sku, quantity };
  });
}

/** What an order reported by the marketplace asks of us, given what we already recorded for it. */
export type OrderDecision = { kind: 'import' } | { kind: 'skip'; why: string } | { kind: 'cancel'; why: string };

export function decideOrder(status: MarketplaceOrderStatus, known: MarketplaceOrderStatusRow | null): OrderDecision {
  if (status === 'cancelled') {
    if (known === null) return { kind: 'skip', why: 'cancelled before it was imported' };
    if (known === 'cancelled') return { kind: 'skip', why: 'already cancelled' };
    return { kind: 'cancel', why: 'cancelled on the marketplace' };
  }
  // Amazon: a Pending order is not paid yet and must not be fulfilled; it is reported again when it changes.
  if (status === 'pending') return { kind: 'skip', why: 'not yet payable' };
  if (known === null) {
    // Shipped by someone else (the marketplace's own logistics) before we saw it: not ours to fulfil.
    if (status === 'shipped') return { kind: 'skip', why: 'shipped outside Omnia' };
    return { kind: 'import' };
  }
  // A duplicate report of a known order: one marketplace order is one Omnia order (or one exception).
  return { kind: 'skip', why: `already ${known}` };
}

/** Aggregates an order's lines by SKU (a marketplace may send one SKU on two lines). */
export function linesBySku(order: Pick<MarketplaceOrder, 'lines'>): { sku: string; quantity: number }[] {
  const by = new Map<string, number>();
  for (const l of order.lines) if (l.quantity > 0) by.set(l.sku, (by.get(l.sku) ?? 0) + l.quantity);
  return [...by].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * The marketplace lines a shipment of Omnia units covers: each shipped unit of a SKU is taken from that
 * SKU's marketplace lines in order, never more than a line holds. Units the order does not have are ignored.
 */
export function shipmentLines(
  order: Pick<MarketplaceOrder, 'lines'>,
  shipped: readonly { sku: string; quantity: number }[],
  alreadyConfirmed: ReadonlyMap<string, number> = new Map(),
): { external_line_id: string; quantity: number }[] {
  const left = new Map(
    order.lines.map((l) => [l.external_line_id, l.quantity - (alreadyConfirmed.get(l.external_line_id) ?? 0)]),
  );
  const out = new Map<string, number>();
  for (const s of shipped) {
    let want = s.quantity;
    for (const l of order.lines) {
      if (want <= 0) break;
      if (l.sku !== s.sku) continue;
      const take = Math.min(want, Math.max(0, left.get(l.external_line_id) ?? 0));
      if (take <= 0) continue;
      left.set(l.external_line_id, (left.get(l.external_line_id) ?? 0) - take);
      out.set(l.external_line_id, (out.get(l.external_line_id) ?? 0) + take);
      want -= take;
    }
  }
  return [...out].map(([external_line_id, quantity]) => ({ external_line_id, quantity }));
}

/** Problems that make an order an exception (staff must act); anything else is retried. */
const EXCEPTION_TYPES = new Set([
  'insufficient_stock',
  'validation_failed',
  'not_found',
  'unprocessable',
  'location_not_allowed',
  'payment_provider_not_allowed',
  'payment_declined',
]);

export function isExceptionProblem(type: string | undefined): boolean {
  return type !== undefined && EXCEPTION_TYPES.has(type);
}

/** Wait before the next try of a failed import or call: 30 s doubling to 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, Math.min(attempts - 1, 12)));
}

/** After this many failed tries an outbound call is given up (visible, never silently dropped). */
export const MAX_ACTION_ATTEMPTS = 10;

/**
 * The marketplace's address as Omnia's order address. Amazon gives the street only to sellers with the
 * restricted-data role; without it the order still imports (the parcel label comes from Seller Central),
 * with the street stated as held by the marketplace rather than invented.
 */
export function orderAddress(
  a: MarketplaceAddress | null,
  fallbackCountry: string,
  externalId: string,
): {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  postal_code: string;
  region?: string;
  country: string;
} {
  const out: {
    name?: string;
    line1: string;
    line2?: string;
    city: string;
    postal_code: string;
    region?: string;
    country: string;
  } = {
    line1: a?.line1?.trim() || `held by the marketplace (order ${externalId})`,
    city: a?.city?.trim() || '-',
    postal_code: a?.postal_code?.trim() || '-',
    country: (a?.country?.trim() || fallbackCountry).toUpperCase(),
  };
  if (a?.name) out.name = a.name;
  if (a?.line2) out.line2 = a.line2;
  if (a?.region) out.region = a.region;
  return out;
}

/** The next `since` of the order import: the latest change seen, never moving backwards. */
export function nextSince(current: Date, seen: readonly Date[]): Date {
  let max = current.getTime();
  for (const d of seen) if (d.getTime() > max) max = d.getTime();
  return new Date(max);
}
