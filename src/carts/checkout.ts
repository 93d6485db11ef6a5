import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Channel, NetworkService } from '../network/index.js';
import type { Order, OrderAddress, OrderDelivery, OrdersService } from '../orders/index.js';
import type { PaymentRequest, PaymentsService } from '../payments/index.js';
import type {
  CartsCatalogPort,
  CartsCustomersPort,
  CartsInventoryPort,
  CartsPromotionsPort,
  QuoteView,
} from './ports.js';
import type { CartsService } from './service.js';
import type { DeliveryService } from './delivery.js';
import * as store from './store.js';
import { priceChanges, type PriceChange } from './rules.js';
import { PICKUP_POINT_FEE } from './delivery-rules.js';
import { assertCartAccess, quoteOf } from './view.js';
import type { CartActor } from './types.js';

/**
 * An order's reservation lives until fulfillment confirms (ships) or cancellation releases it. The
 * inventory caps a TTL at 30 days, so that is the longest an order can wait for fulfillment.
 */
const RESERVATION_TTL_S = 30 * 24 * 3600;

export interface CheckoutInput {
  delivery: {
    method: 'home' | 'click_collect' | 'pickup_point' | 'in_store';
    location_id?: string | undefined;
    address?: OrderAddress | undefined;
  };
  payment: PaymentRequest;
  email?: string | undefined;
  /** The total the shopper was shown; a different fresh total is refused with cart_changed. */
  expected_total?: number | undefined;
}

/**
 * Admission control: at most this many checkout transactions at once per process. Each holds a
 * pooled connection and stock row locks, and the services it calls may read through the pool
 * (a cache refresh); with every connection held by a checkout waiting on another's locks, that
 * read waits for ever. Measured on the 64-client bench with a pool of 32: unbounded, the run
 * stalled on exactly that; bounded, the rest of the pool stays free for those reads.
 */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export interface CheckoutDeps {
  db: Db;
  clock: Clock;
  bus: EventBus;
  network: NetworkService;
  carts: CartsService;
  delivery: DeliveryService;
  orders: OrdersService;
  payments: PaymentsService;
  inventory?: CartsInventoryPort | undefined;
  promotions?: CartsPromotionsPort | undefined;
  catalog?: CartsCatalogPort | undefined;
  customers?: CartsCustomersPort | undefined;
  /** Concurrent checkout transactions per process (default 8; keep it under half the pool). */
  maxConcurrent?: number | undefined;
}

interface ResolvedDelivery {
  method: CheckoutInput['delivery']['method'];
  location_id: string | null;
  location_name: string | null;
  address: OrderAddress | null;
  shipping: number;
  /** Reserve at this location (the till, or a click & collect store holding everything). */
  reserve_at: string | null;
}

/**
 * Checkout as one workflow: validate and price outside the transaction (reads only), then in ONE
 * transaction lock the cart, reserve the stock, redeem the coupons, authorise the payment and write
 * the order. Any failure rolls all of it back; a payment authorised before a later failure is
 * voided. Idempotent on the cart: a completed cart answers with its order (Medusa's rule), and the
 * HTTP layer adds Idempotency-Key replay on top.
 */
export class CheckoutService {
  private readonly gate: Gate;
  constructor(private readonly deps: CheckoutDeps) {
    this.gate = new Gate(deps.maxConcurrent ?? 8);
  }

  async checkout(actor: CartActor, cartId: string, input: CheckoutInput): Promise<{ order: Order; replayed: boolean }> {
    const { deps } = this;
    const cart = await deps.carts.load(cartId);
    assertCartAccess(actor, cart);
    if (cart.status === 'completed') return this.replay(cart.id);
    if (cart.status === 'merged')
      throw new AppError('conflict', `cart ${cart.id} was merged into ${cart.merged_into}; check that cart out`, {
        merged_into: cart.merged_into,
      });
    if (!deps.promotions) throw new AppError('unavailable', 'pricing is not available: no promotions engine is wired');
    const lines = await store.linesOf(deps.db, cart.id);
    if (lines.length === 0)
      throw new AppError('unprocessable', 'the cart is empty', {
        errors: [{ field: 'lines', message: 'add at least one item before checkout' }],
      });
    const customerId = cart.customer_id ?? (actor.kind === 'customer' ? actor.customerId : null);
    // The order belongs to the channel it is placed through (the PC's web shop, the till), priced there.
    const channelId = actor.kind === 'staff' ? cart.channel_id : actor.channelId;

    // One catalog read serves the parcel weight and the lines' product ids.
    const variants = deps.catalog
      ? await deps.catalog.getVariants(lines.map((l) => l.sku))
      : new Map<string, { product_id: string; weight_g: number }>();
    const weights = new Map([...variants].map(([sku, v]) => [sku, v.weight_g]));
    const delivery = await this.resolveDelivery(cart, lines, input, actor, weights);
    const [quote, options] = await Promise.all([
      deps.carts.quote({ ...cart, channel_id: channelId, customer_id: customerId }, lines, undefined, {
        method: delivery.method,
        amount: delivery.shipping,
      }),
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
    const q = quote as QuoteView;
    await this.refuseIfChanged(cart, q, input.expected_total);

    const option = options.find(
      (o) =>
        o.method === delivery.method &&
        (o.location_id ?? null) === (delivery.method === 'home' ? null : delivery.location_id),
    );
    // Reserve where the promise was made: the till, the store holding everything, or the one location
    // a home parcel ships from. Otherwise the inventory picks (and fulfillment sources later).
    const single = option?.source_location_ids.length === 1 ? option.source_location_ids[0]! : null;
    const reserveAt =
      delivery.reserve_at ??
      (delivery.method === 'click_collect' ? (option?.ready === 'now' ? delivery.location_id : null) : single);
    const orderDelivery: OrderDelivery = {
      method: delivery.method,
      location_id: delivery.location_id,
      location_name: delivery.location_name,
      address: delivery.address,
      amount: q.shipping.amount - q.shipping.discount,
      promised_date:
        option?.promised_date ?? (delivery.method === 'in_store' ? deps.clock.now().toISOString().slice(0, 10) : null),
      source_location_id: option?.source_location_ids.length === 1 ? option.source_location_ids[0] : null,
    };
    const email =
      input.email ??
      (customerId && deps.customers ? ((await deps.customers.get(customerId).catch(() => null))?.email ?? null) : null);
    const channel = await deps.network.requireChannel(channelId);

    return this.gate.run(() =>
      this.commit(cart, lines, input, { channel, customerId, q, reserveAt, orderDelivery, email, variants }),
    );
  }

  /** The one transaction: lock the cart, reserve, redeem, authorise, write the order. */
  private async commit(
    cart: store.CartRow,
    lines: store.CartLineRow[],
    input: CheckoutInput,
    c: {
      channel: Channel;
      customerId: string | null;
      q: QuoteView;
      reserveAt: string | null;
      orderDelivery: OrderDelivery;
      email: string | null;
      variants: Map<string, { product_id: string }>;
    },
  ): Promise<{ order: Order; replayed: boolean }> {
    const { deps } = this;
    const { channel, customerId, q, reserveAt, orderDelivery, email, variants } = c;
    const channelId = channel.id;
    const orderId = newId('ord', deps.clock.now().getTime());
    let authorised: { provider: string; ref: string } | null = null;
    try {
      const out = await inTx(deps.db, undefined, async (trx) => {
        const locked = await deps.carts.load(cart.id, trx, true);
        if (locked.status === 'completed') return { replayOf: locked.order_id };
        if (locked.version !== cart.version)
          throw new AppError('cart_changed', 'the cart changed while checking out; review it and try again', {
            changes: [],
          });
        const reservation = deps.inventory
          ? await deps.inventory.reserve(
              {
                channel: channelId,
                lines: lines.map((l) => ({
                  sku: l.sku,
                  quantity: l.quantity,
                  ...(reserveAt ? { location_id: reserveAt } : {}),
                })),
                ttl_seconds: RESERVATION_TTL_S,
                reference: orderId,
                ...(customerId ? { customer_id: customerId } : {}),
              },
              { trx },
            )
          : null;
        const coupons = q.coupons.filter((c) => c.status === 'applied').map((c) => c.code);
        if (coupons.length)
          await deps.promotions!.redeem({ order_id: orderId, customer_id: customerId, coupons }, { trx });
        const payment = await deps.payments.authorise(
          { order_id: orderId, amount: q.total, currency: q.currency, request: input.payment },
          { trx },
        );
        authorised = { provider: payment.provider, ref: payment.provider_ref ?? '' };
        const lineIds = new Map(lines.map((l) => [l.sku, l.id]));
        const order = await deps.orders.place(
          {
            id: orderId,
            channel_id: channel.id,
            channel_type: channel.type,
            customer_id: customerId,
            cart_id: cart.id,
            location_id: locked.location_id,
            email,
            currency: q.currency,
            subtotal: q.subtotal,
            discount_total: q.discount_total,
            shipping_amount: q.shipping.amount,
            shipping_discount: q.shipping.discount,
            tax_total: q.tax_total,
            total: q.total,
            tax_breakdown: q.tax_breakdown,
            coupons,
            delivery: orderDelivery,
            reservation_id: reservation?.id ?? null,
            payment_id: payment.id,
            payment,
            lines: q.lines.map((l) => ({
              line_id: lineIds.get(l.sku) ?? l.line_id,
              sku: l.sku,
              product_id: variants.get(l.sku)?.product_id ?? null,
              quantity: l.quantity,
              unit_price: l.unit_price,
              discount: l.discount,
              total: l.total,
              tax_rate: l.tax_rate,
              tax_amount: l.tax_amount,
              applied: l.applied,
              location_id: reservation?.lines.find((r) => r.sku === l.sku)?.location_id ?? null,
            })),
          },
          { trx },
        );
        await store.updateCart(trx, cart.id, {
          status: 'completed',
          order_id: orderId,
          customer_id: customerId,
          updated_at: deps.clock.now(),
        });
        return { order };
      });
      if ('replayOf' in out) return this.replay(cart.id);
      deps.bus.nudge();
      return { order: out.order, replayed: false };
    } catch (err) {
      // The transaction rolled back after the provider said yes: release the hold on the shopper's money.
      const held = authorised as { provider: string; ref: string } | null;
      if (held) await deps.payments.voidAtProvider(held.provider, held.ref).catch(() => undefined);
      if (err instanceof AppError && err.type === 'payment_declined') {
        await deps.payments
          .recordDecline({
            order_id: orderId,
            amount: q.total,
            currency: q.currency,
            provider: input.payment.provider,
            reason: String(err.extras.reason ?? 'declined'),
          })
          .catch(() => undefined);
      }
      throw err;
    }
  }

  private async replay(cartId: string): Promise<{ order: Order; replayed: boolean }> {
    const order = await this.deps.orders.findByCart(cartId);
    if (!order) throw new AppError('conflict', `cart ${cartId} is completed but has no order`);
    return { order, replayed: true };
  }

  /** The cart's prices moved since the shopper saw them: store the new quote, and say what changed. */
  private async refuseIfChanged(
    cart: store.CartRow,
    fresh: QuoteView,
    expectedTotal: number | undefined,
  ): Promise<void> {
    const changes: PriceChange[] = priceChanges(quoteOf(cart), fresh);
    if (expectedTotal !== undefined && expectedTotal !== fresh.total)
      changes.push({ sku: '', field: 'total', before: expectedTotal, after: fresh.total });
    if (changes.length === 0) return;
    await store.setPriced(this.deps.db, cart.id, cart.version, JSON.stringify(fresh));
    throw new AppError(
      'cart_changed',
      'prices or promotions changed since the cart was priced; the cart shows the new prices',
      {
        changes,
        total: { amount: fresh.total, currency: fresh.currency },
      },
    );
  }

  private async resolveDelivery(
    cart: store.CartRow,
    lines: { sku: string; quantity: number }[],
    input: CheckoutInput,
    actor: CartActor,
    weights: Map<string, number>,
  ): Promise<ResolvedDelivery> {
    const d = input.delivery;
    const { network } = this.deps;
    if (d.method === 'home') {
      if (!d.address) throw problems.field('delivery/address', 'home delivery needs an address');
      return {
        method: 'home',
        location_id: null,
        location_name: null,
        address: d.address,
        shipping: await this.deps.delivery.homePrice(lines, d.address.country, weights),
        reserve_at: null,
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
      address: d.address ?? null,
      shipping: d.method === 'pickup_point' ? PICKUP_POINT_FEE : 0,
      reserve_at: d.method === 'in_store' ? loc.id : null,
    };
  }
}
