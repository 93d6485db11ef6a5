/**
 * The fake Stripe's Checkout Sessions (payment links): create, retrieve (expanding the PaymentIntent),
 * expire, and the hosted payment page's outcome. Stripe's rules that matter here: `expires_at` must be
 * 30 minutes to 24 hours ahead; a session is `open` until paid (`complete`, with a PaymentIntent that
 * holds the money under manual capture, payment_status still `unpaid`) or expired (`expired`, by
 * Stripe at expires_at or by the API); only an open session can be expired; a declined card leaves it
 * open for another try. Events: checkout.session.completed / checkout.session.expired.
 */
import { randomBytes } from 'node:crypto';

// Stripe-fake-api.ts imports this file: its shapes are restated here rather than imported (no cycle).
type Json = Record<string, any>;
type Answer = { status: number; body: Json; events: Json[] };
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export interface CheckoutCtx {
  seconds(): number;
  base(): string;
  intents: Map<string, Json>;
  charges: Map<string, Json>;
  event(type: string, object: Json): Json;
  /** Confirms the session's PaymentIntent with its payment_method (one of the fake's test PaymentMethods). */
  payIntent(pi: Json): { ok: boolean; events: Json[] };
  err(e: Json): Answer;
}

export interface CheckoutSessions {
  sessions: Map<string, Json>;
  route(method: string, path: string, form: Json, expand: string[]): Answer | null;
  /** The shopper on the hosted page pays with `card`: the events, or null when the session is not payable. */
  pay(sessionId: string, card: string): { events: Json[]; successUrl: string | null; paid: boolean } | null;
  /** Stripe's own expiry: every open session whose expires_at has passed (and `ids` now, if given). */
  expire(ids?: string[]): Json[];
}

export function checkoutSessions(c: CheckoutCtx): CheckoutSessions {
  const sessions = new Map<string, Json>();
  const view = (s: Json, expand: string[]): Json => {
    const out = structuredClone(s);
    if (s.payment_intent && expand.some((e) => e.startsWith('payment_intent'))) {
      const pi = structuredClone(c.intents.get(s.payment_intent));
      if (pi?.latest_charge && expand.includes('payment_intent.latest_charge'))
        pi.latest_charge = structuredClone(c.charges.get(pi.latest_charge));
      out.payment_intent = pi ?? null;
    }
    return out;
  };
  const expireOne = (s: Json): Json => {
    s.status = 'expired';
    s.url = null;
    return c.event('checkout.session.expired', s);
  };

  function create(form: Json): Answer {
    const now = c.seconds();
    const expiresAt = form.expires_at ? Number(form.expires_at) : now + 24 * 3600;
    if (!Number.isInteger(expiresAt) || expiresAt < now + 1800 || expiresAt > now + 24 * 3600)
      return c.err({
        status: 400,
        type: 'invalid_request_error',
        code: 'parameter_invalid_integer',
        param: 'expires_at',
        message: 'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
      });
    const item = form.line_items?.[0];
    const amount = Number(item?.price_data?.unit_amount) * Number(item?.quantity ?? 1);
    if (form.mode !== 'payment' || !Number.isInteger(amount) || amount < 1)
      return c.err({
        status: 400,
        type: 'invalid_request_error',
        code: 'parameter_invalid',
        param: 'line_items',
        message: 'A payment-mode session needs line_items with a positive amount.',
      });
    const sid = `cs_test_${randomBytes(16).toString('hex')}`;
    const s: Json = {
      id: sid,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: amount,
      currency: item.price_data.currency,
      client_reference_id: form.client_reference_id ?? null,
      created: now,
      expires_at: expiresAt,
      metadata: form.metadata ?? {},
      payment_intent: null,
      success_url: form.success_url ?? null,
      url: `${c.base()}/pay/${sid}`,
      livemode: false,
      payment_intent_data: form.payment_intent_data ?? {},
    };
    sessions.set(sid, s);
    const out = structuredClone(s);
    delete out.payment_intent_data; // Stripe does not echo it
    return { status: 200, body: out, events: [] };
  }

  return {
    sessions,
    route(method, path, form, expand) {
      if (method === 'POST' && path === '/v1/checkout/sessions') return create(form);
      const m = /^\/v1\/checkout\/sessions\/([^/]+)(?:\/(expire))?$/.exec(path);
      if (!m) return null;
      const s = sessions.get(m[1]!);
      if (!s)
        return c.err({
          status: 404,
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'session',
          message: `No such checkout.session: '${m[1]}'`,
        });
      if (method === 'GET' && !m[2]) return { status: 200, body: view(s, expand), events: [] };
      if (method === 'POST' && m[2] === 'expire') {
        if (s.status !== 'open')
          return c.err({
            status: 400,
            type: 'invalid_request_error',
            code: 'checkout_session_unexpected_state',
            message: `Only Checkout Sessions with a status of open can be expired; this one is ${s.status}.`,
          });
        const e = expireOne(s);
        return { status: 200, body: view(s, expand), events: [e] };
      }
      return null;
    },
    pay(sessionId, card) {
      const s = sessions.get(sessionId);
      if (!s || s.status !== 'open' || c.seconds() >= s.expires_at) return null;
      const pid = s.payment_intent_data ?? {};
      const pi: Json = {
        id: id('pi'),
        object: 'payment_intent',
        amount: s.amount_total,
        amount_capturable: 0,
        amount_received: 0,
        currency: s.currency,
        capture_method: pid.capture_method ?? 'automatic_async',
        created: c.seconds(),
        client_secret: `${id('pi')}_secret_${randomBytes(8).toString('hex')}`,
        livemode: false,
        metadata: pid.metadata ?? {},
        payment_method: card,
        return_url: null,
        status: 'requires_confirmation',
        next_action: null,
        last_payment_error: null,
        latest_charge: null,
        canceled_at: null,
        cancellation_reason: null,
      };
      c.intents.set(pi.id, pi);
      const r = c.payIntent(pi);
      // A declined card: Stripe's page asks for another; the session stays open.
      if (!r.ok) return { events: r.events, successUrl: null, paid: false };
      s.status = 'complete';
      s.payment_intent = pi.id;
      s.payment_status = pi.status === 'succeeded' ? 'paid' : 'unpaid';
      s.url = null;
      return { events: [...r.events, c.event('checkout.session.completed', s)], successUrl: s.success_url, paid: true };
    },
    expire(ids = []) {
      const now = c.seconds();
      return [...sessions.values()]
        .filter((s) => s.status === 'open' && (s.expires_at <= now || ids.includes(s.id)))
        .map(expireOne);
    },
  };
}
