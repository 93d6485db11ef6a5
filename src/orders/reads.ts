/**
 * Reading orders: one order with its lines (and its payment, from payments), lists and the counter's
 * search. The lifecycle (OrdersService) extends this with the writes.
 */
import type { Db, Executor } from '../platform/db/schema.js';
import { problems } from '../platform/http/problems.js';
import * as store from './store.js';
import type { OrderStatus } from './rules.js';
import type { Order, OrderFilter, OrderSearchFilter, OrderWithoutPayment } from './types.js';
import type { OrdersPaymentsPort } from './ports.js';
import { toOrder } from './mapping.js';

export type Opts = { trx?: Executor | undefined };

export class OrderReads {
  constructor(
    protected readonly db: Db,
    protected readonly payments: OrdersPaymentsPort,
  ) {}

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

  /**
   * Several orders with their lines in one statement (unknown ids are left out, the rest in id
   * order); the payment is read only for the orders `needsPayment` picks, the others carry null.
   * For batch consumers (referrals' order.placed): one read per batch instead of two per order.
   */
  async getMany(
    ids: readonly string[],
    opts: Opts & { needsPayment?: ((o: OrderWithoutPayment) => boolean) | undefined } = {},
  ): Promise<Order[]> {
    const ex = opts.trx ?? this.db;
    const out: Order[] = [];
    for (const { row, lines } of await store.getOrdersWithLines(ex, ids)) {
      const order = toOrder(row, lines, null);
      const wanted = row.payment_id && (opts.needsPayment?.(order) ?? true);
      // One connection per transaction: the payments are read one after the other.
      out.push(wanted ? { ...order, payment: await this.payments.get(row.payment_id!, { trx: ex }) } : order);
    }
    return out;
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
}
