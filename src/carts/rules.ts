/** Pure cart rules: merging carts, hand-off codes, telling what changed since the shopper saw prices. */
import type { QuoteView } from './ports.js';

const INT4_MAX = 2_147_483_647;

export interface CartLineState {
  sku: string;
  quantity: number;
}

/**
 * The anonymous cart's lines folded into the account cart's: same SKU adds up. A sum beyond int4
 * is refused (never clamped). Returns the lines to upsert into the account cart.
 */
export function mergeLines(
  account: CartLineState[],
  anonymous: CartLineState[],
): { ok: true; lines: CartLineState[] } | { ok: false; sku: string } {
  const merged = new Map(account.map((l) => [l.sku, l.quantity]));
  for (const l of anonymous) {
    const q = (merged.get(l.sku) ?? 0) + l.quantity;
    if (q > INT4_MAX) return { ok: false, sku: l.sku };
    merged.set(l.sku, q);
  }
  return { ok: true, lines: [...merged].map(([sku, quantity]) => ({ sku, quantity })) };
}

export function mergeCoupons(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** Hand-off codes: 8 characters without look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function handoffCode(randomBytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomBytes[i]! % CODE_ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}
/** Accepts what a person types: lower case, spaces, with or without the dash. */
export function normaliseCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== 8 || [...s].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}
export const qrPayload = (code: string): string => `omnia:cart-handoff:${code}`;

export interface PriceChange {
  sku: string;
  field: 'line' | 'coupon' | 'total';
  before: unknown;
  after: unknown;
}

/**
 * What changed between the quote the shopper last saw and a fresh one: line totals (price or
 * promotion changed), lines added or gone, coupon outcomes. Shipping is not compared: it depends on
 * the delivery chosen at checkout, which the shopper sees then.
 */
export function priceChanges(before: QuoteView | null, after: QuoteView): PriceChange[] {
  if (!before) return [];
  const changes: PriceChange[] = [];
  const old = new Map(before.lines.map((l) => [l.sku, l]));
  for (const l of after.lines) {
    const o = old.get(l.sku);
    if (!o || o.total !== l.total || o.quantity !== l.quantity) {
      changes.push({
        sku: l.sku,
        field: 'line',
        before: o ? { quantity: o.quantity, unit_price: o.unit_price, total: o.total } : null,
        after: { quantity: l.quantity, unit_price: l.unit_price, total: l.total },
      });
    }
    old.delete(l.sku);
  }
  for (const o of old.values())
    changes.push({ sku: o.sku, field: 'line', before: { quantity: o.quantity, total: o.total }, after: null });
  const oldCoupons = new Map(before.coupons.map((c) => [c.code, c.status]));
  for (const c of after.coupons) {
    if (oldCoupons.get(c.code) !== c.status)
      changes.push({
        sku: '',
        field: 'coupon',
        before: oldCoupons.get(c.code) ?? null,
        after: { code: c.code, status: c.status, reason: c.reason },
      });
  }
  return changes;
}

/** Availability of each line for the chosen delivery (a store's own shelf, or what the channel may promise). */
export function lineAvailability(
  quantity: number,
  available: number,
): { status: 'available' | 'short' | 'unavailable'; available: number } {
  return { status: available >= quantity ? 'available' : available > 0 ? 'short' : 'unavailable', available };
}

/**
 * Where checkout reserves the stock: at the till for an in-store sale; at the store when click &
 * collect is ready there now (it holds everything); at the one location a home parcel ships from
 * when the promise named a single source. Otherwise null: the inventory picks, fulfillment sources.
 */
export function reserveLocation(
  delivery: { method: 'home' | 'click_collect' | 'pickup_point' | 'in_store'; location_id: string | null },
  option: { ready?: string | null | undefined; source_location_ids: string[] } | undefined,
): string | null {
  if (delivery.method === 'in_store') return delivery.location_id;
  if (delivery.method === 'click_collect') return option?.ready === 'now' ? delivery.location_id : null;
  return option?.source_location_ids.length === 1 ? option.source_location_ids[0]! : null;
}

/**
 * What checkout does with the provider's answer: authorised → the order proceeds; declined → the
 * order is cancelled, its stock and coupons released and the cart reopened for another attempt;
 * no answer (timeout) → nothing yet: the order waits in payment_pending and the reconciliation job
 * settles it by asking the provider (retrieve by idempotency key).
 */
export type Settlement = 'authorised' | 'declined' | 'unknown';
export function settlementOf(answer: { ok: boolean } | 'timeout' | null): Settlement {
  if (answer === 'timeout') return 'unknown';
  return answer?.ok ? 'authorised' : 'declined';
}
