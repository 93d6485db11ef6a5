/**
 * Pure Stripe rules: what a PaymentIntent's state means for Omnia's payment state machine, what a
 * capture must do given the PaymentIntent, and which webhook events concern a payment. No I/O, no
 * clock: the provider and the webhook handler feed them what Stripe answered.
 */

/** The fields of a PaymentIntent these rules read (the SDK's type has many more). */
export interface IntentView {
  id: string;
  status: string;
  amount: number;
  amount_capturable?: number | undefined;
  amount_received?: number | undefined;
  /** Seconds since the epoch, as Stripe sends it. */
  created: number;
  capture_method?: string | null | undefined;
  metadata?: Record<string, string> | null | undefined;
  last_payment_error?: { code?: string | null; decline_code?: string | null } | null | undefined;
  next_action?: { type: string; redirect_to_url?: { url?: string | null } | null } | null | undefined;
  latest_charge?: string | ChargeView | null | undefined;
}

export interface ChargeView {
  id: string;
  amount_refunded?: number | undefined;
  payment_intent?: string | { id: string } | null | undefined;
  payment_method_details?: { card?: { brand?: string | null; last4?: string | null } | null } | null | undefined;
}

/** What a PaymentIntent says about an authorisation. */
export type IntentOutcome =
  | { kind: 'authorised'; provider_ref: string; details: Record<string, unknown> }
  | { kind: 'declined'; reason: string }
  /** 3-D Secure: the shopper must visit `redirect_url` (their bank) before the PSP decides. */
  | { kind: 'action_required'; provider_ref: string; redirect_url: string | null }
  /** Stripe has not decided yet (processing), or the shopper has not finished. */
  | { kind: 'undecided'; provider_ref: string };

/** Our payment id travels in the PaymentIntent's metadata under this name (webhooks map back by it). */
export const PAYMENT_ID_METADATA = 'omnia_payment_id';

/** The decline reason Omnia records: the card network's decline code when Stripe gives one. */
export function declineReason(err: { code?: string | null; decline_code?: string | null } | null | undefined): string {
  return err?.decline_code || err?.code || 'card_declined';
}

export function outcomeOf(pi: IntentView): IntentOutcome {
  switch (pi.status) {
    // Manual capture: the money is held and captured at shipment. Automatic capture: already taken;
    // Omnia's capture at shipment then only confirms it (see captureStep).
    case 'requires_capture':
    case 'succeeded':
      return { kind: 'authorised', provider_ref: pi.id, details: detailsOf(pi) };
    case 'requires_action':
      return {
        kind: 'action_required',
        provider_ref: pi.id,
        redirect_url: pi.next_action?.redirect_to_url?.url ?? null,
      };
    case 'requires_payment_method':
      // After a failed confirmation (declined card, failed 3-D Secure) Stripe waits for another card;
      // for this order it is a decline, and the shopper's retry makes a new payment.
      return { kind: 'declined', reason: declineReason(pi.last_payment_error) };
    case 'canceled':
      return { kind: 'declined', reason: pi.last_payment_error ? declineReason(pi.last_payment_error) : 'canceled' };
    default:
      // processing, requires_confirmation: not decided yet.
      return { kind: 'undecided', provider_ref: pi.id };
  }
}

function detailsOf(pi: IntentView): Record<string, unknown> {
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge ? pi.latest_charge : null;
  const card = charge?.payment_method_details?.card;
  return {
    payment_intent: pi.id,
    capture_method: pi.capture_method ?? 'automatic',
    ...(card?.brand ? { brand: card.brand } : {}),
    ...(card?.last4 ? { last4: card.last4 } : {}),
  };
}

/**
 * A shopper who never finishes 3-D Secure leaves the PaymentIntent in requires_action for ever; after
 * `ttlMs` the reconciliation cancels it and the order is cancelled (its stock freed).
 */
export function abandoned(pi: IntentView, nowMs: number, ttlMs: number): boolean {
  return (
    (pi.status === 'requires_action' || pi.status === 'requires_confirmation') && nowMs - pi.created * 1000 > ttlMs
  );
}

/** What a capture of `amount` must do, given the PaymentIntent as Stripe has it now. */
export type CaptureStep =
  | { do: 'capture' }
  /** Captured already: automatic capture, or our own earlier capture whose answer was lost. */
  | { do: 'done' }
  /** Automatic capture took more than Omnia now captures (units cancelled before shipping): give the rest back. */
  | { do: 'refund_excess'; excess: number }
  | { do: 'refuse'; reason: string };

export function captureStep(pi: IntentView, amount: number, alreadyRefunded: number): CaptureStep {
  if (pi.status === 'requires_capture')
    return amount <= (pi.amount_capturable ?? pi.amount)
      ? { do: 'capture' }
      : { do: 'refuse', reason: 'amount_too_large' };
  if (pi.status === 'succeeded') {
    const kept = (pi.amount_received ?? pi.amount) - alreadyRefunded;
    if (amount > kept) return { do: 'refuse', reason: 'amount_too_large' };
    return amount === kept ? { do: 'done' } : { do: 'refund_excess', excess: kept - amount };
  }
  return { do: 'refuse', reason: pi.status === 'canceled' ? 'canceled' : `payment_intent_${pi.status}` };
}

/** What a void must do: cancel an uncaptured PaymentIntent, refund one automatic capture already took. */
export type VoidStep = { do: 'cancel' } | { do: 'done' } | { do: 'refund'; amount: number };
export function voidStep(pi: IntentView, alreadyRefunded: number): VoidStep {
  if (pi.status === 'canceled') return { do: 'done' };
  if (pi.status === 'succeeded') {
    const left = (pi.amount_received ?? pi.amount) - alreadyRefunded;
    return left > 0 ? { do: 'refund', amount: left } : { do: 'done' };
  }
  return { do: 'cancel' };
}

/** The webhook events that settle a pending payment: its PaymentIntent reached a decision. */
export const SETTLING_EVENTS = new Set([
  'payment_intent.succeeded',
  'payment_intent.amount_capturable_updated',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
]);

/** What one verified webhook event asks of Omnia. */
export type WebhookAction =
  | { kind: 'settle'; payment_id: string; payment_intent_id: string; status: string }
  | { kind: 'refunded'; payment_intent_id: string; amount_refunded: number }
  | { kind: 'ignore'; why: string };

export function webhookAction(event: { type: string; data: { object: unknown } }): WebhookAction {
  const obj = event.data.object as Record<string, unknown>;
  if (SETTLING_EVENTS.has(event.type)) {
    const pi = obj as unknown as IntentView;
    const paymentId = pi.metadata?.[PAYMENT_ID_METADATA];
    // A PaymentIntent another system created on the same Stripe account: not ours to settle.
    if (!paymentId) return { kind: 'ignore', why: 'not an Omnia payment' };
    return { kind: 'settle', payment_id: paymentId, payment_intent_id: pi.id, status: pi.status };
  }
  if (event.type === 'charge.refunded') {
    const ch = obj as unknown as ChargeView;
    const pi = typeof ch.payment_intent === 'string' ? ch.payment_intent : ch.payment_intent?.id;
    if (!pi) return { kind: 'ignore', why: 'a charge without a PaymentIntent' };
    return { kind: 'refunded', payment_intent_id: pi, amount_refunded: ch.amount_refunded ?? 0 };
  }
  return { kind: 'ignore', why: `event ${event.type} is not handled` };
}
