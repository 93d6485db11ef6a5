/**
 * The in-transaction halves of an order's payment requests: the capture (fulfillment's, at the
 * first shipment or handover) and a refund (returns, goodwill). They only record the operation; the
 * provider is called after commit (payments' runOperations or its job).
 */
import type { Clock } from '../platform/clock.js';
import type { Tx } from '../platform/db/schema.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, problems } from '../platform/http/problems.js';
import type { PaymentOperation } from '../payments/index.js';
import * as store from './store.js';
import type { OrdersPaymentsPort } from './ports.js';

/** Capture of the authorised amount less cancelled lines' share (or `amount`); see OrdersService.requestCapture. */
export async function requestCaptureIn(
  trx: Tx,
  payments: OrdersPaymentsPort,
  orderId: string,
  opts: { amount?: number | undefined; ifAuthorized?: boolean },
): Promise<PaymentOperation | null> {
  const order = await store.getOrder(trx, orderId, true);
  if (!order) throw problems.notFound('order', orderId);
  if (!order.payment_id) throw new AppError('conflict', `order ${orderId} has no payment to capture`);
  if (order.status === 'cancelled') throw new AppError('invalid_transition', `order ${orderId} is cancelled`);
  // Cancelled lines' share of the authorisation is never captured (it lapses, like a void of the difference).
  const cancelled = Number(order.cancelled_amount ?? 0);
  const amount =
    opts.amount ??
    (cancelled > 0 ? (await payments.get(order.payment_id, { trx })).amount.amount - cancelled : undefined);
  if (opts.ifAuthorized) return payments.requestCapture(order.payment_id, amount, { trx, ifAuthorized: true });
  return payments.requestCapture(order.payment_id, amount, { trx });
}

/** A refund of the captured payment, with `order.refunded`; see OrdersService.refund. */
export async function refundIn(
  trx: Tx,
  payments: OrdersPaymentsPort,
  clock: Clock,
  orderId: string,
  amount: number,
  opts: { reason?: string | undefined; return_id?: string | undefined },
): Promise<PaymentOperation> {
  const order = await store.getOrder(trx, orderId, true);
  if (!order) throw problems.notFound('order', orderId);
  if (!order.payment_id) throw new AppError('conflict', `order ${orderId} has no payment to refund`);
  const p = await payments.requestRefund(order.payment_id, amount, { trx, return_id: opts.return_id });
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
    clock.now(),
  );
  return p;
}
