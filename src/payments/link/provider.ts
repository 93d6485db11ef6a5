/**
 * `stripe_link`: payment by link, for orders an agent places for a customer (issue 14 point 8). The
 * authorisation creates a Stripe Checkout Session (mode `payment`, manual capture) whose `url` is the
 * link; the payment stays `pending` with that link on it (`next_action.type = payment_link`), the
 * shopper gets it by e-mail (`payment.link_sent`, sent after commit by notifications), and the
 * session's webhook (`checkout.session.completed` / `.expired`) or the reconciliation settles it by
 * retrieving the session: paid → authorised (the PaymentIntent it made becomes the payment's
 * provider_ref, so capture, refund and void are the card provider's own calls); expired → declined
 * `payment_link_expired`, which cancels the order and frees its stock like any declined payment.
 *
 * A provider of its own rather than an option of `stripe`: the channel rule (`providerAllowed`) and the
 * agent's choice name providers, and it validates differently (no PaymentMethod). It adds no state:
 * pending → authorized | declined | failed is still decided by the one table in ../rules.ts, through
 * the same PaymentsService calls as a 3-D Secure card.
 *
 * Idempotency as for PaymentIntents: the create's parameters (expires_at included) are stored before
 * the call, the Idempotency-Key is our payment id, and a lost answer is found by replaying the SAME
 * create under the SAME key — one session, one link, whatever the retries.
 */
import Stripe from 'stripe';
import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import type { AuthorisePending, AuthoriseResult, PaymentProvider, PaymentRequest, ProviderCall } from '../types.js';
import { intentAnswer, isRefusal, within, type StripeProvider } from '../stripe/provider.js';
import { PAYMENT_ID_METADATA } from '../stripe/rules.js';
import { linkExpiry, sessionOutcome, type SessionOutcome, type SessionView } from './rules.js';
import * as store from './store.js';

export interface StripeLinkOptions {
  /** The card provider: its Stripe client, and its capture, refund and void on the PaymentIntent. */
  cards: StripeProvider;
  db: Executor;
  clock: Clock;
  /** Where the shopper's browser lands after paying (OMNIA_STRIPE_RETURN_URL). */
  returnUrl: string;
  /** How long a link stays payable; clamped to Stripe's 30 min – 24 h. Default 24 hours. */
  ttlMs?: number | undefined;
}

/** Stripe keeps an Idempotency-Key 24 hours; past that a replayed create would make a second link. */
const KEY_LIFETIME_MS = 23 * 3600_000;
const DEFAULT_TTL_MS = 24 * 3600_000;
const EXPAND = ['payment_intent', 'payment_intent.latest_charge'];

type Answer = AuthoriseResult | AuthorisePending;

function toAnswer(o: Exclude<SessionOutcome, { kind: 'expire' }>): Answer {
  if (o.kind === 'link') return { pending: true, provider_ref: o.provider_ref, next_action: o.action };
  // Paid through a link: the card's answer, marked so the order shows how it was paid.
  if (o.kind === 'authorised')
    return { ok: true, provider_ref: o.provider_ref, details: { ...o.details, via: 'payment_link' } };
  return intentAnswer(o);
}

export class StripeLinkProvider implements PaymentProvider {
  readonly name = 'stripe_link';
  private readonly client: Stripe;
  private readonly ttlMs: number;

  constructor(private readonly opts: StripeLinkOptions) {
    this.client = opts.cards.client;
    this.ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  }

  validate(request: PaymentRequest): { field: string; reason: string } | null {
    // The shopper pays on Stripe's page: no card detail is ever given to the agent or to Omnia.
    if (request.card_number || request.token)
      return { field: 'payment', reason: 'a payment link takes no card details: the shopper pays on the link' };
    return null;
  }

  async authorise(
    input: { amount: number; currency: string; reference: string; request: PaymentRequest },
    call: ProviderCall,
  ): Promise<Answer> {
    const now = this.opts.clock.now();
    const expiresAt = linkExpiry(now.getTime(), this.ttlMs);
    const metadata = { [PAYMENT_ID_METADATA]: call.idempotency_key, omnia_order_id: input.reference };
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: input.currency.toLowerCase(),
            unit_amount: input.amount,
            product_data: { name: `Order ${input.reference}` },
          },
        },
      ],
      // Held at payment, taken at the first shipment or handover (the state machine's capture).
      payment_intent_data: { capture_method: 'manual', metadata },
      metadata,
      client_reference_id: input.reference,
      expires_at: expiresAt,
      success_url: this.opts.returnUrl,
    };
    // The intent before the call: a crash after Stripe answered must still find this session.
    await store.rememberCreate(this.opts.db, call.idempotency_key, params, new Date(expiresAt * 1000), now);
    try {
      const s = await within(
        this.client.checkout.sessions.create(params, { idempotencyKey: call.idempotency_key }),
        call.signal,
      );
      return this.answer(call.idempotency_key, s as unknown as SessionView);
    } catch (e) {
      if (isRefusal(e)) return { ok: false, reason: e.code ?? 'refused_by_provider' };
      throw e;
    }
  }

  async retrieve(key: string): Promise<Answer | null> {
    const row = await store.getSession(this.opts.db, key);
    if (!row) return null; // never sent: we write the row before the first call
    let s: SessionView;
    if (row.session_id) s = await this.session(row.session_id);
    else if (this.opts.clock.now().getTime() - row.created_at.getTime() < KEY_LIFETIME_MS) {
      const replayed = (await this.client.checkout.sessions.create(
        JSON.parse(row.params) as Stripe.Checkout.SessionCreateParams,
        { idempotencyKey: key },
      )) as unknown as SessionView;
      s = replayed.status === 'complete' ? await this.session(replayed.id) : replayed;
    } else {
      // The key is gone and no answer or webhook ever named the session: Stripe never made one we know
      // of (a session lives at most 24 h, and a paid one's webhook names it).
      return null;
    }
    return this.answer(key, s);
  }

  capture(ref: string, amount: number, call: ProviderCall) {
    return this.opts.cards.capture(ref, amount, call);
  }
  refund(ref: string, amount: number, call: ProviderCall) {
    return this.opts.cards.refund(ref, amount, call);
  }
  void(ref: string, call: ProviderCall) {
    return this.opts.cards.void(ref, call);
  }

  private async session(id: string): Promise<SessionView> {
    return (await this.client.checkout.sessions.retrieve(id, { expand: EXPAND })) as unknown as SessionView;
  }

  /** Records what Stripe said of the session and answers the state machine; expires a link past its time. */
  private async answer(key: string, s: SessionView): Promise<Answer> {
    let outcome = sessionOutcome(s, this.opts.clock.now().getTime());
    if (outcome.kind === 'expire') {
      try {
        s = (await this.client.checkout.sessions.expire(
          s.id,
          {},
          { idempotencyKey: `${key}:expire` },
        )) as unknown as SessionView;
      } catch (e) {
        if (!isRefusal(e)) throw e;
        // Paid just now (a complete session cannot be expired): what it became decides.
        s = await this.session(s.id);
      }
      outcome = sessionOutcome(s, Number.NEGATIVE_INFINITY);
      if (outcome.kind === 'expire') return { pending: true, provider_ref: s.id, next_action: null };
    }
    const pi = typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null);
    await store.noteSession(
      this.opts.db,
      key,
      { session_id: s.id, status: s.status ?? 'open', url: s.url ?? null, payment_intent_id: pi },
      this.opts.clock.now(),
    );
    return toAnswer(outcome);
  }
}
