/** Pure payment rules: which operations a payment in a given state admits, and the amounts. */
import type { PaymentStatus } from './types.js';

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export interface PaymentState {
  status: PaymentStatus;
  amount: number;
  captured: number;
  refunded: number;
}

export type PaymentDecision<T> = { ok: true; next: T } | { ok: false; reason: string };

/** Capture up to the authorised amount, once; a partial capture releases the rest (as card schemes do). */
export function decideCapture(p: PaymentState, amount: number): PaymentDecision<PaymentState> {
  if (p.status !== 'authorized') return { ok: false, reason: `a ${p.status} payment cannot be captured` };
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return { ok: false, reason: 'the capture amount must be a positive integer' };
  if (amount > p.amount) return { ok: false, reason: `cannot capture ${amount}, only ${p.amount} is authorised` };
  return { ok: true, next: { ...p, status: 'captured', captured: amount } };
}

/** Refunds add up to at most what was captured. */
export function decideRefund(p: PaymentState, amount: number): PaymentDecision<PaymentState> {
  if (p.status !== 'captured' && p.status !== 'partially_refunded')
    return { ok: false, reason: `a ${p.status} payment cannot be refunded` };
  if (!Number.isSafeInteger(amount) || amount <= 0)
    return { ok: false, reason: 'the refund amount must be a positive integer' };
  const refunded = p.refunded + amount;
  if (refunded > p.captured)
    return { ok: false, reason: `cannot refund ${amount}: ${p.captured - p.refunded} is left to refund` };
  return { ok: true, next: { ...p, refunded, status: refunded === p.captured ? 'refunded' : 'partially_refunded' } };
}

/** Only an uncaptured authorisation can be voided; voiding twice is a no-op answer, not an error. */
export function decideVoid(
  p: PaymentState,
): PaymentDecision<PaymentState> | { ok: true; next: PaymentState; noop: true } {
  if (p.status === 'voided') return { ok: true, next: p, noop: true };
  if (p.status !== 'authorized')
    return { ok: false, reason: `a ${p.status} payment cannot be voided; refund it instead` };
  return { ok: true, next: { ...p, status: 'voided' } };
}
