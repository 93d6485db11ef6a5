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
import { emit } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import { normaliseCode, readableCode } from '../platform/codes.js';
import type { Location } from '../network/index.js';
import type { Order } from '../orders/index.js';
import { decideReturn, type Condition, type RefundMethod } from './rules.js';
import * as store from './store.js';
import { settleReturn, type SettleDeps, type Settled } from './settle.js';
import { giftReceiptView, recordReturn, toReturn } from './record.js';
import type { GiftReceipt, GiftReturnInput, ReceiveByCodeInput, Return, ReturnFilter, ReturnInput } from './types.js';
import type {
  ReturnsCatalogPort,
  ReturnsFulfillmentPort,
  ReturnsInventoryPort,
  ReturnsNetworkPort,
  ReturnsOrdersPort,
  ReturnsStoreCreditPort,
} from './ports.js';

const RETURN_CODE_PREFIX = 'RT';

export interface ReturnsConfig {
  windowDays: number;
}
export const DEFAULT_RETURNS_CONFIG: ReturnsConfig = { windowDays: 30 };

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
    private readonly credit?: ReturnsStoreCreditPort | undefined,
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

  /** The order's facts and the pure decision, in the return's transaction (under the order's returns lock). */
  private async decide(
    trx: Tx,
    order: Order,
    req: Pick<ReturnInput, 'lines' | 'exchange' | 'refund' | 'refund_amount'>,
    now: Date,
  ): Promise<Extract<ReturnType<typeof decideReturn>, { ok: true }>> {
    const returned = await store.returnedByLine(trx, order.id);
    const skus = [...new Set([...order.lines.map((l) => l.sku), ...(req.exchange ?? []).map((x) => x.sku)])];
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
        exchangeProducts: new Map((req.exchange ?? []).map((x) => [x.sku, variants.get(x.sku)?.product_id ?? null])),
      },
      { lines: req.lines, exchange: req.exchange, refund: req.refund, refund_amount: req.refund_amount },
      { windowDays: this.config.windowDays },
    );
    if (!decision.ok) throw new AppError(decision.type, decision.detail, { errors: decision.errors });
    return decision;
  }

  /** After commit: prompt events, then pay out the pending refunds (never inside the transaction). */
  private async finish(id: string, settled: Settled, opts: { trx?: Executor }): Promise<Return> {
    if (!opts.trx) {
      this.bus?.nudge();
      if (settled.refundOps.length) await this.orders.settlePaymentOperations(settled.refundOps);
    }
    const out = await this.get(id, opts);
    return settled.giftCardCode ? { ...out, gift_card_code: settled.giftCardCode } : out;
  }

  private get settleDeps(): SettleDeps {
    return { inventory: this.inventory, orders: this.orders, fulfillment: this.fulfillment, storeCredit: this.credit };
  }

  /** A return taken where the goods are (a till, a pickup point, the warehouse by mail); a `dropoff` makes it a request. */
  async create(input: ReturnInput, opts: { trx?: Executor } = {}): Promise<Return> {
    if (input.dropoff) return this.request({ ...input, dropoff: input.dropoff }, opts);
    // (also refreshes the network snapshot before the transaction: see FulfillmentService.run)
    const channel = await this.network.requireChannel(input.channel, opts);
    const { at, stockAt } = await this.receivingLocation(input.location_id, opts);
    let settled: Settled = { refundOps: [], accountId: null, giftCardCode: null };
    const id = await inTx(this.db, opts.trx, async (trx) => {
      await store.lockOrderReturns(trx, input.order_id);
      const order = await this.orders.get(input.order_id, { trx });
      const now = this.clock.now();
      const decision = await this.decide(trx, order, input, now);
      const id = newId('rtn', now.getTime());
      const status = decision.refund > 0 ? 'refunded' : 'received';
      await recordReturn(trx, {
        id,
        order,
        channelId: channel.id,
        at,
        stockAt,
        decision,
        method: input.refund,
        status,
        now,
      });
      settled = await settleReturn(this.settleDeps, trx, {
        id,
        order,
        channelId: channel.id,
        at,
        stockAt,
        lines: decision.lines,
        refund: decision.refund,
        method: input.refund,
        exchange: decision.exchange,
        exchangeDelivery: input.exchange_delivery,
        gift: false,
        now,
        created: true,
      });
      if (settled.accountId) await store.setCreditAccount(trx, id, settled.accountId);
      return id;
    });
    return this.finish(id, settled, opts);
  }

  /**
   * A self-service return (the customer, online): decided now (window, quantities, refund), recorded
   * `requested` with a return code; no stock moves and nothing is refunded until a store receives it.
   */
  async request(
    input: ReturnInput & { dropoff: NonNullable<ReturnInput['dropoff']> },
    opts: { trx?: Executor } = {},
  ): Promise<Return> {
    const channel = await this.network.requireChannel(input.channel, opts);
    const { method, location_id } = input.dropoff;
    if (method === 'carrier' && location_id)
      throw problems.field('dropoff/location_id', 'a carrier return goes to the returns warehouse: name no location');
    if (method !== 'carrier' && !location_id)
      throw problems.field('dropoff/location_id', `a ${method} drop-off names the location`);
    const { at, stockAt } = await this.receivingLocation(location_id, opts);
    const wanted = method === 'carrier' ? 'warehouse' : method;
    if (at.type !== wanted)
      throw problems.field('dropoff/location_id', `${at.code} is not a ${wanted.replace('_', ' ')}`);
    const id = await inTx(this.db, opts.trx, async (trx) => {
      await store.lockOrderReturns(trx, input.order_id);
      const order = await this.orders.get(input.order_id, { trx });
      const now = this.clock.now();
      const decision = await this.decide(trx, order, input, now);
      const id = newId('rtn', now.getTime());
      const code = readableCode(RETURN_CODE_PREFIX, 3);
      await recordReturn(trx, {
        id,
        order,
        channelId: channel.id,
        at,
        stockAt,
        decision,
        method: input.refund,
        status: 'requested',
        now,
        code,
        dropoff: method,
      });
      const base = {
        return_id: id,
        order_id: order.id,
        customer_id: order.customer_id,
        channel: channel.id,
        location_id: at.id,
      };
      await emit(
        trx,
        [
          {
            type: 'return.created',
            aggregateId: id,
            payload: {
              ...base,
              lines: decision.lines,
              refund: { amount: decision.refund, currency: order.currency },
              refund_method: input.refund,
              exchange: decision.exchange,
            },
          },
          {
            type: 'return.requested',
            aggregateId: id,
            payload: { ...base, return_code: code, dropoff_method: method },
          },
        ],
        now,
      );
      return id;
    });
    if (!opts.trx) this.bus?.nudge();
    return this.get(id, opts);
  }

  /**
   * A store (or pickup point, or the warehouse for a carrier parcel) scans a requested return's code:
   * the goods are in, so now they are restocked (or booked as damage, as the store sees them) and refunded.
   */
  async receiveByCode(input: ReceiveByCodeInput, opts: { trx?: Executor } = {}): Promise<Return> {
    const { at, stockAt } = await this.receivingLocation(input.location_id, opts);
    let settled: Settled = { refundOps: [], accountId: null, giftCardCode: null };
    const id = await inTx(this.db, opts.trx, async (trx) => {
      const code = normaliseCode(input.code);
      const found = await store.byCode(trx, code);
      if (!found) throw problems.notFound('return', code);
      await store.lockOrderReturns(trx, found.order_id);
      const r = (await store.byCode(trx, code, true))!;
      if (r.status !== 'requested')
        throw new AppError('conflict', `return ${r.id} was already received`, {
          return_id: r.id,
          return_status: r.status,
        });
      const order = await this.orders.get(r.order_id, { trx });
      const now = this.clock.now();
      const conditions = new Map((input.conditions ?? []).map((c) => [c.line_id, c.condition]));
      const rows = await store.linesOf(trx, [r.id]);
      for (const [i, c] of (input.conditions ?? []).entries())
        if (!rows.some((l) => l.line_id === c.line_id))
          throw problems.field(`conditions/${i}/line_id`, `line ${c.line_id} is not in this return`);
      const lines = rows.map((l) => {
        const condition = conditions.get(l.line_id) ?? (l.condition as Condition);
        return {
          line_id: l.line_id,
          sku: l.sku,
          quantity: l.quantity,
          reason: l.reason,
          condition,
          refund: Number(l.refund_amount),
          restock: condition === 'sellable' ? ('restock' as const) : ('damage' as const),
        };
      });
      const refund = Number(r.refund_amount);
      await store.markReceived(
        trx,
        r.id,
        {
          status: refund > 0 ? 'refunded' : 'received',
          location_id: at.id,
          received_at: now,
          store_credit_account_id: null,
        },
        lines.map((l) => ({
          line_id: l.line_id,
          condition: l.condition,
          restock: l.restock,
          restock_location_id: stockAt.id,
        })),
      );
      settled = await settleReturn(this.settleDeps, trx, {
        id: r.id,
        order,
        channelId: r.channel_id,
        at,
        stockAt,
        lines,
        refund,
        method: r.refund_method as RefundMethod,
        exchange: (typeof r.exchange === 'string' ? JSON.parse(r.exchange) : r.exchange) as Return['exchange'],
        gift: r.gift ?? false,
        now,
        created: false,
      });
      if (settled.accountId) await store.setCreditAccount(trx, r.id, settled.accountId);
      return r.id;
    });
    return this.finish(id, settled, opts);
  }

  /**
   * A gift's recipient, with the gift receipt code and no account, returns or exchanges in a store:
   * always store credit on a new gift card (prorated on what was paid for the lines, so never more),
   * never a refund to the buyer's payment, and the buyer is not named on the return.
   */
  async giftReturn(input: GiftReturnInput, opts: { trx?: Executor } = {}): Promise<Return> {
    const channel = await this.network.requireChannel(input.channel, opts);
    const { at, stockAt } = await this.receivingLocation(input.location_id, opts);
    let settled: Settled = { refundOps: [], accountId: null, giftCardCode: null };
    const id = await inTx(this.db, opts.trx, async (trx) => {
      const found = await this.orders.byGiftReceipt(normaliseCode(input.gift_receipt_code), { trx });
      if (!found) throw problems.notFound('gift receipt', input.gift_receipt_code);
      await store.lockOrderReturns(trx, found.id);
      const order = await this.orders.get(found.id, { trx });
      const now = this.clock.now();
      const decision = await this.decide(trx, order, { ...input, refund: 'store_credit' }, now);
      const id = newId('rtn', now.getTime());
      const status = decision.refund > 0 ? 'refunded' : 'received';
      await recordReturn(trx, {
        id,
        order,
        channelId: channel.id,
        at,
        stockAt,
        decision,
        method: 'store_credit',
        status,
        now,
        gift: true,
      });
      settled = await settleReturn(this.settleDeps, trx, {
        id,
        order,
        channelId: channel.id,
        at,
        stockAt,
        lines: decision.lines,
        refund: decision.refund,
        method: 'store_credit',
        exchange: decision.exchange,
        gift: true,
        now,
        created: true,
      });
      if (settled.accountId) await store.setCreditAccount(trx, id, settled.accountId);
      return id;
    });
    return this.finish(id, settled, opts);
  }

  /** What a gift receipt shows: the lines and what is still returnable, never a price. */
  async giftReceipt(code: string): Promise<GiftReceipt> {
    const order = await this.orders.byGiftReceipt(normaliseCode(code));
    if (!order) throw problems.notFound('gift receipt', code);
    return giftReceiptView(order, await store.returnedByLine(this.db, order.id), this.config.windowDays);
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
