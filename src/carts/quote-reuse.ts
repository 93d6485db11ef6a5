/**
 * Quote reuse at checkout (issue 17 point 2): the cart's stored quote stands in for a fresh one when
 * nothing it was made from changed — a version check, not a recomputation. Pure: the caller reads the
 * versions and the clock.
 *
 * What a quote is made from, and how each is checked:
 * - the cart's lines and coupons: the cart version (every cart change moves it);
 * - the price book, variant and product facts, promotions: the pricing version (migration 9800, a
 *   counter moved by a statement trigger in every writing transaction), twice — as read by the database
 *   when the quote's catalog reads ran (`db_version`, read just before them), and as the promotion
 *   snapshot the quote used was loaded with (`snapshot_version`, read in that statement). The snapshot
 *   is per process and up to 2 s stale: a checkout reuses only when its own process's snapshot has the
 *   version the quote used, so it answers what its own fresh quote would, stale or not;
 * - time: sale windows and promotion starts/ends — `valid_until`, the first boundary after the
 *   quote's moment (of the cart's SKUs' price entries, of every active promotion);
 * - channel, currency, store (location), VAT country: compared as they are now;
 * - shipping: the method and amount the quote was priced with. A quote priced without shipping (the
 *   cart's own, after each change) serves a free delivery (click & collect, in store), and a charged
 *   one that a free-shipping promotion waives (withShipping below; compared with fresh quotes in
 *   test/checkout/quote-reuse.int.test.ts).
 *
 * Not reused, always re-priced:
 * - carts with a customer. Their quote depends on the customer's facts (RFM segment, churn level,
 *   channel mix, consents, first order), which move with orders, consents and time (recency) and on
 *   the customer still existing (an erased customer's quote is refused); no version sees all of that,
 *   and a key made of the facts would cost the read that reuse saves;
 * - carts with coupons. A coupon's verdict depends on its redemption count (its limit), which every
 *   order using it moves; a trigger on coupons would make the counter row a lock every such checkout
 *   waits on.
 */
import type { QuoteRequest, QuoteView } from './ports.js';

/** What the promotions engine is asked for a cart: its own quote, or checkout's with shipping. */
export function quoteRequest(
  row: {
    channel_id: string;
    currency: string;
    customer_id: string | null;
    location_id: string | null;
    coupons: string[];
  },
  lines: readonly { id: string; sku: string; quantity: number }[],
  shipping?: QuoteShipping,
): QuoteRequest {
  return {
    channel: row.channel_id,
    currency: row.currency,
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, line_id: l.id })),
    ...(row.customer_id ? { customer_id: row.customer_id } : {}),
    ...(row.location_id ? { location_id: row.location_id } : {}),
    ...(row.coupons.length ? { coupons: row.coupons } : {}),
    ...(shipping ? { shipping } : {}),
  };
}

/** Bumped when the engine or this key changes meaning: a quote stored by older code is not reused. */
export const BASIS_FORMAT = 1;

/**
 * The longest a stored quote is reused, whatever the versions say: what lives in code rather than in
 * a versioned table (the VAT table, rounding, the engine's rules) changes with a deploy, and a deploy
 * that forgets to raise BASIS_FORMAT must not price a cart with the old rules for longer than this.
 */
export const MAX_QUOTE_AGE_MS = 15 * 60_000;

export interface QuoteShipping {
  method: string;
  amount: number;
}

/** The inputs that a reuse compares, as they were for the stored quote or are for the checkout. */
export interface PricingInputs {
  cart_version: number;
  /** The pricing version the database showed (read before the quote's catalog reads). */
  db_version: string;
  /** The pricing version of the promotion snapshot (the one used, or the one a quote now would use). */
  snapshot_version: string;
  channel_id: string;
  currency: string;
  location_id: string | null;
  country: string;
  customer_id: string | null;
  coupons: readonly string[];
  shipping: QuoteShipping | null;
}

/** Stored beside the cart's quote (carts.priced_basis), written in the same statement. */
export interface QuoteBasis extends PricingInputs {
  format: number;
  /** ISO instant from which the quote no longer holds (a price window or promotion boundary), or null. */
  valid_until: string | null;
}

/** What a cart row contributes to its quote's inputs. */
interface CartFacts {
  version: number;
  channel_id: string;
  currency: string;
  location_id: string | null;
  customer_id: string | null;
  coupons: readonly string[];
}

/** A cart's quote inputs: the row's own facts with what the caller read (versions, country, shipping). */
export function inputsOf<V extends string | null, S extends QuoteShipping | null>(
  cart: CartFacts,
  read: { db_version: string; snapshot_version: V; country: string; shipping: S },
): Omit<PricingInputs, 'snapshot_version' | 'shipping'> & { snapshot_version: V; shipping: S } {
  return {
    cart_version: cart.version,
    db_version: read.db_version,
    snapshot_version: read.snapshot_version,
    channel_id: cart.channel_id,
    currency: cart.currency,
    location_id: cart.location_id,
    country: read.country,
    customer_id: cart.customer_id,
    coupons: cart.coupons,
    shipping: read.shipping,
  };
}

/** The basis of a quote made at `at`, or null when something it depends on has no version (never reused). */
export function basisOf(
  inputs: Omit<PricingInputs, 'snapshot_version'> & { snapshot_version: string | null },
  /** `pricedAt`: when the quote was made; it holds MAX_QUOTE_AGE_MS at most. */
  bounds: { prices: Date | null; promotionsMs: number | null; pricedAt?: Date | undefined },
): QuoteBasis | null {
  if (inputs.snapshot_version === null || inputs.snapshot_version === '' || inputs.db_version === '') return null;
  const until = [
    bounds.prices?.getTime() ?? null,
    bounds.promotionsMs,
    bounds.pricedAt ? bounds.pricedAt.getTime() + MAX_QUOTE_AGE_MS : null,
  ].filter((t): t is number => t !== null);
  return {
    format: BASIS_FORMAT,
    ...inputs,
    snapshot_version: inputs.snapshot_version,
    coupons: [...inputs.coupons],
    valid_until: until.length ? new Date(Math.min(...until)).toISOString() : null,
  };
}

export type ReuseVerdict = { quote: QuoteView } | { reason: string };

/**
 * The quote checkout may use instead of pricing again, or why not. `stored`/`basis` are the cart
 * row's; `now` the checkout's inputs as they are at `at`.
 */
export function reuseVerdict(
  stored: QuoteView | null,
  basis: QuoteBasis | null,
  now: PricingInputs & { shipping: QuoteShipping },
  at: Date,
): ReuseVerdict {
  if (!stored || !basis) return { reason: 'no stored quote with its basis' };
  if (basis.format !== BASIS_FORMAT) return { reason: 'stored by another format' };
  if (now.customer_id !== null || basis.customer_id !== null) return { reason: 'a customer (facts without version)' };
  if (now.coupons.length || basis.coupons.length) return { reason: 'coupons (redemption counts without version)' };
  if (basis.cart_version !== now.cart_version) return { reason: 'the cart changed' };
  if (basis.db_version !== now.db_version) return { reason: 'prices, catalog or promotions changed' };
  if (basis.snapshot_version !== now.snapshot_version) return { reason: 'another promotion snapshot' };
  if (
    basis.channel_id !== now.channel_id ||
    basis.currency !== now.currency ||
    basis.location_id !== now.location_id ||
    basis.country !== now.country
  )
    return { reason: 'another channel, currency, store or country' };
  if (basis.valid_until !== null && at.getTime() >= Date.parse(basis.valid_until))
    return { reason: 'a price window or promotion boundary passed' };
  const s = basis.shipping;
  if (s && s.method === now.shipping.method && s.amount === now.shipping.amount) return { quote: stored };
  if (s === null && stored.shipping.amount === 0) return withShipping(stored, now.shipping);
  return { reason: 'another shipping' };
}

/**
 * The cart's own quote (priced without shipping) as the engine would price it with `shipping`, where
 * that follows from the engine's rules alone (src/promotions/engine.ts, shippingPromotion and vatOf):
 * the engine reads the shipping amount in one place, the free-shipping promotion, which waives all of
 * it whatever it is (its threshold is judged on the lines), and the VAT of what is left of it.
 * - a free method (amount 0): the same quote, named by the method;
 * - a charged method when a free-shipping promotion applied: charged and waived, so the discount
 *   total grows by the amount, the total and the VAT (nothing left to tax) do not move;
 * - a charged method otherwise: its VAT shares out with the lines' — priced again.
 */
function withShipping(stored: QuoteView, shipping: QuoteShipping): ReuseVerdict {
  if (shipping.amount === 0) return { quote: { ...stored, shipping: { ...stored.shipping, method: shipping.method } } };
  if (stored.shipping.free_shipping_reason === undefined) return { reason: 'another shipping' };
  return {
    quote: {
      ...stored,
      shipping: { ...stored.shipping, method: shipping.method, amount: shipping.amount, discount: shipping.amount },
      discount_total: stored.discount_total + shipping.amount,
    },
  };
}
