import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Payment, PaymentOperation } from '../payments/index.js';
import type { RawBuilder } from 'kysely';
import * as store from './store.js';
import { writeNewOrder } from './place-statement.js';
import { placeIfWaiting } from './authorise-statement.js';
import { cancellable, decide, decidesOnLines, type OrderCommand, type OrderState, type OrderStatus } from './rules.js';
import type { Order, OrderLine, PlaceOrderInput } from './types.js';
import type { OrdersFulfillmentPort, OrdersInventoryPort, OrdersPaymentsPort } from './ports.js';
import { lineRow, newOrderRows, placedEvent, toOrder, transitionRecord } from './mapping.js';
import { confirmPlacedIn } from './confirm-batch.js';
import { cancelLineIn, type LineCancelDeps } from './line-cancel.js';
import { refundIn, requestCaptureIn } from './order-payments.js';
import { OrderReads, type Opts } from './reads.js';

/**
 * Orders from every channel, and their lifecycle. All status changes go through `apply`, which asks
 * the one transition table (`rules.decide`) and writes the change, its history row and its events
 * in the caller's transaction.
 */
export class OrdersService extends OrderReads {
  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    payments: OrdersPaymentsPort,
    private readonly inventory: OrdersInventoryPort | undefined,
  ) {
    super(db, payments);
  }

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
  async place(
    input: PlaceOrderInput,
    opts: Opts & {
      /**
       * The caller's writes that belong with the order (checkout: its pending payment, its completed
       * cart), as statements run in the order's own statement (place-statement.ts): one round trip,
       * all or nothing. Their SQL is their module's; the caller passes its transaction too.
       */
      with?: readonly RawBuilder<unknown>[] | undefined;
    } = {},
  ): Promise<Order> {
    const now = this.clock.now();
    const id = input.id ?? newId('ord', now.getTime());
    const status = input.status ?? 'placed';
    const { row, lines } = newOrderRows(input, id, status, now);
    await inTx(this.db, opts.trx, (trx) => writeNewOrder(trx, input, { row, lines }, now, opts.with));
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
      /**
       * Events of the caller's that go first in this transaction's outbox insert (checkout: the
       * payment's `payment.authorized`), written whatever the outcome, null included.
       */
      events?: readonly DomainEvent[] | undefined;
    } = {},
  ): Promise<Order | null> {
    const first = opts.events ?? [];
    return this.run(opts, async (trx) => {
      const now = this.clock.now();
      // The common case in one statement (authorise-statement.ts), with its events.
      const placed = await placeIfWaiting(trx, id, now, opts.lines, first);
      if (placed) {
        const { row, lines } = placed;
        const payment = opts.payment ?? (row.payment_id ? await this.payments.get(row.payment_id, { trx }) : null);
        return toOrder(row, lines, payment);
      }
      // Not in that state: the general path (lock, read, decide), as it answers every other case.
      const row = await store.getOrder(trx, id, true);
      if (!row) throw problems.notFound('order', id);
      if (row.status !== 'payment_pending') {
        await emit(trx, first, now);
        return null;
      }
      const lines = opts.lines ? opts.lines.map((l, i) => lineRow(id, i, l)) : await store.linesOf(trx, [id]);
      const { next } = await this.apply(trx, id, { type: 'authorise' }, [...first, placedEvent(row, lines, now)], {
        row,
        lines,
      });
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
    const record = transitionRecord(row, d.next, note, now);
    await store.appendHistory(trx, record.history);
    const events: DomainEvent[] = [...extra, ...record.events];
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
    await this.confirmPlaced([id], trx);
  }

  /**
   * `order.placed` as a batch consumer: every order of the batch still placed and not held is
   * confirmed with one statement of each kind (lock, update, history, outbox), see confirm-batch.ts.
   */
  async confirmPlaced(ids: readonly string[], trx: Tx): Promise<number> {
    return confirmPlacedIn(trx, ids, this.clock.now());
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
    let ops: string[] = [];
    const order = await this.run(opts, async (trx) => {
      ops = await cancelLineIn(trx, this.lineCancelDeps(), id, lineId, input);
      return this.get(id, { trx });
    });
    if (opts.trx || ops.length === 0) return order;
    await this.payments.runOperations(ops);
    return this.get(id);
  }

  private lineCancelDeps(): LineCancelDeps {
    return {
      clock: this.clock,
      payments: this.payments,
      fulfillment: this.fulfillment,
      apply: (trx, id, cmd, extra) => this.apply(trx, id, cmd, extra),
    };
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
    return this.run(opts, (trx) => requestCaptureIn(trx, this.payments, orderId, opts));
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
    const op = await this.run(opts, (trx) => refundIn(trx, this.payments, this.clock, orderId, amount, opts));
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
