/**
 * Returns in any channel for any order: the decision is pure (rules.ts); this service gathers the
 * facts, records the return and its restock decision, moves the stock (a `return` movement into the
 * receiving location, or booked as damage), refunds (the original payment through orders, or store
 * credit) and serves exchanges (handed over at the counter, or shipped by a fulfillment task), all
 * in one transaction with the events.
 */
import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Location } from '../network/index.js';
import { EXCHANGE_LINE_PREFIX } from '../fulfillment/index.js';
import { decideReturn, type RefundMethod } from './rules.js';
import * as store from './store.js';
import type { Return, ReturnFilter, ReturnInput } from './types.js';
import type {
  ReturnsCatalogPort,
  ReturnsFulfillmentPort,
  ReturnsInventoryPort,
  ReturnsNetworkPort,
  ReturnsOrdersPort,
} from './ports.js';

export interface ReturnsConfig {
  windowDays: number;
}
export const DEFAULT_RETURNS_CONFIG: ReturnsConfig = { windowDays: 30 };

function toReturn(r: store.ReturnRow, lines: store.ReturnLineRow[]): Return {
  const money = (amount: number | string) => ({ amount: Number(amount), currency: r.currency });
  return {
    id: r.id,
    order_id: r.order_id,
    channel_id: r.channel_id,
    location_id: r.location_id,
    customer_id: r.customer_id,
    status: r.status as Return['status'],
    refund_method: r.refund_method as RefundMethod,
    refund: money(r.refund_amount),
    lines: lines.map((l) => ({
      line_id: l.line_id,
      sku: l.sku,
      quantity: l.quantity,
      reason: l.reason,
      condition: l.condition as Return['lines'][number]['condition'],
      refund: money(l.refund_amount),
      restock: l.restock as 'restock' | 'damage',
      restock_location_id: l.restock_location_id,
    })),
    exchange: (typeof r.exchange === 'string' ? JSON.parse(r.exchange) : r.exchange) as Return['exchange'],
    exchange_reservation_id: r.exchange_reservation_id,
    exchange_fulfillment_id: r.exchange_fulfillment_id,
    created_at: r.created_at.toISOString(),
  };
}

export class ReturnsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bus: EventBus | undefined,
    private readonly network: ReturnsNetworkPort,
    private readonly inventory: ReturnsInventoryPort,
    private readonly orders: ReturnsOrdersPort,
    private readonly catalog: ReturnsCatalogPort,
    private readonly fulfillment: ReturnsFulfillmentPort | undefined,
    private readonly config: ReturnsConfig = DEFAULT_RETURNS_CONFIG,
  ) {}

  /** Where goods come back: the named location (it must take returns), or the returns warehouse by mail. */
  private async receivingLocation(
    locationId: string | undefined,
    opts: { trx?: Executor | undefined },
  ): Promise<{ at: Location; stockAt: Location }> {
    const snap = await this.network.snapshot(opts);
    const warehouse =
      snap.locations.find((l) => l.active && l.type === 'warehouse' && l.capabilities.includes('returns')) ??
      snap.locations.find((l) => l.active && l.type === 'warehouse');
    if (!locationId) {
      if (!warehouse)
        throw problems.field('location_id', 'no warehouse takes mail returns; name the location receiving the goods');
      return { at: warehouse, stockAt: warehouse };
    }
    const at = snap.locationById.get(locationId) ?? snap.locationByCode.get(locationId);
    if (!at) throw problems.notFound('location', locationId);
    if (!at.capabilities.includes('returns')) throw problems.field('location_id', `${at.code} does not take returns`);
    // A pickup point holds no stock: what it collects is restocked at the returns warehouse.
    if (at.type === 'pickup_point') {
      if (!warehouse) throw problems.field('location_id', 'no warehouse receives what pickup points collect');
      return { at, stockAt: warehouse };
    }
    return { at, stockAt: at };
  }

  async create(input: ReturnInput, opts: { trx?: Executor } = {}): Promise<Return> {
    // (also refreshes the network snapshot before the transaction: see FulfillmentService.run)
    const channel = await this.network.requireChannel(input.channel, opts);
    const { at, stockAt } = await this.receivingLocation(input.location_id, opts);
    const refundOps: string[] = [];
    const out = await inTx(this.db, opts.trx, async (trx) => {
      refundOps.length = 0; // a retried transaction starts over
      await store.lockOrderReturns(trx, input.order_id);
      const order = await this.orders.get(input.order_id, { trx });
      const now = this.clock.now();
      const returned = await store.returnedByLine(trx, order.id);
      const skus = [...new Set([...order.lines.map((l) => l.sku), ...(input.exchange ?? []).map((x) => x.sku)])];
      const variants = await this.catalog.getVariants(skus, { trx });
      const paid = order.payment ? order.payment.captured_amount - order.payment.refunded_amount : 0;
      const decision = decideReturn(
        {
          placedAt: new Date(order.placed_at),
          now,
          lines: order.lines.map((l) => ({
            line_id: l.line_id,
            sku: l.sku,
            product_id: l.product_id ?? variants.get(l.sku)?.product_id ?? null,
            quantity: l.quantity,
            fulfilled_quantity: l.fulfilled_quantity,
            total: l.total,
            returnable: variants.get(l.sku)?.returnable ?? true,
            returned: returned.get(l.line_id) ?? 0,
          })),
          refundableOnPayment: paid,
          exchangeProducts: new Map(
            (input.exchange ?? []).map((x) => [x.sku, variants.get(x.sku)?.product_id ?? null]),
          ),
        },
        { lines: input.lines, exchange: input.exchange, refund: input.refund, refund_amount: input.refund_amount },
        { windowDays: this.config.windowDays },
      );
      if (!decision.ok) throw new AppError(decision.type, decision.detail, { errors: decision.errors });

      const id = newId('rtn', now.getTime());
      const status = decision.refund > 0 ? 'refunded' : 'received';
      await store.insertReturn(
        trx,
        {
          id,
          order_id: order.id,
          channel_id: channel.id,
          location_id: at.id,
          customer_id: order.customer_id,
          status,
          refund_method: input.refund,
          currency: order.currency,
          refund_amount: decision.refund,
          exchange: JSON.stringify(decision.exchange),
          exchange_reservation_id: null,
          exchange_fulfillment_id: null,
          created_at: now,
          updated_at: now,
        },
        decision.lines.map((l) => ({
          return_id: id,
          line_id: l.line_id,
          sku: l.sku,
          quantity: l.quantity,
          reason: l.reason,
          condition: l.condition,
          refund_amount: l.refund,
          restock: l.restock,
          restock_location_id: stockAt.id,
        })),
      );

      // Stock: sellable units back into the receiving location at once (resellable the same day); damaged ones booked out.
      for (const l of decision.lines) {
        await this.inventory.receiveReturn(
          { sku: l.sku, location_id: stockAt.id, quantity: l.quantity, reference: id, reason: `return: ${l.reason}` },
          { trx },
        );
        if (l.restock === 'damage')
          await this.inventory.damage(
            {
              sku: l.sku,
              location_id: stockAt.id,
              quantity: l.quantity,
              reason: `returned ${l.condition}`,
              reference: id,
            },
            { trx },
          );
      }

      const money = { amount: decision.refund, currency: order.currency };
      const base = {
        return_id: id,
        order_id: order.id,
        customer_id: order.customer_id,
        channel: channel.id,
        location_id: at.id,
      };
      const events: DomainEvent[] = [
        {
          type: 'return.created',
          aggregateId: id,
          payload: {
            ...base,
            lines: decision.lines,
            refund: money,
            refund_method: input.refund,
            exchange: decision.exchange,
          },
        },
        {
          type: 'return.received',
          aggregateId: id,
          payload: {
            ...base,
            lines: decision.lines.map((l) => ({
              sku: l.sku,
              quantity: l.quantity,
              restock: l.restock,
              location_id: stockAt.id,
            })),
          },
        },
      ];
      if (decision.refund > 0) {
        if (input.refund === 'original')
          // A pending refund: paid out after this transaction commits, so an exchange that cannot be
          // served (rolling all of this back) never pays, and a retried return never pays twice.
          refundOps.push(
            (await this.orders.refund(order.id, decision.refund, { trx, reason: 'return', return_id: id })).id,
          );
        else
          await store.insertStoreCredit(trx, {
            id: newId('crd', now.getTime()),
            customer_id: order.customer_id,
            order_id: order.id,
            return_id: id,
            currency: order.currency,
            amount: decision.refund,
            created_at: now,
          });
        events.push({
          type: 'refund.issued',
          aggregateId: id,
          payload: { ...base, amount: money, method: input.refund },
        });
      }
      await emit(trx, events, now);
      if (decision.exchange.length) await this.exchange(trx, id, order, channel.id, at, decision.exchange);
      return this.get(id, { trx });
    });
    if (!opts.trx) {
      this.bus?.nudge();
      if (refundOps.length) {
        await this.orders.settlePaymentOperations(refundOps);
        return this.get(out.id);
      }
    }
    return out;
  }

  /**
   * The replacement units: handed over at once where the return happens when the store has them
   * (a sale there and then), otherwise sourced and shipped (or collected) like any order line.
   */
  private async exchange(
    trx: Tx,
    returnId: string,
    order: Awaited<ReturnType<ReturnsOrdersPort['get']>>,
    channelId: string,
    at: Location,
    lines: { sku: string; quantity: number }[],
  ): Promise<void> {
    if (at.type === 'store') {
      const avail = await this.inventory.availability({ channel: channelId, skus: lines.map((l) => l.sku) }, { trx });
      const here = lines.every(
        (l) =>
          (avail.find((a) => a.sku === l.sku)?.locations.find((x) => x.location_id === at.id)?.available ?? 0) >=
          l.quantity,
      );
      if (here) {
        const r = await this.inventory.reserve(
          {
            channel: channelId,
            ttl_seconds: 600,
            reference: returnId,
            lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location_id: at.id })),
          },
          { trx },
        );
        await this.inventory.confirm(r.id, { trx, actor: `return:${returnId}` });
        await store.setExchange(trx, returnId, { exchange_reservation_id: r.id });
        return;
      }
    }
    if (!this.fulfillment)
      throw new AppError('unprocessable', 'the exchange units are not here and nothing can ship them');
    const home = order.delivery.method === 'home' && order.delivery.address;
    const outcome = await this.fulfillment.sourcing.source(trx, {
      order_id: order.id,
      channel_id: channelId,
      customer_id: order.customer_id,
      method: home ? 'home' : 'click_collect',
      destination_location_id: home ? null : at.type === 'store' ? at.id : (order.delivery.location_id ?? null),
      address: home ? (order.delivery.address ?? undefined) : undefined,
      lines: lines.map((l, i) => ({
        line_id: `${EXCHANGE_LINE_PREFIX}${returnId}:${i}`,
        sku: l.sku,
        quantity: l.quantity,
      })),
      promise_days: this.fulfillment.config.promiseDays.home,
      exclude: [],
      trigger: 'order_placed',
    });
    if (outcome.unsourced.length)
      throw problems.insufficientStock(
        outcome.unsourced.map((u) => ({ sku: u.sku, requested: u.quantity })),
        `no location can supply the exchange: ${outcome.unsourced.map((u) => `${u.quantity} × ${u.sku}`).join(', ')}`,
      );
    await store.setExchange(trx, returnId, { exchange_fulfillment_id: outcome.fulfillment_ids[0] ?? null });
  }

  async get(id: string, opts: { trx?: Executor } = {}): Promise<Return> {
    const db = opts.trx ?? this.db;
    const r = await store.getReturn(db, id);
    if (!r) throw problems.notFound('return', id);
    return toReturn(r, await store.linesOf(db, [id]));
  }

  async list(q: ReturnFilter): Promise<Return[]> {
    const rows = await store.list(this.db, q);
    const lines = await store.linesOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) =>
      toReturn(
        r,
        lines.filter((l) => l.return_id === r.id),
      ),
    );
  }

  storeCredit(customerId: string): Promise<number> {
    return store.storeCreditBalance(this.db, customerId);
  }
}
