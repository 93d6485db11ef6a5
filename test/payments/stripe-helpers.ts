/** An Omnia test app paying through Stripe's PaymentIntents on the local fake, and a shop to check out from. */
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { setupShop, HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import { startStripeFake, type StripeFake } from './fakes/stripe-fake.js';

export const SECRET_KEY = 'sk_test_omnia_fake';
export const WEBHOOK_SECRET = 'whsec_omnia_fake';
export const RETURN_URL = 'https://shop.example/checkout/return';
export const WEBHOOK_PATH = '/v1/payments/webhooks/stripe';

export interface StripeWorld {
  t: TestApp;
  fake: StripeFake;
  shop: Shop;
  clock: ManualClock;
  /** A cart of the web channel with one unit of the shop's `n`-th SKU. */
  cartWith(n: number): Promise<string>;
  checkout(cartId: string, token: string): Promise<{ status: number; body: any }>;
  /** POSTs a webhook body to Omnia as Stripe would (no Omnia credential). */
  post(payload: string, signature?: string): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** How many events of `type` the outbox holds for `aggregate`. */
  events(type: string, aggregate: string): Promise<number>;
  close(): Promise<void>;
}

export async function stripeWorld(opts: {
  prefix: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}): Promise<StripeWorld> {
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  // The fake delivers webhooks to the app, which is started after it (it needs the fake's URL).
  const ref: { world?: StripeWorld } = {};
  const fake = await startStripeFake({
    secretKey: SECRET_KEY,
    webhookSecret: WEBHOOK_SECRET,
    now: () => clock.now(),
    deliver: async (payload, signature) => (ref.world ? (await ref.world.post(payload, signature)).status : 0),
  });
  const t = await startTestApp({
    clock,
    env: {
      OMNIA_STRIPE_SECRET_KEY: SECRET_KEY,
      OMNIA_STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      OMNIA_STRIPE_RETURN_URL: RETURN_URL,
      OMNIA_STRIPE_API_URL: fake.url,
      OMNIA_PAYMENT_TIMEOUT_MS: String(opts.timeoutMs ?? 5000),
      ...opts.env,
    },
  });
  const shop = await setupShop(t, { prefix: opts.prefix });
  const world: StripeWorld = {
    t,
    fake,
    shop,
    clock,
    async cartWith(n) {
      const cart = await t.request('POST', '/v1/carts', { token: shop.keys.web, body: {} });
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
        token: shop.keys.web,
        body: { sku: shop.skus[n]!, quantity: 1 },
      });
      return cart.body.id as string;
    },
    checkout: (cartId, token) =>
      t.request('POST', `/v1/carts/${cartId}/checkout`, {
        token: shop.keys.web,
        body: {
          delivery: { method: 'home', address: HOME_ADDRESS },
          payment: { provider: 'stripe', token },
        },
      }),
    post: (payload, signature) =>
      t.request('POST', WEBHOOK_PATH, {
        token: '',
        body: payload,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(signature ? { 'stripe-signature': signature } : {}),
        },
      }),
    async events(type, aggregate) {
      const r = await t.omnia.services.ctx.db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('type', '=', type)
        .where('aggregate_id', '=', aggregate)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async close() {
      await fake.idle();
      // Answers still held by an injected delay must not deliver to a closed app.
      fake.autoWebhooks = false;
      delete ref.world;
      await t.close();
      await fake.close();
    },
  };
  ref.world = world;
  return world;
}
