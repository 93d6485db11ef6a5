/**
 * A local Stripe for the connector's tests (node:http): the form-encoded API the official SDK sends
 * for PaymentIntents and refunds, answered in Stripe's JSON shapes, with Stripe's rules that matter
 * here — the secret key is checked, an Idempotency-Key replays the first answer (and refuses other
 * parameters under the same key), a declined card is a 402 card_error carrying the PaymentIntent,
 * a 3-D Secure card leaves it `requires_action` with a redirect URL served by this fake (visiting it
 * is the shopper passing or failing the challenge) — and signed webhooks sent to Omnia
 * (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, t + '.' + body)`). Faults can be injected: a 429 or
 * 5xx before a request is processed, or an answer held back after it was processed (a timeout).
 * The objects and their rules are in stripe-fake-api.ts (with the test PaymentMethods).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { id, parseForm, stripeApi, type Json } from './stripe-fake-api.js';

export { parseForm };

export interface Fault {
  /** Which requests (default: every API request), by method, path and form body. */
  match?: (method: string, path: string, body: string) => boolean;
  /** Answer this status before processing (429, 500, 503). */
  status?: number;
  /** Ask the SDK to retry (Stripe-Should-Retry: true), as Stripe does for a lock timeout. */
  shouldRetry?: boolean;
  /** Process the request, then hold the answer this long (the caller times out; the work is done). */
  delayMs?: number;
  times: number;
}

export interface StripeFakeOptions {
  secretKey: string;
  webhookSecret: string;
  /** Where webhooks go: the test hands them to Omnia (by HTTP or inject). Returns the HTTP status. */
  deliver?: (payload: string, signature: string) => Promise<number>;
  /** The fake's time (seconds in objects, the signature's t=): share the test's clock. */
  now?: () => Date;
}

export interface StripeFake {
  url: string;
  port: number;
  intents: Map<string, Json>;
  charges: Map<string, Json>;
  refunds: Json[];
  events: Json[];
  /** Every API call: method, path, idempotency key, whether it was a replay. */
  calls: { method: string; path: string; key: string | null; replayed: boolean; status: number }[];
  faults: Fault[];
  /** Deliver a decided PaymentIntent's webhook BEFORE answering the API call that decided it. */
  webhookBeforeAnswer: boolean;
  /** Send webhooks automatically (default true). */
  autoWebhooks: boolean;
  /** Webhook deliveries: the event id and Omnia's status. */
  deliveries: { event: string; type: string; status: number }[];
  sign(payload: string, at?: Date, secret?: string): string;
  /** Sends (or re-sends) an event to Omnia, signed. */
  deliver(event: Json): Promise<number>;
  /** Checkout Sessions (payment links) by id. */
  sessions: Map<string, Json>;
  /**
   * The shopper opens a payment link (a session's `url`) and pays with `card` (default pm_card_visa):
   * the fake's hosted page, as a browser would; webhooks go before it answers. Returns the HTTP status
   * (302 to the success_url when paid, 402 declined, 410 when the link no longer takes payment).
   */
  payLink(url: string, card?: string): Promise<number>;
  /** Stripe's own expiry: every open session past its expires_at (and `ids` now), webhooks sent and awaited. */
  expireSessions(ids?: string[]): Promise<void>;
  /** The shopper at the 3-D Secure page: passes or fails; returns where the browser is sent. */
  challenge(intentId: string, pass: boolean): Promise<string>;
  /** Waits for webhooks sent after an answer. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startStripeFake(opts: StripeFakeOptions): Promise<StripeFake> {
  const now = opts.now ?? (() => new Date());
  const idem = new Map<string, { fingerprint: string; status: number; body: string }>();
  const pending: Promise<unknown>[] = [];
  let base = '';
  const api = stripeApi(now, () => base);

  const fake: StripeFake = {
    url: '',
    port: 0,
    intents: api.intents,
    charges: api.charges,
    refunds: api.refunds,
    events: api.events,
    calls: [],
    faults: [],
    webhookBeforeAnswer: false,
    autoWebhooks: true,
    deliveries: [],
    sign(payload, at = now(), secret = opts.webhookSecret) {
      const t = Math.floor(at.getTime() / 1000);
      const v1 = createHmac('sha256', secret).update(`${t}.${payload}`).digest('hex');
      return `t=${t},v1=${v1}`;
    },
    async deliver(event) {
      if (!opts.deliver) return 0;
      const payload = JSON.stringify(event, null, 2);
      const status = await opts.deliver(payload, fake.sign(payload));
      fake.deliveries.push({ event: event.id, type: event.type, status });
      return status;
    },
    sessions: api.checkout.sessions,
    async payLink(url, card = 'pm_card_visa') {
      const res = await fetch(`${url}?card=${encodeURIComponent(card)}`, { redirect: 'manual' });
      return res.status;
    },
    async expireSessions(ids) {
      await dispatch(api.checkout.expire(ids), true);
    },
    async challenge(intentId, pass) {
      const res = await fetch(`${base}/3ds/${intentId}?result=${pass ? 'pass' : 'fail'}`, { redirect: 'manual' });
      return res.headers.get('location') ?? '';
    },
    async idle() {
      while (pending.length) await Promise.allSettled(pending.splice(0));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers });
    res.end(body);
  };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';

    // The 3-D Secure page: the shopper passes or fails, and the browser goes back to the shop.
    const challenge = /^\/3ds\/([^/]+)$/.exec(u.pathname);
    if (challenge) {
      const r = api.challenge(challenge[1]!, u.searchParams.get('result') === 'pass');
      if (!r) return send(res, 404, '{}');
      await dispatch(r.events, true);
      res.writeHead(302, { location: `${r.returnUrl ?? base}?payment_intent=${challenge[1]}` });
      return void res.end();
    }

    // The hosted payment page of a link: paying completes the session (webhooks before the redirect).
    const link = /^\/pay\/([^/]+)$/.exec(u.pathname);
    if (link) {
      const r = api.checkout.pay(link[1]!, u.searchParams.get('card') ?? 'pm_card_visa');
      if (!r) return send(res, 410, '{"error":"this link no longer takes payment"}');
      await dispatch(r.events, true);
      if (!r.paid) return send(res, 402, '{"error":"card declined"}');
      res.writeHead(302, { location: r.successUrl ?? base });
      return void res.end();
    }
    if (req.headers.authorization !== `Bearer ${opts.secretKey}`)
      return send(
        res,
        401,
        JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }),
      );
    const fault = fake.faults.find((f) => f.times > 0 && (f.match?.(method, u.pathname, raw) ?? true));
    if (fault) fault.times--;
    if (fault?.status) {
      fake.calls.push({ method, path: u.pathname, key: null, replayed: false, status: fault.status });
      const type = fault.status === 429 ? 'rate_limit_error' : 'api_error';
      return send(
        res,
        fault.status,
        JSON.stringify({ error: { type, message: 'Injected fault' } }),
        fault.shouldRetry ? { 'stripe-should-retry': 'true' } : {},
      );
    }

    const key = method === 'POST' ? ((req.headers['idempotency-key'] as string | undefined) ?? null) : null;
    const fingerprint = `${method} ${u.pathname} ${raw}`;
    const seen = key ? idem.get(key) : undefined;
    if (seen) {
      const same = seen.fingerprint === fingerprint;
      fake.calls.push({ method, path: u.pathname, key, replayed: same, status: same ? seen.status : 400 });
      if (!same)
        return send(
          res,
          400,
          JSON.stringify({
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          }),
        );
      return send(res, seen.status, seen.body, { 'idempotent-replayed': 'true', 'idempotency-key': key! });
    }
    const answer = api.route(method, u.pathname, method === 'POST' ? parseForm(raw) : {}, u.searchParams);
    const body = JSON.stringify(answer.body);
    // Stripe stores the outcome of a processed request (a 402 decline too) for its key; a 5xx is not stored.
    if (key && answer.status < 500) idem.set(key, { fingerprint, status: answer.status, body });
    fake.calls.push({ method, path: u.pathname, key, replayed: false, status: answer.status });
    // Whether and when webhooks go is decided now, when Stripe does the work (not after a held answer).
    const events = fake.autoWebhooks ? answer.events : [];
    if (fake.webhookBeforeAnswer) await dispatch(events, true);
    if (fault?.delayMs) await wait(fault.delayMs);
    send(res, answer.status, body, key ? { 'idempotency-key': key } : {});
    if (!fake.webhookBeforeAnswer) void dispatch(events, false);
  }

  async function dispatch(events: Json[], awaitIt: boolean): Promise<void> {
    if (!fake.autoWebhooks || !opts.deliver) return;
    const run = (async () => {
      for (const e of events) await fake.deliver(e);
    })();
    pending.push(run);
    if (awaitIt) await run;
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((e: unknown) =>
      send(res, 500, JSON.stringify({ error: { type: 'api_error', message: String(e) } })),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.port = (server.address() as AddressInfo).port;
  base = fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}
