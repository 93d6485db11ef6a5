/**
 * `stripe`: card payments through Stripe's PaymentIntents, with the official SDK. The shopper's card
 * never reaches Omnia: Stripe.js (or the mobile SDK) turns it into a PaymentMethod and checkout sends
 * its id as `payment.token` (`pm_…`).
 *
 *  - authorise: one create+confirm call (`confirm: true`), manual capture by default (the money is
 *    held at checkout and taken at the first shipment or handover, through the state machine's
 *    capture operation); the Idempotency-Key is our payment id. 3-D Secure: the PaymentIntent comes
 *    back `requires_action` with `next_action.redirect_to_url` — the payment stays pending with that
 *    URL on it, and the webhook (or the reconciliation) settles it when the shopper is back.
 *  - retrieve (after a crash or a timeout): the PaymentIntent id if we have it, otherwise the SAME
 *    create replayed under the SAME key (its parameters were stored before the first call), which
 *    Stripe answers with the original PaymentIntent: never a second charge.
 *  - capture, refund, void: the operation id is the Idempotency-Key, so the job's retry of a call
 *    whose answer was lost is answered by Stripe from its first run.
 * A call that gets no answer (timeout, connection, 429 or 5xx after the SDK's own retries) throws:
 * the state machine keeps the payment or operation pending and a job asks again.
 */
import Stripe from 'stripe';
import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { AuthorisePending, AuthoriseResult, PaymentProvider, PaymentRequest, ProviderCall } from '../types.js';
import {
  abandoned,
  captureStep,
  declineReason,
  outcomeOf,
  PAYMENT_ID_METADATA,
  voidStep,
  type ChargeView,
  type IntentOutcome,
  type IntentView,
} from './rules.js';
import * as store from './store.js';

export interface StripeProviderOptions {
  /** `sk_live_…` or `sk_test_…` (OMNIA_STRIPE_SECRET_KEY). */
  secretKey: string;
  db: Executor;
  clock: Clock;
  /** Where the shopper's browser returns after 3-D Secure (OMNIA_STRIPE_RETURN_URL): the shop's page. */
  returnUrl: string;
  /** `manual` (default): authorise at checkout, capture at shipment. `automatic`: charge at checkout. */
  captureMethod?: 'manual' | 'automatic' | undefined;
  /** Another API host (OMNIA_STRIPE_API_URL): the local fake in tests; unset for api.stripe.com. */
  api?: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  /** Per-request timeout given to the SDK (the state machine's deadline still applies). */
  timeoutMs?: number | undefined;
  /** The SDK's own retries (same Idempotency-Key) on connection errors, 409 and 5xx. Default 2. */
  maxNetworkRetries?: number | undefined;
  /** How long a shopper may take over 3-D Secure before the order is given up. Default 30 minutes. */
  actionTtlMs?: number | undefined;
}

/** Stripe keeps an Idempotency-Key 24 hours; past that a replayed create would be a new charge. */
const KEY_LIFETIME_MS = 23 * 3600_000;
const DEFAULT_ACTION_TTL_MS = 30 * 60_000;
const EXPAND = ['latest_charge'];

type Answer = AuthoriseResult | AuthorisePending;

/** A PaymentIntent's outcome as the state machine's answer (the link provider maps its intents with it too). */
export function intentAnswer(o: IntentOutcome): Answer {
  switch (o.kind) {
    case 'authorised':
      return { ok: true, provider_ref: o.provider_ref, details: o.details };
    case 'declined':
      return { ok: false, reason: o.reason };
    case 'action_required':
      return {
        pending: true,
        provider_ref: o.provider_ref,
        next_action: o.redirect_url ? { type: 'redirect_to_url', redirect_url: o.redirect_url } : null,
      };
    case 'undecided':
      return { pending: true, provider_ref: o.provider_ref, next_action: null };
  }
}

/** Stops waiting when the deadline passes (the SDK takes no AbortSignal); the call's outcome is then unknown. */
export function within<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e as Error)),
    );
  });
}

const isCardError = (e: unknown): e is Stripe.errors.StripeCardError => e instanceof Stripe.errors.StripeCardError;
/** Stripe refused the request itself (bad key, no permission, invalid parameters): it did nothing. */
export const isRefusal = (e: unknown): e is Stripe.errors.StripeError =>
  e instanceof Stripe.errors.StripeInvalidRequestError ||
  e instanceof Stripe.errors.StripeAuthenticationError ||
  e instanceof Stripe.errors.StripePermissionError;

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly client: Stripe;
  private readonly captureMethod: 'manual' | 'automatic';
  private readonly actionTtlMs: number;

  constructor(private readonly opts: StripeProviderOptions) {
    this.client = new Stripe(opts.secretKey, {
      maxNetworkRetries: opts.maxNetworkRetries ?? 2,
      timeout: opts.timeoutMs ?? 10_000,
      ...(opts.api ? { host: opts.api.host, port: opts.api.port, protocol: opts.api.protocol } : {}),
      appInfo: { name: 'omnia' },
    });
    this.captureMethod = opts.captureMethod ?? 'manual';
    this.actionTtlMs = opts.actionTtlMs ?? DEFAULT_ACTION_TTL_MS;
  }

  validate(request: PaymentRequest): { field: string; reason: string } | null {
    if (request.card_number)
      return {
        field: 'payment/card_number',
        reason: 'card_numbers_are_not_accepted: send the PaymentMethod id from Stripe.js as payment/token',
      };
    if (!request.token || !/^pm_[A-Za-z0-9_]{1,200}$/.test(request.token))
      return { field: 'payment/token', reason: 'a Stripe PaymentMethod id (pm_…) is required' };
    return null;
  }

  async authorise(
    input: { amount: number; currency: string; reference: string; request: PaymentRequest },
    call: ProviderCall,
  ): Promise<Answer> {
    const params: Stripe.PaymentIntentCreateParams = {
      amount: input.amount,
      currency: input.currency.toLowerCase(),
      payment_method: input.request.token!,
      allowed_payment_method_types: ['card'],
      confirm: true,
      capture_method: this.captureMethod,
      return_url: this.opts.returnUrl,
      metadata: { [PAYMENT_ID_METADATA]: call.idempotency_key, omnia_order_id: input.reference },
      expand: EXPAND,
    };
    // The intent before the call: a crash after Stripe answered must still find this PaymentIntent.
    await store.rememberCreate(this.opts.db, call.idempotency_key, params, this.opts.clock.now());
    return intentAnswer(await this.create(call.idempotency_key, params, call.signal));
  }

  async retrieve(key: string): Promise<Answer | null> {
    const row = await store.getIntent(this.opts.db, key);
    if (!row) return null; // never sent: we write the row before the first call
    let outcome: IntentOutcome;
    let pi: IntentView | null = null;
    if (row.payment_intent_id) {
      pi = (await this.client.paymentIntents.retrieve(row.payment_intent_id, { expand: EXPAND })) as IntentView;
      outcome = outcomeOf(pi);
    } else if (this.opts.clock.now().getTime() - row.created_at.getTime() < KEY_LIFETIME_MS) {
      outcome = await this.create(
        key,
        JSON.parse(row.params) as Stripe.PaymentIntentCreateParams,
        undefined,
        (x) => (pi = x),
      );
    } else {
      // Past the key's lifetime a replay would charge again: look the PaymentIntent up by our id.
      const found = await this.client.paymentIntents.search({
        query: `metadata['${PAYMENT_ID_METADATA}']:'${key}'`,
        expand: ['data.latest_charge'],
      });
      const hit = found.data[0] as IntentView | undefined;
      if (!hit) return null;
      pi = hit;
      outcome = outcomeOf(hit);
    }
    const current = pi as IntentView | null;
    if (current && abandoned(current, this.opts.clock.now().getTime(), this.actionTtlMs)) {
      try {
        await this.client.paymentIntents.cancel(
          current.id,
          { cancellation_reason: 'abandoned' },
          { idempotencyKey: `${key}:abandon` },
        );
        return { ok: false, reason: 'authentication_abandoned' };
      } catch (e) {
        if (!isRefusal(e)) throw e;
        // The shopper finished just now (it is no longer cancellable): what it became decides.
        const again = (await this.client.paymentIntents.retrieve(current.id, { expand: EXPAND })) as IntentView;
        return intentAnswer(outcomeOf(again));
      }
    }
    return intentAnswer(outcome);
  }

  async capture(
    ref: string,
    amount: number,
    call: ProviderCall,
  ): Promise<{ ok: true } | { ok: false; reason: string }> {
    const pi = await within(this.intent(ref), call.signal);
    const step = captureStep(pi, amount, refundedOf(pi));
    try {
      if (step.do === 'refuse') return { ok: false, reason: step.reason };
      if (step.do === 'capture')
        await within(
          this.client.paymentIntents.capture(
            ref,
            { amount_to_capture: amount },
            { idempotencyKey: call.idempotency_key },
          ),
          call.signal,
        );
      if (step.do === 'refund_excess')
        await within(
          this.client.refunds.create(
            {
              payment_intent: ref,
              amount: step.excess,
              metadata: { omnia_operation_id: call.idempotency_key, why: 'captured_less_than_charged' },
            },
            { idempotencyKey: call.idempotency_key },
          ),
          call.signal,
        );
      return { ok: true };
    } catch (e) {
      if (isCardError(e) || isRefusal(e)) return { ok: false, reason: declineReason(e) };
      throw e;
    }
  }

  async refund(ref: string, amount: number, call: ProviderCall): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await within(
        this.client.refunds.create(
          { payment_intent: ref, amount, metadata: { omnia_operation_id: call.idempotency_key } },
          { idempotencyKey: call.idempotency_key },
        ),
        call.signal,
      );
      return { ok: true };
    } catch (e) {
      if (isCardError(e) || isRefusal(e)) return { ok: false, reason: declineReason(e) };
      throw e;
    }
  }

  async void(ref: string, call: ProviderCall): Promise<void> {
    if (!ref) return; // never reached Stripe
    const pi = await within(this.intent(ref), call.signal);
    const step = voidStep(pi, refundedOf(pi));
    if (step.do === 'cancel')
      await within(this.client.paymentIntents.cancel(ref, {}, { idempotencyKey: call.idempotency_key }), call.signal);
    else if (step.do === 'refund')
      await within(
        this.client.refunds.create(
          { payment_intent: ref, amount: step.amount, metadata: { omnia_operation_id: call.idempotency_key } },
          { idempotencyKey: call.idempotency_key },
        ),
        call.signal,
      );
  }

  private async intent(id: string): Promise<IntentView> {
    return (await this.client.paymentIntents.retrieve(id, { expand: EXPAND })) as IntentView;
  }

  /**
   * The create+confirm call, or its replay under the same key. A declined card is Stripe's 402 with
   * the PaymentIntent in the error; a request Stripe refused outright (no such PaymentMethod, a bad
   * key) created nothing and is a decline too. Anything else (no answer) throws.
   */
  private async create(
    key: string,
    params: Stripe.PaymentIntentCreateParams,
    signal: AbortSignal | undefined,
    seen?: (pi: IntentView) => void,
  ): Promise<IntentOutcome> {
    const at = () => this.opts.clock.now();
    try {
      const pi = (await within(
        this.client.paymentIntents.create(params, { idempotencyKey: key }),
        signal,
      )) as IntentView;
      seen?.(pi);
      await store.noteIntent(this.opts.db, key, pi.id, pi.status, at());
      return outcomeOf(pi);
    } catch (e) {
      if (isCardError(e)) {
        if (e.payment_intent) {
          await store.noteIntent(this.opts.db, key, e.payment_intent.id, e.payment_intent.status, at());
          const o = outcomeOf(e.payment_intent as IntentView);
          if (o.kind === 'declined') return o;
        }
        return { kind: 'declined', reason: declineReason(e) };
      }
      if (isRefusal(e))
        return {
          kind: 'declined',
          reason: e.param === 'payment_method' ? 'invalid_payment_method' : (e.code ?? 'refused_by_provider'),
        };
      throw e;
    }
  }
}

function refundedOf(pi: IntentView): number {
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge ? (pi.latest_charge as ChargeView) : null;
  return charge?.amount_refunded ?? 0;
}
