import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import { newId } from '../platform/ids.js';
import { readableCode } from '../platform/codes.js';
import { inTx } from '../platform/db/tx.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Payment, PaymentOperation } from '../payments/index.js';
import * as store from './store.js';
import {
  cancellable,
  decide,
  decidesOnLines,
  lineCancelAmounts,
  type OrderCommand,
  type OrderState,
  type OrderStatus,
} from './rules.js';
import type { Order, OrderDelivery, OrderLine, OrderWithoutPayment, PlaceOrderInput } from './types.js';
import type { OrdersFulfillmentPort, OrdersInventoryPort, OrdersPaymentsPort } from './ports.js';

type Opts = { trx?: Executor | undefined };
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function toLine(r: store.OrderLineRow): OrderLine {
  return {
    line_id: r.id,
    sku: r.sku,
    product_id: r.product_id,
    quantity: r.quantity,
    fulfilled_quantity: r.fulfilled_quantity,
    cancelled_quantity: r.cancelled_quantity ?? 0,
    unit_price: Number(r.unit_price),
    discount: Number(r.discount),
    total: Number(r.total),
    tax_rate: Number(r.tax_rate),
    tax_amount: Number(r.tax_amount),
    applied: json<unknown[]>(r.applied),
    location_id: r.location_id,
  };
}
/** The row of a line `place` returned (the inverse of toLine), for a caller that passes the lines it has. */
function lineRow(orderId: string, position: number, l: OrderLine): store.OrderLineRow {
  return {
    id: l.line_id,
    order_id: orderId,
    position,
    sku: l.sku,
    product_id: l.product_id,
    quantity: l.quantity,
    fulfilled_quantity: l.fulfilled_quantity,
    cancelled_quantity: l.cancelled_quantity,
    unit_price: l.unit_price,
    discount: l.discount,
    total: l.total,
    tax_rate: l.tax_rate,
    tax_amount: l.tax_amount,
    applied: l.applied,
    location_id: l.location_id,
  };
}
function toOrder(r: store.OrderRow, lines: store.OrderLineRow[], payment: Payment | null): Order {
  const m = (amount: string | number) => ({ amount: Number(amount), currency: r.currency });
  return {
    id: r.id,
    status: r.status as OrderStatus,
    hold_reason: r.hold_reason,
    channel_id: r.channel_id,
    channel_type: r.channel_type,
    customer_id: r.customer_id,
    cart_id: r.cart_id,
    location_id: r.location_id,
    email: r.email,
    currency: r.currency,
    subtotal: m(r.subtotal),
    discount_total: m(r.discount_total),
    shipping: { amount: Number(r.shipping_amount), discount: Number(r.shipping_discount), currency: r.currency },
    tax_total: m(r.tax_total),
    total: m(r.total),
    tax_breakdown: json<unknown[]>(r.tax_breakdown),
    coupons: json<string[]>(r.coupons),
    delivery: json<OrderDelivery>(r.delivery),
    reservation_id: r.reservation_id,
    payment,
    lines: lines.map(toLine),
    gift: r.gift ?? false,
    gift_message: r.gift_message ?? null,
    gift_receipt_code: r.gift_receipt_code ?? null,
    gift_recipient:
      r.gift_recipient_email || r.gift_recipient_name
        ? { email: r.gift_recipient_email ?? null, name: r.gift_recipient_name ?? null }
        : null,
    placed_at: r.placed_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export interface OrderFilter {
  customer_id?: string | undefined;
  channel_id?: string | undefined;
  /** A store's orders (a store associate's list). */
  location_id?: string | undefined;
  status?: OrderStatus | undefined;
  /** Orders placed at this store or collected there (a console filter, unlike the scope's `location_id`). */
  at_location_id?: string | undefined;
  placed_from?: Date | undefined;
  placed_to?: Date | undefined;
  after?: string | undefined;
  limit?: number | undefined;
}

/** The counter's search; the scope filters (channel, store, customer) come from the policy. */
export interface OrderSearchFilter {
  id?: string | undefined;
  email?: string | undefined;
  /** All profile rows of one person (found by phone or e-mail). */
  customer_ids?: readonly string[] | undefined;
  customer_id?: string | undefined;
  channel_id?: string | undefined;
  location_id?: string | undefined;
  status?: OrderStatus | undefined;
  before?: string | undefined;
  limit?: number | undefined;
}

/**
 * Orders from every channel, and their lifecycle. All status changes go through `apply`, which asks
 * the one transition table (`rules.decide`) and writes the change, its history row and its events
 * in the caller's transaction.
 */
export class OrdersService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly payments: OrdersPaymentsPort,
    private readonly inventory: OrdersInventoryPort | undefined,
  ) {}

  private fulfillment: OrdersFulfillmentPort | undefined;
  /** Fulfillment is built after orders (it needs them): bound here by composeServices. */
  setFulfillment(port: OrdersFulfillmentPort): void {
    this.fulfillment = port;
  }

  /**
   * Creates an order. Status `placed` emits `order.placed` at once (imports); `payment_pending`
   * (checkout) waits for `paymentAuthorised`, so fulfillment and notifications never start on an
   * unpaid order.
   */
  async place(input: PlaceOrderInput, opts: Opts = {}): Promise<Order> {
    const now = this.clock.now();
    const id = input.id ?? newId('ord', now.getTime());
    const status = input.status ?? 'placed';
    const row = {
      id,
      channel_id: input.channel_id,
      channel_type: input.channel_type,
      customer_id: input.customer_id,
      cart_id: input.cart_id,
      location_id: input.location_id,
      status,
      hold_reason: null,
      currency: input.currency,
      subtotal: input.subtotal,
      discount_total: input.discount_total,
      shipping_amount: input.shipping_amount,
      shipping_discount: input.shipping_discount,
      tax_total: input.tax_total,
      total: input.total,
      tax_breakdown: JSON.stringify(input.tax_breakdown),
      coupons: JSON.stringify(input.coupons),
      delivery: JSON.stringify(input.delivery),
      email: input.email,
      reservation_id: input.reservation_id,
      payment_id: input.payment_id,
      placed_at: now,
      updated_at: now,
      anonymised_at: null,
      cancelled_amount: 0,
      gift: input.gift !== undefined,
      gift_message: input.gift?.message ?? null,
      gift_receipt_code: input.gift ? readableCode('GR') : null,
      gift_recipient_email: input.gift?.recipient_email ?? null,
      gift_recipient_name: input.gift?.recipient_name ?? null,
    };
    const lines = input.lines.map((l, position) => ({
      id: l.line_id,
      order_id: id,
      position,
      sku: l.sku,
      product_id: l.product_id,
      quantity: l.quantity,
      unit_price: l.unit_price,
      discount: l.discount,
      total: l.total,
      tax_rate: l.tax_rate,
      tax_amount: l.tax_amount,
      applied: JSON.stringify(l.applied),
      location_id: l.location_id,
      fulfilled_quantity: 0,
      cancelled_quantity: 0,
    }));
    await inTx(this.db, opts.trx, async (trx) => {
      await store.insertOrder(trx, row, lines);
      await store.appendHistory(trx, {
        order_id: id,
        from_status: null,
        to_status: status,
        hold_reason: null,
        note: null,
        at: now,
      });
      const changed: DomainEvent = {
        type: 'order.status_changed',
        aggregateId: id,
        payload: { order_id: id, from: null, to: status, hold_reason: null },
      };
      await emit(trx, status === 'placed' ? [placedEvent(row, lines, now), changed] : [changed], now);
    });
    // Built from what was written rather than read back: checkout holds stock locks until commit.
    const payment =
      input.payment ??
      (input.payment_id ? await this.payments.get(input.payment_id, { trx: opts.trx ?? this.db }) : null);
    return toOrder(
      { ...row, tax_breakdown: input.tax_breakdown, coupons: input.coupons, delivery: input.delivery },
      lines,
      payment,
    );
  }

  /**
   * payment_pending → placed, with `order.placed`: the payment is authorised (checkout's second
   * transaction). Returns the placed order, built from the rows it locked (no read back), or null
   * when the order is no longer waiting for its payment (cancelled meanwhile): nothing is written.
   */
  async paymentAuthorised(
    id: string,
    opts: Opts & {
      payment?: Payment | undefined;
      /**
       * The lines `place` returned for this order (checkout has them): not read again. They are the
       * order's lines while it waits for its payment, since `payment_pending` admits no line command
       * (rules.ts TRANSITIONS; a unit test holds that).
       */
      lines?: readonly OrderLine[] | undefined;
    } = {},
  ): Promise<Order | null> {
    return this.run(opts, async (trx) => {
      const row = await store.getOrder(trx, id, true);
      if (!row) throw problems.notFound('order', id);
      if (row.status !== 'payment_pending') return null;
      const lines = opts.lines ? opts.lines.map((l, i) => lineRow(id, i, l)) : await store.linesOf(trx, [id]);
      const now = this.clock.now();
      const { next } = await this.apply(trx, id, { type: 'authorise' }, [placedEvent(row, lines, now)], { row, lines });
      const payment = opts.payment ?? (row.payment_id ? await this.payments.get(row.payment_id, { trx }) : null);
      return toOrder({ ...row, status: next.status, hold_reason: next.hold_reason, updated_at: now }, lines, payment);
    });
  }

  /**
   * payment_pending → cancelled: the payment was declined or never answered. Releases the stock
   * reserved for it; nothing to void (nothing was authorised). False when the order was no longer
   * waiting for its payment (nothing is written).
   */
  async paymentFailed(id: string, reason: string, opts: Opts = {}): Promise<boolean> {
    return this.run(opts, async (trx) => {
      const row = await store.getOrder(trx, id, true);
      if (!row) throw problems.notFound('order', id);
      if (row.status !== 'payment_pending') return false;
      await this.apply(trx, id, { type: 'cancel', reason }, [], { row });
      if (row.reservation_id && this.inventory) {
        const reservation = await this.inventory.getReservation(row.reservation_id, { trx });
        if (reservation.status === 'active') await this.inventory.release(row.reservation_id, { trx });
      }
      return true;
    });
  }

  /** The gift order a gift receipt code belongs to (the code is a bearer secret: undefined when unknown). */
  async byGiftReceipt(code: string, opts: Opts = {}): Promise<Order | undefined> {
    const row = await store.orderByGiftReceipt(opts.trx ?? this.db, code);
    return row ? this.get(row.id, opts) : undefined;
  }

  async get(id: string, opts: Opts = {}): Promise<Order> {
    const ex = opts.trx ?? this.db;
    const found = await store.getOrderWithLines(ex, id);
    if (!found) throw problems.notFound('order', id);
    const payment = found.row.payment_id ? await this.payments.get(found.row.payment_id, { trx: ex }) : null;
    return toOrder(found.row, found.lines, payment);
  }

  /** The order without its payment, in one statement (a notification needs no payment). */
  async getWithoutPayment(id: string, opts: Opts = {}): Promise<OrderWithoutPayment> {
    const found = await store.getOrderWithLines(opts.trx ?? this.db, id);
    if (!found) throw problems.notFound('order', id);
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped on purpose: it was not read
    const { payment, ...order } = toOrder(found.row, found.lines, null);
    return order;
  }

  /** The order's status alone, or undefined when there is no such order (one primary-key read). */
  async statusOf(id: string, opts: Opts = {}): Promise<OrderStatus | undefined> {
    return (await store.orderStatus(opts.trx ?? this.db, id)) as OrderStatus | undefined;
  }

  /**
   * In the caller's (checkout) transaction: does the customer already have a live order? Two first
   * orders of one customer are serialised here, so only one can carry a first-order promotion.
   */
  async hasLiveOrder(customerId: string, opts: { trx: Executor }): Promise<boolean> {
    return store.lockAndHasLiveOrder(opts.trx, customerId);
  }

  /** The cart's live order (a cancelled attempt, e.g. a declined card, gives way to the retry's order). */
  async findByCart(cartId: string, opts: Opts = {}): Promise<Order | undefined> {
    const row = await store.orderByCart(opts.trx ?? this.db, cartId);
    return row ? this.get(row.id, opts) : undefined;
  }

  async list(filter: OrderFilter): Promise<Order[]> {
    return this.hydrate(await store.listOrders(this.db, { ...filter, limit: filter.limit ?? 50 }));
  }

  /** The counter's search (order number, e-mail, a person's profiles), newest first. */
  async search(filter: OrderSearchFilter): Promise<Order[]> {
    return this.hydrate(await store.searchOrders(this.db, { ...filter, limit: filter.limit ?? 50 }));
  }

  private async hydrate(rows: store.OrderRow[]): Promise<Order[]> {
    const lines = await store.linesOf(
      this.db,
      rows.map((r) => r.id),
    );
    const payments = await Promise.all(rows.map((r) => (r.payment_id ? this.payments.get(r.payment_id) : null)));
    return rows.map((r, i) =>
      toOrder(
        r,
        lines.filter((l) => l.order_id === r.id),
        payments[i] ?? null,
      ),
    );
  }

  history(id: string) {
    return store.historyOf(this.db, id);
  }

  /** The one place a status or hold changes. Returns the new state; the caller's trx commits it. */
  private async apply(
    trx: Tx,
    id: string,
    cmd: OrderCommand,
    extra: DomainEvent[] = [],
    locked?: { row: store.OrderRow; lines?: store.OrderLineRow[] | undefined },
  ): Promise<{ before: store.OrderRow; next: OrderState }> {
    // A caller that locked and read the order in this transaction already passes it (one lock, one read).
    const row = locked?.row ?? (await store.getOrder(trx, id, true));
    if (!row) throw problems.notFound('order', id);
    // Only a command that decides on quantities reads the lines; the others' decisions never look at them.
    const lines = locked?.lines ?? (decidesOnLines(cmd.type) ? await store.linesOf(trx, [id]) : []);
    const state: OrderState = {
      status: row.status as OrderStatus,
      hold_reason: row.hold_reason,
      lines: lines.map((l) => ({ id: l.id, quantity: l.quantity, fulfilled_quantity: l.fulfilled_quantity })),
    };
    const d = decide(state, cmd);
    if (!d.ok) {
      if (d.field) throw problems.field(d.field, d.reason);
      throw new AppError('invalid_transition', d.reason, {
        order_id: id,
        order_status: row.status,
        hold_reason: row.hold_reason,
      });
    }
    const now = this.clock.now();
    await store.updateOrder(trx, id, { status: d.next.status, hold_reason: d.next.hold_reason, updated_at: now });
    if (cmd.type === 'fulfil') await store.setFulfilled(trx, d.next.lines);
    const note =
      cmd.type === 'cancel' || cmd.type === 'cancel_line'
        ? (cmd.reason ?? null)
        : cmd.type === 'hold'
          ? cmd.reason
          : null;
    await store.appendHistory(trx, {
      order_id: id,
      from_status: row.status,
      to_status: d.next.status,
      hold_reason: d.next.hold_reason,
      note,
      at: now,
    });
    const events: DomainEvent[] = [...extra];
    if (d.next.status !== row.status || d.next.hold_reason !== row.hold_reason) {
      events.push({
        type: 'order.status_changed',
        aggregateId: id,
        payload: {
          order_id: id,
          from: row.status,
          to: d.next.status,
          hold_reason: d.next.hold_reason,
          customer_id: row.customer_id,
        },
      });
    }
    if (d.next.status !== row.status && (d.next.status === 'confirmed' || d.next.status === 'cancelled')) {
      events.push({
        type: `order.${d.next.status}`,
        aggregateId: id,
        payload: {
          order_id: id,
          customer_id: row.customer_id,
          channel: row.channel_id,
          ...(note ? { reason: note } : {}),
        },
      });
    }
    await emit(trx, events, now);
    return { before: row, next: d.next };
  }

  private async run<T>(opts: Opts, fn: (trx: Tx) => Promise<T>): Promise<T> {
    const out = await inTx(this.db, opts.trx, fn);
    if (!opts.trx) this.bus.nudge();
    return out;
  }

  /** `order.placed` subscriber: confirms unless the order moved on or is held (redelivery-safe). */
  async confirmIfPlaced(id: string, trx: Tx): Promise<void> {
    const row = await store.getOrder(trx, id, true);
    if (row && row.status === 'placed' && row.hold_reason === null)
      await this.apply(trx, id, { type: 'confirm' }, [], { row });
  }

  /** placed → confirmed (payment authorised, stock reserved, no hold). */
  async confirm(id: string, opts: Opts = {}): Promise<Order> {
    return this.run(opts, async (trx) => {
      // The reservation stays as it is: inventory turns it into sales when fulfillment ships.
      await this.apply(trx, id, { type: 'confirm' });
      return this.get(id, { trx });
    });
  }

  async hold(id: string, reason: string, opts: Opts = {}): Promise<Order> {
    return this.run(opts, async (trx) => (await this.apply(trx, id, { type: 'hold', reason }), this.get(id, { trx })));
  }
  async release(id: string, opts: Opts = {}): Promise<Order> {
    return this.run(opts, async (trx) => {
      const { before } = await this.apply(trx, id, { type: 'release' });
      // A hold placed before confirmation blocked it; confirm now that it is lifted.
      if (before.status === 'placed') await this.apply(trx, id, { type: 'confirm' });
      return this.get(id, { trx });
    });
  }

  /** Cancels: releases the stock still reserved and voids (or refunds, if captured) the payment. */
  async cancel(id: string, opts: Opts & { reason?: string | undefined } = {}): Promise<Order> {
    const ops: string[] = [];
    const order = await this.run(opts, async (trx) => {
      const { before } = await this.apply(trx, id, { type: 'cancel', ...(opts.reason ? { reason: opts.reason } : {}) });
      // Only a reservation still active is released here: once fulfillment has re-sourced the order
      // (its tasks hold reservations of their own, released on order.cancelled) or picked it, the
      // checkout's reservation is already released or confirmed.
      if (before.reservation_id && this.inventory) {
        const reservation = await this.inventory.getReservation(before.reservation_id, { trx });
        if (reservation.status === 'active') await this.inventory.release(before.reservation_id, { trx });
      }
      // The provider is asked after commit (pending operations): a rolled-back cancel never voids or pays out.
      if (before.payment_id) {
        const p = await this.payments.get(before.payment_id, { trx });
        if (p.status === 'authorized') {
          const op = await this.payments.requestVoid(p.id, { trx });
          if (op) ops.push(op.id);
        } else if (p.status === 'captured' || p.status === 'partially_refunded') {
          const op = await this.payments.requestRefund(p.id, p.captured_amount - p.refunded_amount, { trx });
          ops.push(op.id);
        }
      }
      return this.get(id, { trx });
    });
    if (opts.trx || ops.length === 0) return order;
    await this.payments.runOperations(ops);
    return this.get(id);
  }

  /**
   * Cancels units of one line (default: all its unfulfilled units) that no store has picked yet:
   * fulfillment takes them out of its tasks and releases their stock, the line and the order's
   * totals shrink, and the payment follows — an authorisation is captured without the cancelled
   * share later (`cancelled_amount`), a captured payment is refunded it after commit. The last live
   * units cancel the order (and `order.cancelled` follows, as for a whole cancel).
   */
  async cancelLine(
    id: string,
    lineId: string,
    input: { quantity?: number | undefined; reason: string },
    opts: Opts = {},
  ): Promise<Order> {
    const ops: string[] = [];
    const order = await this.run(opts, async (trx) => {
      const row = await store.getOrder(trx, id, true);
      if (!row) throw problems.notFound('order', id);
      const line = (await store.linesOf(trx, [id])).find((l) => l.id === lineId);
      if (!line) throw problems.notFound('order line', lineId);
      const quantity = input.quantity ?? line.quantity - line.fulfilled_quantity;
      const { next } = await this.apply(trx, id, {
        type: 'cancel_line',
        line_id: lineId,
        quantity,
        reason: input.reason,
      });
      if (!this.fulfillment) throw new AppError('conflict', 'cancelling a line needs fulfillment');
      await this.fulfillment.cancelUnits(id, lineId, quantity, { trx });
      const cut = lineCancelAmounts(
        {
          quantity: line.quantity,
          unit_price: Number(line.unit_price),
          discount: Number(line.discount),
          total: Number(line.total),
          tax_amount: Number(line.tax_amount),
        },
        quantity,
      );
      await store.updateLine(trx, lineId, {
        quantity: line.quantity - quantity,
        cancelled_quantity: (line.cancelled_quantity ?? 0) + quantity,
        discount: Number(line.discount) - cut.discount,
        total: Number(line.total) - cut.total,
        tax_amount: Number(line.tax_amount) - cut.tax,
      });
      await store.updateOrder(trx, id, {
        subtotal: Number(row.subtotal) - cut.subtotal,
        discount_total: Number(row.discount_total) - cut.discount,
        tax_total: Number(row.tax_total) - cut.tax,
        total: Number(row.total) - cut.total,
        cancelled_amount: Number(row.cancelled_amount ?? 0) + cut.total,
      });
      let refunded = 0;
      if (row.payment_id) {
        const p = await this.payments.get(row.payment_id, { trx });
        const open = p.captured_amount - p.refunded_amount;
        if (p.status === 'authorized' && next.status === 'cancelled') {
          const op = await this.payments.requestVoid(p.id, { trx });
          if (op) ops.push(op.id);
        } else if ((p.status === 'captured' || p.status === 'partially_refunded') && open > 0) {
          refunded = next.status === 'cancelled' ? open : Math.min(cut.total, open);
          if (refunded > 0) ops.push((await this.payments.requestRefund(p.id, refunded, { trx })).id);
        }
      }
      await emit(
        trx,
        {
          type: 'order.line_cancelled',
          aggregateId: id,
          payload: {
            order_id: id,
            customer_id: row.customer_id,
            channel: row.channel_id,
            line_id: lineId,
            sku: line.sku,
            quantity,
            amount: { amount: cut.total, currency: row.currency },
            refunded: { amount: refunded, currency: row.currency },
            reason: input.reason,
            order_status: next.status,
          },
        },
        this.clock.now(),
      );
      return this.get(id, { trx });
    });
    if (opts.trx || ops.length === 0) return order;
    await this.payments.runOperations(ops);
    return this.get(id);
  }

  isCancellable(status: OrderStatus): boolean {
    return cancellable(status);
  }

  /** Fulfillment reports shipped or handed-over quantities per line; the status follows. */
  async markFulfilled(
    orderId: string,
    lineQuantities: { line_id: string; quantity: number }[],
    opts: Opts = {},
  ): Promise<Order> {
    return this.run(opts, async (trx) => {
      const { next } = await this.apply(trx, orderId, { type: 'fulfil', lines: lineQuantities }, [
        { type: 'order.fulfilled_lines', aggregateId: orderId, payload: { order_id: orderId, lines: lineQuantities } },
      ]);
      void next;
      return this.get(orderId, { trx });
    });
  }

  async complete(orderId: string, opts: Opts = {}): Promise<Order> {
    return this.run(
      opts,
      async (trx) => (await this.apply(trx, orderId, { type: 'complete' }), this.get(orderId, { trx })),
    );
  }

  /**
   * Asks for the capture of the order's payment (default: the whole authorised amount) in the
   * caller's transaction (fulfillment's, at the first shipment or handover); one per payment. The
   * provider is called after commit (`settlePaymentOperations`, or the payments job). `ifAuthorized`:
   * null instead of an error when the payment is no longer authorised (captured by a sibling task).
   */
  async requestCapture(orderId: string, opts?: Opts & { amount?: number | undefined }): Promise<PaymentOperation>;
  async requestCapture(
    orderId: string,
    opts: Opts & { amount?: number | undefined; ifAuthorized: true },
  ): Promise<PaymentOperation | null>;
  async requestCapture(
    orderId: string,
    opts: Opts & { amount?: number | undefined; ifAuthorized?: boolean } = {},
  ): Promise<PaymentOperation | null> {
    return this.run(opts, async (trx) => {
      const order = await store.getOrder(trx, orderId, true);
      if (!order) throw problems.notFound('order', orderId);
      if (!order.payment_id) throw new AppError('conflict', `order ${orderId} has no payment to capture`);
      if (order.status === 'cancelled') throw new AppError('invalid_transition', `order ${orderId} is cancelled`);
      // Cancelled lines' share of the authorisation is never captured (it lapses, like a void of the difference).
      const cancelled = Number(order.cancelled_amount ?? 0);
      const amount =
        opts.amount ??
        (cancelled > 0 ? (await this.payments.get(order.payment_id, { trx })).amount.amount - cancelled : undefined);
      if (opts.ifAuthorized) return this.payments.requestCapture(order.payment_id, amount, { trx, ifAuthorized: true });
      return this.payments.requestCapture(order.payment_id, amount, { trx });
    });
  }

  /** Captures now (own transactions, the provider called after commit); a refused capture throws payment_declined. */
  async capturePayment(orderId: string, opts: { amount?: number | undefined } = {}): Promise<Payment> {
    const op = await this.requestCapture(orderId, opts);
    return this.payments.settleCapture(op.id);
  }

  /**
   * Asks for a refund of `amount` of the captured payment (a return, a goodwill gesture) in the
   * caller's transaction and emits `order.refunded`; the provider pays it out after commit
   * (`settleRefunds`, or the payments job), so a rolled-back return never pays and a retried one
   * never pays twice.
   */
  async refund(
    orderId: string,
    amount: number,
    opts: Opts & { reason?: string | undefined; return_id?: string | undefined } = {},
  ): Promise<PaymentOperation> {
    const op = await this.run(opts, async (trx) => {
      const order = await store.getOrder(trx, orderId, true);
      if (!order) throw problems.notFound('order', orderId);
      if (!order.payment_id) throw new AppError('conflict', `order ${orderId} has no payment to refund`);
      const p = await this.payments.requestRefund(order.payment_id, amount, { trx, return_id: opts.return_id });
      await emit(
        trx,
        {
          type: 'order.refunded',
          aggregateId: orderId,
          payload: {
            order_id: orderId,
            customer_id: order.customer_id,
            amount: { amount, currency: order.currency },
            reason: opts.reason ?? null,
            return_id: opts.return_id ?? null,
            payment_id: p.payment_id,
            operation_id: p.id,
          },
        },
        this.clock.now(),
      );
      return p;
    });
    if (!opts.trx) await this.payments.runOperations([op.id]);
    return op;
  }

  /** Runs the payment operations a committed transaction asked for (returns call this after their commit). */
  async settlePaymentOperations(ids: string[]): Promise<void> {
    if (ids.length) await this.payments.runOperations(ids);
  }

  /** `customer.erased`: the orders stay (they are the retailer's books), the personal data goes. */
  async anonymiseCustomer(customerId: string, opts: Opts = {}): Promise<number> {
    return inTx(this.db, opts.trx, (trx) => store.anonymiseCustomerOrders(trx, customerId, this.clock.now()));
  }

  /**
   * A customer proved they own `email` (issue 16): the guest orders placed with that address become
   * theirs. Called in the verification's transaction, never on an address merely typed at checkout.
   * Returns each attached order's `order.placed` payload (as it was placed), for the customer 360.
   */
  async attachGuestOrders(email: string, customerId: string, opts: { trx: Tx }): Promise<Record<string, unknown>[]> {
    const rows = await store.claimGuestOrders(opts.trx, email, customerId);
    if (rows.length === 0) return [];
    const lines = await store.linesOf(
      opts.trx,
      rows.map((r) => r.id),
    );
    return rows.map(
      (r) =>
        placedEvent(
          { ...r, customer_id: customerId },
          lines.filter((l) => l.order_id === r.id),
          r.placed_at,
        ).payload as Record<string, unknown>,
    );
  }

  /** Click & collect orders promised per store in [from, to), for the delivery promise. */
  pickupLoad(locationIds: string[], from: Date, to: Date, opts: Opts = {}): Promise<Map<string, number>> {
    return store.pickupLoad(opts.trx ?? this.db, locationIds, from, to);
  }
}

/** `order.placed`: what fulfillment, customers and notifications start from (only once the payment is authorised). */
function placedEvent(
  row: Pick<
    store.OrderRow,
    'id' | 'customer_id' | 'channel_id' | 'channel_type' | 'location_id' | 'total' | 'currency' | 'reservation_id'
  > & { delivery: unknown },
  lines: Pick<store.OrderLineRow, 'id' | 'sku' | 'product_id' | 'quantity' | 'total'>[],
  now: Date,
): DomainEvent {
  const delivery = json<OrderDelivery>(row.delivery);
  return {
    type: 'order.placed',
    aggregateId: row.id,
    payload: {
      order_id: row.id,
      customer_id: row.customer_id,
      channel: row.channel_id,
      channel_type: row.channel_type,
      location_id: row.location_id,
      placed_at: now.toISOString(),
      total: { amount: Number(row.total), currency: row.currency },
      lines: lines.map((l) => ({
        line_id: l.id,
        sku: l.sku,
        product_id: l.product_id,
        quantity: l.quantity,
        amount: Number(l.total),
      })),
      delivery: {
        method: delivery.method,
        ...(delivery.location_id ? { location_id: delivery.location_id } : {}),
        ...(delivery.address ? { address: delivery.address } : {}),
      },
      reservation_id: row.reservation_id,
    },
  };
}
