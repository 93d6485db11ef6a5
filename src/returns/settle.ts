/**
 * What happens once returned goods are in a store's hands, in the return's transaction: the stock
 * (sellable units back on the receiving location's shelf, damaged ones booked out), the refund (a
 * pending refund of the original payment, paid after commit; or store credit on the customer's
 * balance or a new gift card), the exchange units and the events. A counter return does it at once;
 * a self-service return when the store scans its code; a gift return with the gift card as payee.
 */
import type { Tx } from '../platform/db/schema.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { Location } from '../network/index.js';
import type { Order } from '../orders/index.js';
import { EXCHANGE_LINE_PREFIX } from '../fulfillment/index.js';
import type { DecidedLine, RefundMethod } from './rules.js';
import * as store from './store.js';
import type { ExchangeDelivery } from './types.js';
import type {
  ReturnsFulfillmentPort,
  ReturnsInventoryPort,
  ReturnsOrdersPort,
  ReturnsStoreCreditPort,
} from './ports.js';

export interface SettleDeps {
  inventory: ReturnsInventoryPort;
  orders: ReturnsOrdersPort;
  fulfillment: ReturnsFulfillmentPort | undefined;
  storeCredit: ReturnsStoreCreditPort | undefined;
}

export interface SettleArgs {
  id: string;
  order: Order;
  channelId: string;
  at: Location;
  stockAt: Location;
  lines: Pick<DecidedLine, 'line_id' | 'sku' | 'quantity' | 'reason' | 'condition' | 'restock' | 'refund'>[];
  refund: number;
  method: RefundMethod;
  exchange: { for_line_id: string; sku: string; quantity: number }[];
  /** How the exchange units reach the customer (undefined: now if the store has them, else shipped). */
  exchangeDelivery?: ExchangeDelivery | undefined;
  /** A gift's recipient: credit goes to a new gift card, the buyer is neither refunded nor named. */
  gift: boolean;
  now: Date;
  /** The `return.created` event too (a return taken at the counter); a requested one emitted it already. */
  created: boolean;
}

export interface Settled {
  /** Pending refunds of the original payment, to pay out after commit. */
  refundOps: string[];
  accountId: string | null;
  giftCardCode: string | null;
}

export async function settleReturn(deps: SettleDeps, trx: Tx, a: SettleArgs): Promise<Settled> {
  const { order } = a;
  for (const l of a.lines) {
    await deps.inventory.receiveReturn(
      { sku: l.sku, location_id: a.stockAt.id, quantity: l.quantity, reference: a.id, reason: `return: ${l.reason}` },
      { trx },
    );
    if (l.restock === 'damage')
      await deps.inventory.damage(
        {
          sku: l.sku,
          location_id: a.stockAt.id,
          quantity: l.quantity,
          reason: `returned ${l.condition}`,
          reference: a.id,
        },
        { trx },
      );
  }
  const customerId = a.gift ? null : order.customer_id;
  const money = { amount: a.refund, currency: order.currency };
  const base = {
    return_id: a.id,
    order_id: order.id,
    customer_id: customerId,
    channel: a.channelId,
    location_id: a.at.id,
    ...(a.gift ? { gift: true } : {}),
  };
  const events: DomainEvent[] = [];
  if (a.created)
    events.push({
      type: 'return.created',
      aggregateId: a.id,
      payload: { ...base, lines: a.lines, refund: money, refund_method: a.method, exchange: a.exchange },
    });
  events.push({
    type: 'return.received',
    aggregateId: a.id,
    payload: {
      ...base,
      lines: a.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, restock: l.restock, location_id: a.stockAt.id })),
    },
  });
  const out: Settled = { refundOps: [], accountId: null, giftCardCode: null };
  if (a.refund > 0) {
    if (a.method === 'original') {
      if (a.gift) throw new AppError('unprocessable', 'a gift return is never refunded to the buyer’s payment');
      // A pending refund: paid out after this transaction commits, so an exchange that cannot be
      // served (rolling all of this back) never pays, and a retried return never pays twice.
      out.refundOps.push((await deps.orders.refund(order.id, a.refund, { trx, reason: 'return', return_id: a.id })).id);
    } else {
      await store.insertStoreCredit(trx, {
        id: newId('crd', a.now.getTime()),
        customer_id: customerId,
        order_id: order.id,
        return_id: a.id,
        currency: order.currency,
        amount: a.refund,
        created_at: a.now,
      });
      if (deps.storeCredit) {
        // A guest (or a gift's recipient) has no account to credit: they get a gift card instead.
        const issued = await deps.storeCredit.issue(
          {
            to: customerId ? { customer_id: customerId } : { gift_card: true },
            currency: order.currency,
            amount: a.refund,
            reason: a.gift ? 'gift_return' : 'return',
            reference: a.id,
          },
          { trx },
        );
        out.accountId = issued.account.id;
        out.giftCardCode = issued.code;
      }
    }
    events.push({ type: 'refund.issued', aggregateId: a.id, payload: { ...base, amount: money, method: a.method } });
  }
  await emit(trx, events, a.now);
  if (a.exchange.length) await exchange(deps, trx, a.id, order, a.channelId, a.at, a.exchange, a.exchangeDelivery);
  return out;
}

/**
 * The replacement units: handed over at once where the return happens when the store has them
 * (a sale there and then), otherwise sourced and shipped (or collected) like any order line.
 */
async function exchange(
  deps: SettleDeps,
  trx: Tx,
  returnId: string,
  order: Order,
  channelId: string,
  at: Location,
  lines: { sku: string; quantity: number }[],
  delivery: ExchangeDelivery | undefined,
): Promise<void> {
  const home = order.delivery.method === 'home' && order.delivery.address;
  // Shipped on request: home to the order's address (a counter return of a collected order has none to use).
  if (delivery === 'ship' && !home)
    throw problems.field('exchange_delivery', 'the order has no home address to ship the exchange to');
  if (delivery === 'now' && at.type !== 'store')
    throw problems.field('exchange_delivery', 'only a store hands the exchange over at once');
  if (at.type === 'store' && delivery !== 'ship') {
    const avail = await deps.inventory.availability({ channel: channelId, skus: lines.map((l) => l.sku) }, { trx });
    const here = lines.every(
      (l) =>
        (avail.find((a) => a.sku === l.sku)?.locations.find((x) => x.location_id === at.id)?.available ?? 0) >=
        l.quantity,
    );
    if (here) {
      const r = await deps.inventory.reserve(
        {
          channel: channelId,
          ttl_seconds: 600,
          reference: returnId,
          lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location_id: at.id })),
        },
        { trx },
      );
      await deps.inventory.confirm(r.id, { trx, actor: `return:${returnId}` });
      await store.setExchange(trx, returnId, { exchange_reservation_id: r.id });
      return;
    }
    if (delivery === 'now')
      throw new AppError('unprocessable', 'this store does not have the exchange units to hand over now; ship them');
  }
  if (!deps.fulfillment)
    throw new AppError('unprocessable', 'the exchange units are not here and nothing can ship them');
  const outcome = await deps.fulfillment.sourcing.source(trx, {
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
    promise_days: deps.fulfillment.config.promiseDays.home,
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
