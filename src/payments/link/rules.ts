/**
 * Pure rules of payment by link: what a Stripe Checkout Session's state means for Omnia's payment
 * state machine, and which webhook events concern one. No I/O, no clock: the provider and the webhook
 * handler feed them what Stripe answered and the time.
 */
import { outcomeOf, PAYMENT_ID_METADATA, type IntentOutcome, type IntentView } from '../stripe/rules.js';

/** The fields of a Checkout Session these rules read (the SDK's type has many more). */
export interface SessionView {
  id: string;
  status: string | null;
  url?: string | null | undefined;
  /** Seconds since the epoch, as Stripe sends it. */
  expires_at: number;
  metadata?: Record<string, string> | null | undefined;
  payment_intent?: string | IntentView | null | undefined;
}

/** A link the shopper has not paid yet: where it is and until when. */
export interface LinkAction {
  type: 'payment_link';
  redirect_url: string;
  expires_at: string;
}

export type SessionOutcome =
  | IntentOutcome
  /** Open past its expiry (Stripe's own expiry runs late, or a webhook was lost): expire it, then ask again. */
  | { kind: 'expire'; session_id: string }
  | { kind: 'link'; provider_ref: string; action: LinkAction };

/** The decline reason recorded when the shopper never paid: the order is cancelled and its stock freed. */
export const LINK_EXPIRED = 'payment_link_expired';

/**
 * Stripe accepts `expires_at` between 30 minutes and 24 hours after the session is created. The
 * link's time to live is clamped into that window (an out-of-range setting is refused at config time;
 * this keeps a test's shorter wish within what Stripe takes).
 */
export const MIN_LINK_TTL_MS = 30 * 60_000;
export const MAX_LINK_TTL_MS = 24 * 3600_000;
export function linkExpiry(nowMs: number, ttlMs: number): number {
  const ttl = Math.min(MAX_LINK_TTL_MS, Math.max(MIN_LINK_TTL_MS, ttlMs));
  return Math.floor((nowMs + ttl) / 1000);
}

export function sessionOutcome(s: SessionView, nowMs: number): SessionOutcome {
  if (s.status === 'expired') return { kind: 'declined', reason: LINK_EXPIRED };
  if (s.status === 'complete') {
    // Manual capture: the session completes with the money held (PaymentIntent requires_capture) and
    // payment_status still `unpaid` until the capture at shipment; the PaymentIntent decides.
    const pi = typeof s.payment_intent === 'object' && s.payment_intent ? s.payment_intent : null;
    if (!pi) return { kind: 'undecided', provider_ref: s.id };
    return outcomeOf(pi);
  }
  if (nowMs >= s.expires_at * 1000) return { kind: 'expire', session_id: s.id };
  if (!s.url) return { kind: 'undecided', provider_ref: s.id };
  return {
    kind: 'link',
    provider_ref: s.id,
    action: { type: 'payment_link', redirect_url: s.url, expires_at: new Date(s.expires_at * 1000).toISOString() },
  };
}

/** The webhook events that decide a link: paid (or paid later by a delayed method), or expired. */
export const SESSION_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
]);

export type SessionWebhookAction =
  | { kind: 'settle_link'; payment_id: string; session_id: string; status: string; payment_intent_id: string | null }
  | { kind: 'ignore'; why: string };

/** What one verified `checkout.session.*` event asks of Omnia; other events are not this rule's. */
export function sessionWebhookAction(event: { type: string; data: { object: unknown } }): SessionWebhookAction | null {
  if (!SESSION_EVENTS.has(event.type)) return null;
  const s = event.data.object as SessionView;
  const paymentId = s.metadata?.[PAYMENT_ID_METADATA];
  if (!paymentId) return { kind: 'ignore', why: 'not an Omnia payment link' };
  const pi = typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);
  return {
    kind: 'settle_link',
    payment_id: paymentId,
    session_id: s.id,
    status: s.status ?? 'open',
    payment_intent_id: pi,
  };
}
