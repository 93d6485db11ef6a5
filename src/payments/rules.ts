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
  /** Refunds asked for and not yet answered by the provider: they count against what is left. */
  refunding?: number | undefined;
}

/**
 * The payment lifecycle as ONE table. `pending` is the row written before the provider is asked
 * (its id is the idempotency key); the answer moves it to authorized, declined or failed (the
 * provider could not be reached and the reconciliation found no authorisation).
 *
 *   pending ─▶ authorized ─▶ captured ─▶ partially_refunded ─▶ refunded
 *      │            └──────▶ voided
 *      └─▶ declined | failed
 */
export const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  pending: ['authorized', 'declined', 'failed'],
  authorized: ['captured', 'voided'],
  captured: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  refunded: [],
  voided: [],
  declined: [],
  failed: [],
};
export const canMove = (from: PaymentStatus, to: PaymentStatus): boolean => PAYMENT_TRANSITIONS[from].includes(to);

/** The provider's answer to an authorisation (or to "retrieve by idempotency key") → the next status. */
export function decideAuthorisation(
  status: PaymentStatus,
  answer: { ok: true } | { ok: false; reason: string } | null,
): PaymentDecision<{ status: 'authorized' | 'declined' | 'failed'; reason: string | null }> {
  const next = answer === null ? 'failed' : answer.ok ? 'authorized' : 'declined';
  if (!canMove(status, next)) return { ok: false, reason: `a ${status} payment cannot become ${next}` };
  const reason = answer === null ? 'no_answer_from_provider' : answer.ok ? null : answer.reason;
  return { ok: true, next: { status: next, reason } };
}

/** Where `manual` (pay at the till, or on collection) may be used. Keyed by channel type. */
export const PAY_ON_PICKUP_BY_CHANNEL_TYPE: Record<string, boolean> = {
  pos: true,
  contact_center: true,
  web: false,
  app: false,
  marketplace: false,
  social: false,
};

/**
 * May this checkout use this provider? `manual` is a promise to pay, not a payment: only the till
 * (in-store sale), a staff-placed order, or a pickup on a channel that lets customers pay on
 * collection. A shopper on the web or in the app must pay with a real provider.
 */
/**
 * Where a payment link (`stripe_link`) may be sent. Keyed by channel type: the contact center, where an
 * agent places the order and the shopper pays on the link mailed to them.
 */
export const PAY_BY_LINK_BY_CHANNEL_TYPE: Record<string, boolean> = {
  contact_center: true,
  pos: false,
  web: false,
  app: false,
  marketplace: false,
  social: false,
};

export function providerAllowed(
  provider: string,
  ctx: { channel_type: string; delivery_method: string; staff: boolean },
): { ok: true } | { ok: false; reason: string } {
  if (provider === 'stripe_link') {
    // A link is what an agent sends for someone not at a screen; a shopper checking out pays there.
    if (ctx.staff && PAY_BY_LINK_BY_CHANNEL_TYPE[ctx.channel_type] === true) return { ok: true };
    return {
      ok: false,
      reason: ctx.staff
        ? `the ${ctx.channel_type} channel does not send payment links`
        : 'payment links are sent by staff placing an order for a customer',
    };
  }
  if (provider !== 'manual') return { ok: true };
  // The till takes the money in person, whatever the delivery (an endless-aisle sale ships home).
  if (ctx.channel_type === 'pos' || ctx.delivery_method === 'in_store' || ctx.staff) return { ok: true };
  const pickup = ctx.delivery_method === 'click_collect' || ctx.delivery_method === 'pickup_point';
  if (pickup && PAY_ON_PICKUP_BY_CHANNEL_TYPE[ctx.channel_type] === true) return { ok: true };
  return {
    ok: false,
    reason: pickup
      ? `the ${ctx.channel_type} channel does not allow paying on collection; pay by card`
      : `manual payment is only for the till, staff-placed orders and pay-on-pickup`,
  };
}

/** The providers Omnia knows, in the order a console offers them. */
export const KNOWN_PROVIDERS = ['manual', 'stripe_link', 'stripe', 'test'] as const;

export interface PaymentMethod {
  provider: (typeof KNOWN_PROVIDERS)[number];
  /** Registered on this server (Stripe's need OMNIA_STRIPE_SECRET_KEY). */
  configured: boolean;
  /** Configured and allowed for this channel, delivery and caller. */
  allowed: boolean;
  /** Why not, when not allowed: what a console shows beside the disabled choice. */
  reason: string | null;
}

/** Which providers a checkout may use here, and why not the others: `providerAllowed` over what is configured. */
export function paymentMethods(
  registered: ReadonlySet<string>,
  ctx: { channel_type: string; delivery_method: string; staff: boolean },
): PaymentMethod[] {
  return KNOWN_PROVIDERS.map((provider) => {
    if (!registered.has(provider))
      return {
        provider,
        configured: false,
        allowed: false,
        reason: provider.startsWith('stripe')
          ? 'Stripe is not configured on this server (OMNIA_STRIPE_SECRET_KEY)'
          : `the ${provider} provider is not configured on this server`,
      };
    const a = providerAllowed(provider, ctx);
    return { provider, configured: true, allowed: a.ok, reason: a.ok ? null : a.reason };
  });
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
  const left = p.captured - p.refunded - (p.refunding ?? 0);
  if (amount > left) return { ok: false, reason: `cannot refund ${amount}: ${left} is left to refund` };
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
