/**
 * Checkout's first phase, reads only (no transaction, no lock): the cart, its fresh price, the
 * delivery and where to reserve, the payment policy. Whatever it refuses is refused before any
 * order, reservation or payment exists.
 */
import { AppError, problems } from '../platform/http/problems.js';
import type { Channel } from '../network/index.js';
import type { OrderAddress, OrderDelivery } from '../orders/index.js';
import { providerAllowed, type CreditSpend, type CreditTender, type PaymentRequest } from '../payments/index.js';
import type { QuoteView } from './ports.js';
import type * as store from './store.js';
import { priceChanges, reserveLocation, type PriceChange } from './rules.js';
import { PICKUP_POINT_FEE } from './delivery-rules.js';
import { assertCartAccess, quoteOf } from './view.js';
import { checkoutQuote, type CheckoutQuote } from './checkout-quote.js';
import * as cartsStore from './store.js';
import type { CartActor } from './types.js';
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import type {
  CartsCatalogPort,
  CartsCreditPort,
  CartsCustomersPort,
  CartsInventoryPort,
  CartsNetworkPort,
  CartsOrdersPort,
  CartsPaymentsPort,
  CartsPromotionsPort,
} from './ports.js';
import type { CartsService } from './service.js';
import type { DeliveryService } from './delivery.js';

/** What checkout is built from (here, with its first phase, so checkout.ts and this file import one way). */
export interface CheckoutDeps {
  db: Db;
  clock: Clock;
  bus: EventBus;
  network: CartsNetworkPort;
  carts: CartsService;
  delivery: DeliveryService;
  orders: CartsOrdersPort;
  payments: CartsPaymentsPort;
  inventory?: CartsInventoryPort | undefined;
  promotions?: CartsPromotionsPort | undefined;
  catalog?: CartsCatalogPort | undefined;
  customers?: CartsCustomersPort | undefined;
  /** Store credit and gift cards as tenders (issue 16 point 7). */
  credit?: CartsCreditPort | undefined;
  /** Open checkout transactions per process (default 8; composeServices gives half the pool). */
  maxConcurrent?: number | undefined;
}

export interface CheckoutInput {
  delivery: {
    method: 'home' | 'click_collect' | 'pickup_point' | 'in_store';
    location_id?: string | undefined;
    address?: OrderAddress | undefined;
  };
  payment: PaymentRequest;
  /** Store credit or gift cards paying part (or all) of the total; `payment` is asked for the rest. */
  credits?: CreditTender[] | undefined;
  email?: string | undefined;
  /** The total the shopper was shown; a different fresh total is refused with cart_changed. */
  expected_total?: number | undefined;
  /** A gift: no prices on its packing slip, a gift receipt code for the recipient. */
  gift?:
    | { message?: string | undefined; recipient_email?: string | undefined; recipient_name?: string | undefined }
    | undefined;
}

/** Everything the transaction needs, computed before it opens. */
export interface Prepared {
  cart: store.CartRow;
  lines: store.CartLineRow[];
  input: CheckoutInput;
  channel: Channel;
  customerId: string | null;
  q: QuoteView;
  reserveAt: string | null;
  orderDelivery: OrderDelivery;
  email: string | null;
  variants: Map<string, { product_id: string }>;
  /** The credit tenders resolved to accounts (debited in the transaction). */
  credits: CreditSpend[];
}

interface ResolvedDelivery {
  method: CheckoutInput['delivery']['method'];
  location_id: string | null;
  location_name: string | null;
  location_timezone?: string | undefined;
  address: OrderAddress | null;
  shipping: number;
}

/** Phase 1: the cart as it is checked out, or `completed` (answer with its order). */
export async function prepare(
  deps: CheckoutDeps,
  actor: CartActor,
  cartId: string,
  input: CheckoutInput,
): Promise<Prepared | { completed: string }> {
  // The cart, its lines, the pricing version and its price windows in one read (quote reuse, checkout-quote.ts).
  const read = await cartsStore.getCartForPricing(deps.db, cartId, deps.clock.now());
  if (!read) throw problems.notFound('cart', cartId);
  const cart = read.row;
  assertCartAccess(actor, cart);
  if (cart.status === 'completed') return { completed: cart.id };
  if (cart.status === 'merged')
    throw new AppError('conflict', `cart ${cart.id} was merged into ${cart.merged_into}; check that cart out`, {
      merged_into: cart.merged_into,
    });
  if (!deps.promotions) throw new AppError('unavailable', 'pricing is not available: no promotions engine is wired');
  const lines = read.lines;
  if (lines.length === 0)
    throw new AppError('unprocessable', 'the cart is empty', {
      errors: [{ field: 'lines', message: 'add at least one item before checkout' }],
    });
  const customerId = cart.customer_id ?? (actor.kind === 'customer' ? actor.customerId : null);
  // The order belongs to the channel it is placed through (the PC's web shop, the till), priced there.
  const channelId = actor.kind === 'staff' ? cart.channel_id : actor.channelId;
  const channel = await deps.network.requireChannel(channelId);
  // Payment policy before anything is written: a known provider, allowed here, a card that can be right.
  const allowed = providerAllowed(input.payment.provider, {
    channel_type: channel.type,
    delivery_method: input.delivery.method,
    staff: actor.kind === 'staff',
  });
  if (!allowed.ok)
    throw new AppError('payment_provider_not_allowed', allowed.reason, {
      errors: [{ field: 'payment/provider', message: allowed.reason }],
    });
  deps.payments.validate(input.payment);

  // One catalog read serves the parcel weight and the lines' product ids.
  const variants = deps.catalog
    ? await deps.catalog.getVariants(lines.map((l) => l.sku))
    : new Map<string, { product_id: string; weight_g: number }>();
  const weights = new Map([...variants].map(([sku, v]) => [sku, v.weight_g]));
  const delivery = await resolveDelivery(deps, cart, lines, input, actor, weights);
  const [priced, options] = await Promise.all([
    checkoutQuote(
      deps,
      { ...cart, channel_id: channelId, customer_id: customerId },
      lines,
      { method: delivery.method, amount: delivery.shipping },
      channel,
      read,
    ),
    delivery.method === 'in_store'
      ? Promise.resolve([])
      : deps.delivery.options({
          channel_id: channelId,
          currency: cart.currency,
          lines,
          merchandise_total: 0,
          country: delivery.address?.country ?? 'ES',
          weights,
          only: delivery.method,
        }),
  ]);
  const q = priced.quote;
  await refuseIfChanged(deps, cart, q, input.expected_total, priced);
  let credits: CreditSpend[] = [];
  if (input.credits?.length) {
    if (!deps.credit) throw new AppError('unavailable', 'store credit is not available: no credit service is wired');
    credits = await deps.credit.resolve(input.credits, {
      customer_id: customerId,
      currency: q.currency,
      total: q.total,
    });
  }

  const option = options.find(
    (o) =>
      o.method === delivery.method &&
      (o.location_id ?? null) === (delivery.method === 'home' ? null : delivery.location_id),
  );
  const orderDelivery: OrderDelivery = {
    method: delivery.method,
    location_id: delivery.location_id,
    location_name: delivery.location_name,
    address: delivery.address,
    amount: q.shipping.amount - q.shipping.discount,
    promised_date:
      option?.promised_date ?? (delivery.method === 'in_store' ? deps.clock.now().toISOString().slice(0, 10) : null),
    ready_by: option?.ready_by ?? null,
    collect_until: option?.collect_until ?? null,
    location_timezone: option?.ready_by ? delivery.location_timezone : undefined,
    source_location_id: option?.source_location_ids.length === 1 ? option.source_location_ids[0] : null,
  };
  const email =
    input.email ??
    (customerId && deps.customers ? ((await deps.customers.get(customerId).catch(() => null))?.email ?? null) : null);
  return {
    cart,
    lines,
    input,
    channel,
    customerId,
    q,
    reserveAt: reserveLocation(delivery, option),
    orderDelivery,
    email,
    variants,
    credits,
  };
}

/** The cart's prices moved since the shopper saw them: store the new quote, and say what changed. */
async function refuseIfChanged(
  deps: CheckoutDeps,
  cart: store.CartRow,
  fresh: QuoteView,
  expectedTotal: number | undefined,
  priced: CheckoutQuote,
): Promise<void> {
  const changes: PriceChange[] = priceChanges(quoteOf(cart), fresh);
  if (expectedTotal !== undefined && expectedTotal !== fresh.total)
    changes.push({ sku: '', field: 'total', before: expectedTotal, after: fresh.total });
  if (changes.length === 0) return;
  // A fresh quote is stored with its basis, so the shopper's next attempt may reuse it; a reused one
  // is the stored quote already (and its basis stays).
  if (priced.repriced !== null)
    await cartsStore.setPriced(deps.db, cart.id, cart.version, JSON.stringify(fresh), priced.basis);
  throw new AppError(
    'cart_changed',
    'prices or promotions changed since the cart was priced; the cart shows the new prices',
    {
      changes,
      total: { amount: fresh.total, currency: fresh.currency },
    },
  );
}

async function resolveDelivery(
  deps: CheckoutDeps,
  cart: store.CartRow,
  lines: { sku: string; quantity: number }[],
  input: CheckoutInput,
  actor: CartActor,
  weights: Map<string, number>,
): Promise<ResolvedDelivery> {
  const d = input.delivery;
  const { network } = deps;
  if (d.method === 'home') {
    if (!d.address) throw problems.field('delivery/address', 'home delivery needs an address');
    return {
      method: 'home',
      location_id: null,
      location_name: null,
      address: d.address,
      shipping: await deps.delivery.homePrice(lines, d.address.country, weights),
    };
  }
  const ref =
    d.location_id ??
    (d.method === 'in_store' ? (cart.location_id ?? (actor.kind === 'customer' ? null : actor.locationId)) : null);
  if (!ref) throw problems.field('delivery/location_id', `${d.method} needs a location`);
  const loc = await network.location(ref);
  if (!loc || !loc.active) throw problems.field('delivery/location_id', `location ${ref} does not exist`);
  const refuse = (why: string) =>
    new AppError('unprocessable', why, { errors: [{ field: 'delivery/location_id', message: why }] });
  if (d.method === 'click_collect' && (loc.type !== 'store' || !loc.capabilities.includes('pickup')))
    throw refuse(`${loc.code} does not offer click & collect (no pickup capability)`);
  if (d.method === 'pickup_point' && (loc.type !== 'pickup_point' || !loc.capabilities.includes('pickup')))
    throw refuse(`${loc.code} is not a pickup point`);
  if (d.method === 'in_store' && loc.type !== 'store') throw refuse(`${loc.code} is not a store`);
  return {
    method: d.method,
    location_id: loc.id,
    location_name: loc.name,
    location_timezone: loc.timezone,
    address: d.address ?? null,
    shipping: d.method === 'pickup_point' ? PICKUP_POINT_FEE : 0,
  };
}
