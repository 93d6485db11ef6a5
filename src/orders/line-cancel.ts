/**
 * Cancelling units of one order line, in the caller's transaction: the line and the order's totals
 * shrink by the line's share (rules.lineCancelAmounts), fulfillment takes the units out of its tasks,
 * and the payment follows (a void when the order is wholly cancelled, a refund of what was captured).
 * Returns the payment operations to run after commit.
 */
import type { Clock } from '../platform/clock.js';
import type { Tx } from '../platform/db/schema.js';
import { emit, type DomainEvent } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { lineCancelAmounts, type OrderCommand, type OrderState } from './rules.js';
import type { OrdersFulfillmentPort, OrdersPaymentsPort } from './ports.js';

export interface LineCancelDeps {
  clock: Clock;
  payments: OrdersPaymentsPort;
  fulfillment: OrdersFulfillmentPort | undefined;
  /** The service's one place a status changes (OrdersService.apply). */
  apply: (trx: Tx, id: string, cmd: OrderCommand, extra?: DomainEvent[]) => Promise<{ next: OrderState }>;
}

export async function cancelLineIn(
  trx: Tx,
  deps: LineCancelDeps,
  id: string,
  lineId: string,
  input: { quantity?: number | undefined; reason: string },
): Promise<string[]> {
  const ops: string[] = [];
  const row = await store.getOrder(trx, id, true);
  if (!row) throw problems.notFound('order', id);
  const line = (await store.linesOf(trx, [id])).find((l) => l.id === lineId);
  if (!line) throw problems.notFound('order line', lineId);
  const quantity = input.quantity ?? line.quantity - line.fulfilled_quantity;
  const { next } = await deps.apply(trx, id, {
    type: 'cancel_line',
    line_id: lineId,
    quantity,
    reason: input.reason,
  });
  if (!deps.fulfillment) throw new AppError('conflict', 'cancelling a line needs fulfillment');
  await deps.fulfillment.cancelUnits(id, lineId, quantity, { trx });
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
    const p = await deps.payments.get(row.payment_id, { trx });
    const open = p.captured_amount - p.refunded_amount;
    if (p.status === 'authorized' && next.status === 'cancelled') {
      const op = await deps.payments.requestVoid(p.id, { trx });
      if (op) ops.push(op.id);
    } else if ((p.status === 'captured' || p.status === 'partially_refunded') && open > 0) {
      refunded = next.status === 'cancelled' ? open : Math.min(cut.total, open);
      if (refunded > 0) ops.push((await deps.payments.requestRefund(p.id, refunded, { trx })).id);
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
    deps.clock.now(),
  );
  return ops;
}
