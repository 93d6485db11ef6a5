/**
 * The fake Stripe's objects and their rules: PaymentIntents, charges, refunds and the events they
 * cause, in Stripe's JSON shapes (see stripe-fake.ts for the HTTP side: keys, idempotency, faults,
 * webhooks). Test PaymentMethods (Stripe's own test names):
 *   pm_card_visa, pm_card_mastercard              → authorised
 *   pm_card_visa_chargeDeclined                   → declined (card_declined / generic_decline)
 *   pm_card_visa_chargeDeclinedInsufficientFunds  → declined (insufficient_funds)
 *   pm_card_authenticationRequired                → 3-D Secure required (requires_action)
 *   anything else                                 → 400 resource_missing on payment_method
 */
import { randomBytes } from 'node:crypto';
import { checkoutSessions, type CheckoutSessions } from './stripe-fake-checkout.js';

export type Json = Record<string, any>;

const CARDS: Record<string, { brand: string; last4: string; outcome: 'ok' | '3ds' | string }> = {
  pm_card_visa: { brand: 'visa', last4: '4242', outcome: 'ok' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', outcome: 'ok' },
  pm_card_visa_chargeDeclined: { brand: 'visa', last4: '0002', outcome: 'generic_decline' },
  pm_card_visa_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995', outcome: 'insufficient_funds' },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', outcome: '3ds' },
};

/** qs-style form fields (`metadata[k]=v`, `expand[0]=x`) to nested objects and arrays. */
export function parseForm(body: string): Json {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replace(/\]/g, '').split('[');
    let node: any = out;
    path.forEach((seg, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]!);
      const key = seg === '' && Array.isArray(node) ? node.length : seg;
      if (last) node[key] = value;
      else node = node[key] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}
export const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export type Answer = { status: number; body: Json; events: Json[] };

export interface StripeApi {
  intents: Map<string, Json>;
  charges: Map<string, Json>;
  refunds: Json[];
  events: Json[];
  /** One API request, decided: the answer and the events it causes. */
  route(method: string, path: string, form: Json, query: URLSearchParams): Answer;
  /** Checkout Sessions (payment links): see stripe-fake-checkout.ts. */
  checkout: CheckoutSessions;
  /** The shopper at the 3-D Secure page passes or fails: the events, or null when nothing waits. */
  challenge(intentId: string, pass: boolean): { events: Json[]; returnUrl: string | null } | null;
}

export function stripeApi(now: () => Date, base: () => string): StripeApi {
  const seconds = () => Math.floor(now().getTime() / 1000);
  const fake = {
    intents: new Map<string, Json>(),
    charges: new Map<string, Json>(),
    refunds: [] as Json[],
    events: [] as Json[],
  };
  const event = (type: string, object: Json): Json => {
    const e = {
      id: id('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: seconds(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: structuredClone(object) },
    };
    fake.events.push(e);
    return e;
  };

  const view = (pi: Json, expand: string[]): Json => {
    const out = structuredClone(pi);
    if (expand.includes('latest_charge') && pi.latest_charge) out.latest_charge = fake.charges.get(pi.latest_charge);
    return out;
  };

  /** Decides a confirmation: the card's outcome moves the PaymentIntent; returns the events it causes. */
  function confirm(pi: Json): { error?: Json; events: Json[] } {
    const card = CARDS[pi.payment_method];
    if (!card)
      return {
        error: {
          status: 400,
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'payment_method',
          message: `No such PaymentMethod: '${pi.payment_method}'`,
        },
        events: [],
      };
    if (card.outcome === '3ds') {
      pi.status = 'requires_action';
      pi.next_action = {
        type: 'redirect_to_url',
        redirect_to_url: { url: `${base()}/3ds/${pi.id}`, return_url: pi.return_url ?? null },
      };
      return { events: [event('payment_intent.requires_action', pi)] };
    }
    if (card.outcome !== 'ok') return decline(pi, 'card_declined', card.outcome);
    return authorise(pi, card);
  }
  function decline(pi: Json, code: string, declineCode: string | null): { error: Json; events: Json[] } {
    pi.status = 'requires_payment_method';
    pi.next_action = null;
    pi.last_payment_error = { type: 'card_error', code, decline_code: declineCode, message: 'Your card was declined.' };
    return {
      error: { status: 402, ...pi.last_payment_error, payment_intent: structuredClone(pi) },
      events: [event('payment_intent.payment_failed', pi)],
    };
  }
  function authorise(pi: Json, card: { brand: string; last4: string }): { events: Json[] } {
    const charge = {
      id: id('ch'),
      object: 'charge',
      amount: pi.amount,
      amount_captured: 0,
      amount_refunded: 0,
      captured: false,
      refunded: false,
      currency: pi.currency,
      payment_intent: pi.id,
      status: 'succeeded',
      payment_method_details: { type: 'card', card: { brand: card.brand, last4: card.last4 } },
    };
    fake.charges.set(charge.id, charge);
    pi.latest_charge = charge.id;
    pi.next_action = null;
    pi.last_payment_error = null;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      return { events: [event('payment_intent.amount_capturable_updated', pi)] };
    }
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    charge.amount_captured = pi.amount;
    charge.captured = true;
    return { events: [event('payment_intent.succeeded', pi)] };
  }

  type Answer = { status: number; body: Json; events: Json[] };
  const err = (e: Json): Answer => {
    const { status, ...error } = e;
    return { status: status as number, body: { error }, events: [] };
  };
  const state = (pi: Json, action: string) =>
    err({
      status: 400,
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: `You cannot ${action} this PaymentIntent because it has a status of ${pi.status}.`,
      payment_intent: structuredClone(pi),
    });

  const checkout = checkoutSessions({
    seconds,
    base,
    intents: fake.intents,
    charges: fake.charges,
    event,
    err,
    payIntent(pi) {
      const r = confirm(pi);
      return { ok: !r.error && ['requires_capture', 'succeeded'].includes(pi.status), events: r.events };
    },
  });

  function route(method: string, path: string, form: Json, query: URLSearchParams): Answer {
    const expand: string[] = [
      ...(form.expand ?? []),
      ...[...query.entries()].filter(([k]) => k.startsWith('expand')).map(([, v]) => v),
    ];
    const session = checkout.route(method, path, form, expand);
    if (session) return session;
    if (method === 'POST' && path === '/v1/payment_intents') {
      const pi: Json = {
        id: id('pi'),
        object: 'payment_intent',
        amount: Number(form.amount),
        amount_capturable: 0,
        amount_received: 0,
        currency: form.currency,
        capture_method: form.capture_method ?? 'automatic_async',
        confirmation_method: 'automatic',
        created: seconds(),
        client_secret: `${id('pi')}_secret_${randomBytes(8).toString('hex')}`,
        livemode: false,
        metadata: form.metadata ?? {},
        payment_method: form.payment_method ?? null,
        return_url: form.return_url ?? null,
        status: 'requires_confirmation',
        next_action: null,
        last_payment_error: null,
        latest_charge: null,
        canceled_at: null,
        cancellation_reason: null,
      };
      if (!Number.isInteger(pi.amount) || pi.amount < 1)
        return err({
          status: 400,
          type: 'invalid_request_error',
          code: 'parameter_invalid_integer',
          param: 'amount',
          message: 'Invalid integer',
        });
      if (pi.payment_method && !CARDS[pi.payment_method])
        return err({
          status: 400,
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'payment_method',
          message: `No such PaymentMethod: '${pi.payment_method}'`,
        });
      fake.intents.set(pi.id, pi);
      const created = event('payment_intent.created', pi);
      if (form.confirm !== 'true') return { status: 200, body: view(pi, expand), events: [created] };
      const r = confirm(pi);
      if (r.error) return { ...err(r.error), events: [created, ...r.events] };
      return { status: 200, body: view(pi, expand), events: [created, ...r.events] };
    }
    if (method === 'GET' && path === '/v1/payment_intents/search') {
      const m = /metadata\['([^']+)'\]:'([^']+)'/.exec(query.get('query') ?? '');
      const data = m ? [...fake.intents.values()].filter((pi) => pi.metadata?.[m[1]!] === m[2]) : [];
      return {
        status: 200,
        body: {
          object: 'search_result',
          data: data.map((pi) => view(pi, ['latest_charge'])),
          has_more: false,
          next_page: null,
          url: '/v1/payment_intents/search',
        },
        events: [],
      };
    }
    const m = /^\/v1\/payment_intents\/([^/]+)(?:\/(confirm|capture|cancel))?$/.exec(path);
    if (m) {
      const pi = fake.intents.get(m[1]!);
      if (!pi)
        return err({
          status: 404,
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'intent',
          message: `No such payment_intent: '${m[1]}'`,
        });
      const action = m[2];
      if (method === 'GET' && !action) return { status: 200, body: view(pi, expand), events: [] };
      if (method === 'POST' && action === 'confirm') {
        if (!['requires_confirmation', 'requires_payment_method'].includes(pi.status)) return state(pi, 'confirm');
        if (form.payment_method) pi.payment_method = form.payment_method;
        const r = confirm(pi);
        return r.error
          ? { ...err(r.error), events: r.events }
          : { status: 200, body: view(pi, expand), events: r.events };
      }
      if (method === 'POST' && action === 'capture') {
        if (pi.status !== 'requires_capture') return state(pi, 'capture');
        const amount = form.amount_to_capture ? Number(form.amount_to_capture) : pi.amount_capturable;
        if (amount > pi.amount_capturable)
          return err({
            status: 400,
            type: 'invalid_request_error',
            code: 'amount_too_large',
            param: 'amount_to_capture',
            message: 'The amount to capture is larger than the amount capturable.',
          });
        const charge = fake.charges.get(pi.latest_charge)!;
        pi.status = 'succeeded';
        pi.amount_received = amount;
        pi.amount_capturable = 0;
        charge.amount_captured = amount;
        charge.captured = true;
        return { status: 200, body: view(pi, expand), events: [event('payment_intent.succeeded', pi)] };
      }
      if (method === 'POST' && action === 'cancel') {
        if (['succeeded', 'canceled'].includes(pi.status)) return state(pi, 'cancel');
        pi.status = 'canceled';
        pi.amount_capturable = 0;
        pi.next_action = null;
        pi.canceled_at = seconds();
        pi.cancellation_reason = form.cancellation_reason ?? null;
        return { status: 200, body: view(pi, expand), events: [event('payment_intent.canceled', pi)] };
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const pi = fake.intents.get(form.payment_intent);
      if (!pi)
        return err({
          status: 404,
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'payment_intent',
          message: 'No such payment_intent',
        });
      const charge = pi.latest_charge ? fake.charges.get(pi.latest_charge) : undefined;
      if (pi.status !== 'succeeded' || !charge)
        return err({
          status: 400,
          type: 'invalid_request_error',
          code: 'charge_not_captured',
          message: 'This PaymentIntent has no captured charge to refund.',
        });
      const left = charge.amount_captured - charge.amount_refunded;
      const amount = form.amount ? Number(form.amount) : left;
      if (left === 0)
        return err({
          status: 400,
          type: 'invalid_request_error',
          code: 'charge_already_refunded',
          message: 'Charge has already been refunded.',
        });
      if (amount > left)
        return err({
          status: 400,
          type: 'invalid_request_error',
          code: 'amount_too_large',
          param: 'amount',
          message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
        });
      const refund = {
        id: id('re'),
        object: 'refund',
        amount,
        charge: charge.id,
        payment_intent: pi.id,
        currency: pi.currency,
        status: 'succeeded',
        metadata: form.metadata ?? {},
        created: seconds(),
      };
      fake.refunds.push(refund);
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded === charge.amount_captured;
      return { status: 200, body: refund, events: [event('charge.refunded', charge)] };
    }
    return err({
      status: 404,
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path})`,
    });
  }

  return {
    ...fake,
    checkout,
    route,
    challenge(intentId, pass) {
      const pi = fake.intents.get(intentId);
      if (!pi || pi.status !== 'requires_action') return null;
      const r = pass
        ? authorise(pi, CARDS[pi.payment_method]!)
        : decline(pi, 'payment_intent_authentication_failure', null);
      return { events: r.events, returnUrl: pi.return_url ?? null };
    },
  };
}
