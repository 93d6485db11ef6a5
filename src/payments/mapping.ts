/** Rows to the module's types, and a payment to the state its rules decide on. */
import type * as store from './store.js';
import type { PaymentState } from './rules.js';
import type { Payment, PaymentOperation, PaymentStatus } from './types.js';

export function toPayment(r: store.PaymentRow): Payment {
  return {
    id: r.id,
    order_id: r.order_id,
    provider: r.provider,
    status: r.status as PaymentStatus,
    amount: { amount: Number(r.amount), currency: r.currency },
    captured_amount: Number(r.captured_amount),
    refunded_amount: Number(r.refunded_amount),
    provider_ref: r.provider_ref,
    decline_reason: r.decline_reason,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}
export const toOperation = (r: store.OperationRow): PaymentOperation => ({
  id: r.id,
  payment_id: r.payment_id,
  order_id: r.order_id,
  kind: r.kind as PaymentOperation['kind'],
  amount: Number(r.amount),
  status: r.status as PaymentOperation['status'],
  reason: r.reason,
  return_id: r.return_id,
});
export const stateOf = (p: Payment, refunding = 0): PaymentState => ({
  status: p.status,
  amount: p.amount.amount,
  captured: p.captured_amount,
  refunded: p.refunded_amount,
  refunding,
});
