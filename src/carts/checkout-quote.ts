/**
 * Checkout's quote (its first phase, checkout-prepare.ts): the cart's stored quote when nothing it was
 * made from changed (quote-reuse.ts decides), else a fresh one, with the basis to store beside it if
 * checkout refuses with cart_changed (so the shopper's next attempt can reuse it).
 */
import type { Channel } from '../network/index.js';
import type { Clock } from '../platform/clock.js';
import type { CartsNetworkPort, CartsPromotionsPort, QuoteView } from './ports.js';
import type * as store from './store.js';
import { quoteOf } from './view.js';
import { basisOf, inputsOf, quoteRequest, reuseVerdict, type QuoteBasis, type QuoteShipping } from './quote-reuse.js';
import type { CartsService } from './service.js';

/** What the quote needs of checkout's dependencies (CheckoutDeps has them all). */
export interface CheckoutQuoteDeps {
  clock: Clock;
  network: CartsNetworkPort;
  carts: CartsService;
  promotions?: CartsPromotionsPort | undefined;
}

export interface CheckoutQuote {
  quote: QuoteView;
  /** Why the stored quote was not used (null: it was). */
  repriced: string | null;
  /** The fresh quote's basis as stored JSON, or null (reused, or not describable). */
  basis: string | null;
}

/** The cart as it is priced at checkout: the checkout's channel and customer, the cart's lines and coupons. */
type PricedCart = store.CartRow & { channel_id: string; customer_id: string | null };

export async function checkoutQuote(
  deps: CheckoutQuoteDeps,
  cart: PricedCart,
  lines: store.CartLineRow[],
  shipping: QuoteShipping,
  channel: Channel,
  read: { pricingVersion: string; pricesValidUntil: Date | null },
): Promise<CheckoutQuote> {
  const promotions = deps.promotions!;
  const at = deps.clock.now();
  const country = await countryOf(deps, cart, channel);
  let repriced = 'no versioned pricing wired';
  if (promotions.pricingState && country !== null) {
    const state = await promotions.pricingState(at);
    const verdict = reuseVerdict(
      quoteOf(cart),
      basisOfRow(cart),
      inputsOf(cart, {
        db_version: read.pricingVersion,
        snapshot_version: state.snapshot_version ?? '',
        country,
        shipping,
      }),
      at,
    );
    if ('quote' in verdict) return { quote: verdict.quote, repriced: null, basis: null };
    repriced = verdict.reason;
  }
  if (!promotions.quoteWithBasis) {
    const quote = (await deps.carts.quote(cart, lines, undefined, shipping)) as QuoteView;
    return { quote, repriced, basis: null };
  }
  const { quote, basis } = await promotions.quoteWithBasis(quoteRequest(cart, lines, shipping), { at });
  const b = basisOf(
    inputsOf(cart, {
      db_version: read.pricingVersion,
      snapshot_version: basis.snapshot_version,
      country: basis.country,
      shipping,
    }),
    { prices: read.pricesValidUntil, promotionsMs: basis.valid_until_ms, pricedAt: at },
  );
  return { quote, repriced, basis: b ? JSON.stringify(b) : null };
}

const basisOfRow = (row: store.CartRow): QuoteBasis | null =>
  row.priced_basis == null
    ? null
    : ((typeof row.priced_basis === 'string' ? JSON.parse(row.priced_basis) : row.priced_basis) as QuoteBasis);

/** The VAT country a quote made now would use (the store's, else the channel's); null: unknown store. */
async function countryOf(deps: CheckoutQuoteDeps, cart: PricedCart, channel: Channel): Promise<string | null> {
  if (!cart.location_id) return channel.country;
  const loc = await deps.network.location(cart.location_id);
  return loc ? loc.address.country : null;
}
