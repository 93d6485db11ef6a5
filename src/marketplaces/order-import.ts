import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/log.js';
import type { EventBus } from '../platform/events/bus.js';
import { emit } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { AppError } from '../platform/http/problems.js';
import { decideOrder, isExceptionProblem, linesBySku, nextSince, orderAddress, retryDelayMs } from './rules.js';
import type { Connections } from './connections.js';
import type { MarketplacesPorts } from './ports.js';
import type { MarketplaceOrder } from './types.js';
import './events.js';
import * as store from './store.js';

/** The import asks for orders changed since its cursor minus this: marketplaces list late (eventual consistency). */
const SINCE_OVERLAP_MS = 10 * 60_000;
/** A claimed import not finished by then (the worker died) is taken by another worker. */
const IMPORT_LEASE_MS = 10 * 60_000;
/** Pages per run: a backlog is worked off over several runs rather than holding one worker for ever. */
const MAX_PAGES = 50;

/** The order as stored with its import row (dates as ISO strings). */
export type StoredOrder = Omit<MarketplaceOrder, 'placed_at' | 'updated_at'> & {
  placed_at: string;
  updated_at: string;
};

export function stored(o: MarketplaceOrder): StoredOrder {
  return { ...o, placed_at: o.placed_at.toISOString(), updated_at: o.updated_at.toISOString() };
}

/**
 * Order import. Each marketplace order is first recorded (unique on connection + marketplace order id:
 * the same order reported twice, or by two workers at once, is one row), then placed through the
 * existing cart → checkout path with the connector as a staff actor: the checkout reserves the stock
 * atomically with the order, so a marketplace order can never take a unit a web checkout already has.
 * When the stock is gone the checkout refuses (insufficient_stock) and nothing is written: the row
 * becomes an exception (API + `marketplace.order_exception` webhook), never an oversell. Transient
 * failures leave the row `received` and it is tried again with back-off.
 */
export class OrderImport {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly bus: EventBus,
    private readonly ports: MarketplacesPorts,
    private readonly connections: Connections,
  ) {}

  /** The import job: one due connection's new orders, then any received orders whose retry is due. */
  async importDue(): Promise<number> {
    let work = 0;
    const now = this.clock.now();
    const connection = await inTx(this.db, undefined, (trx) =>
      store.claimOrdersDue(trx, now, new Date(now.getTime() + IMPORT_LEASE_MS)),
    );
    if (connection) work += await this.pull(connection);
    for (const row of await store.dueReceived(this.db, this.clock.now(), 50)) {
      await this.place(row.id);
      work++;
    }
    return work;
  }

  /** Pages through the connection's orders since its cursor; records and places each. */
  async pull(connection: store.ConnectionRow): Promise<number> {
    const connector = this.connections.connector(connection);
    const since = new Date(connection.orders_since.getTime() - SINCE_OVERLAP_MS);
    const seen: Date[] = [];
    let cursor: string | null = null;
    let count = 0;
    let error: string | null = null;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await connector.listOrders({ since, cursor });
        for (const order of res.orders) {
          await this.receive(connection, order);
          seen.push(order.updated_at);
          count++;
        }
        cursor = res.next_cursor;
        if (!cursor) break;
      }
    } catch (err) {
      // What was received is kept; the cursor moves only as far as the orders seen, so nothing is skipped.
      error = (err as Error).message;
      this.log.warn({ connection: connection.id, err }, 'marketplace order import stopped; continues next run');
    }
    const now = this.clock.now();
    await store.updateConnection(this.db, connection.id, {
      // After a full pass the cursor is the latest change seen; a stopped pass keeps the old one (re-reading is harmless).
      orders_since: error || cursor ? connection.orders_since : nextSince(connection.orders_since, seen),
      orders_due_at: new Date(
        now.getTime() + (error ? Math.min(60, connection.orders_interval_s) : connection.orders_interval_s) * 1000,
      ),
      last_error: error ? `orders: ${error}`.slice(0, 2000) : null,
      last_import_at: now,
      last_import_count: count,
    });
    return count;
  }

  /** Records one reported order (idempotently) and acts on it. */
  async receive(connection: store.ConnectionRow, order: MarketplaceOrder): Promise<void> {
    const known = await store.orderByExternal(this.db, connection.id, order.external_id);
    const decision = decideOrder(order.status, known?.status ?? null);
    if (decision.kind === 'skip') return;
    if (decision.kind === 'cancel') return this.cancelFromMarketplace(known!.id, decision.why);
    const now = this.clock.now();
    const id = newId('mko', now.getTime());
    const inserted = await store.insertOrderIfNew(this.db, {
      id,
      connection_id: connection.id,
      channel_id: connection.channel_id,
      external_id: order.external_id,
      status: 'received',
      cart_id: null,
      order_id: null,
      payload: stored(order),
      problem_type: null,
      problem_detail: null,
      resolution: null,
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    });
    if (inserted) await this.place(id);
  }

  /**
   * Places a received order through checkout. Re-entrant: the cart is recorded on the row as soon as it
   * exists and the checkout is idempotent on the cart, so a crash at any point resumes without a second order.
   */
  async place(id: string): Promise<store.MarketplaceOrderRow> {
    const row = await store.getOrder(this.db, id);
    if (!row || row.status !== 'received') return row!;
    const order = row.payload as StoredOrder;
    const connection = await this.connections.require(row.connection_id);
    const channel = await this.ports.network.channel(row.channel_id);
    const lines = linesBySku(order);
    try {
      if (!channel) throw new AppError('not_found', `channel ${row.channel_id} does not exist`);
      if (lines.length === 0) throw new AppError('unprocessable', 'the marketplace order has no lines');
      let cartId = row.cart_id;
      if (!cartId) {
        const opened = await this.ports.checkout.openCart(channel.id);
        // Two workers placing the same row: the first cart recorded wins (the other stays empty and unused).
        cartId = await store.setCartIfNone(this.db, id, opened, this.clock.now());
      }
      const inCart = new Map((await this.ports.checkout.cartLines(cartId)).map((l) => [l.sku, l.quantity]));
      for (const l of lines) if (!inCart.has(l.sku)) await this.ports.checkout.addItem(cartId, l.sku, l.quantity);
      const input = {
        address: orderAddress(order.shipping_address, channel.country, order.external_id),
        email: order.buyer.email,
      };
      // A price that moved since the cart was priced is not the buyer's concern (the marketplace took the
      // payment): the checkout stored the fresh quote, so the second try goes through.
      const placed = await this.ports.checkout
        .checkout(cartId, input)
        .catch((err: unknown) =>
          err instanceof AppError && err.type === 'cart_changed'
            ? this.ports.checkout.checkout(cartId, input)
            : Promise.reject(err),
        );
      return await this.settle(row, connection, { order_id: placed.order_id }, lines);
    } catch (err) {
      const type = err instanceof AppError ? err.type : undefined;
      if (isExceptionProblem(type)) {
        return this.settle(row, connection, { problem: { type: type!, detail: (err as Error).message } }, lines);
      }
      const attempts = row.attempts + 1;
      this.log.warn({ marketplace_order: id, err }, 'marketplace order not placed yet; tried again later');
      await store.updateOrder(
        this.db,
        id,
        {
          attempts,
          next_attempt_at: new Date(this.clock.now().getTime() + retryDelayMs(attempts)),
          problem_detail: (err as Error).message.slice(0, 2000),
          updated_at: this.clock.now(),
        },
        ['received'],
      );
      return (await store.getOrder(this.db, id))!;
    }
  }

  private async settle(
    row: store.MarketplaceOrderRow,
    connection: store.ConnectionRow,
    outcome: { order_id: string } | { problem: { type: string; detail: string } },
    lines: { sku: string; quantity: number }[],
  ): Promise<store.MarketplaceOrderRow> {
    const now = this.clock.now();
    const base = {
      marketplace_order_id: row.id,
      connection_id: row.connection_id,
      channel: row.channel_id,
      provider: connection.provider,
      external_id: row.external_id,
    };
    await inTx(this.db, undefined, async (trx) => {
      const current = await store.getOrder(trx, row.id, true);
      if (!current || (current.status !== 'received' && current.status !== 'exception')) return;
      if ('order_id' in outcome) {
        await store.updateOrder(trx, row.id, {
          status: 'imported',
          order_id: outcome.order_id,
          problem_type: null,
          problem_detail: null,
          updated_at: now,
        });
        await emit(
          trx,
          {
            type: 'marketplace.order_imported',
            aggregateId: row.id,
            payload: { ...base, order_id: outcome.order_id, lines },
          },
          now,
        );
      } else {
        await store.updateOrder(trx, row.id, {
          status: 'exception',
          problem_type: outcome.problem.type,
          problem_detail: outcome.problem.detail.slice(0, 2000),
          updated_at: now,
        });
        await emit(
          trx,
          {
            type: 'marketplace.order_exception',
            aggregateId: row.id,
            payload: { ...base, problem_type: outcome.problem.type, detail: outcome.problem.detail, lines },
          },
          now,
        );
      }
    });
    this.bus.nudge();
    return (await store.getOrder(this.db, row.id))!;
  }

  /** The marketplace cancelled it: an imported order is cancelled in Omnia (its stock released). */
  async cancelFromMarketplace(id: string, reason: string): Promise<void> {
    const row = await store.getOrder(this.db, id);
    if (!row || row.status === 'cancelled') return;
    if (row.order_id) {
      const status = await this.ports.orders.status(row.order_id);
      if (status !== 'cancelled') await this.ports.orders.cancel(row.order_id, `marketplace: ${reason}`);
    }
    const connection = await this.connections.require(row.connection_id);
    const now = this.clock.now();
    await inTx(this.db, undefined, async (trx) => {
      if (
        !(await store.updateOrder(trx, id, { status: 'cancelled', updated_at: now }, [
          'received',
          'imported',
          'exception',
          'resolved',
        ]))
      )
        return;
      await emit(
        trx,
        {
          type: 'marketplace.order_cancelled',
          aggregateId: id,
          payload: {
            marketplace_order_id: id,
            connection_id: row.connection_id,
            channel: row.channel_id,
            provider: connection.provider,
            external_id: row.external_id,
            order_id: row.order_id,
            by: 'marketplace',
            reason,
          },
        },
        now,
      );
    });
    this.bus.nudge();
  }
}
