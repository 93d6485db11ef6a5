import { Type } from '@sinclair/typebox';
import type { App } from '../../platform/http/app.js';
import { errorResponses } from '../../platform/http/schemas.js';
import type { StripeWebhooks } from './webhook.js';

/**
 * `POST /v1/payments/webhooks/stripe`: Stripe's calls to Omnia. Public (Stripe holds no Omnia
 * credential): the Stripe-Signature header over the RAW body is the authentication, so this route
 * reads the body as bytes — a JSON parse and re-serialisation would not give back the signed bytes.
 */
export async function stripeWebhookRoutes(app: App, { stripeWebhooks }: { stripeWebhooks: StripeWebhooks }) {
  await app.register(async (scope) => {
    // Only inside this plugin: every other route keeps the JSON parser.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post(
      '/v1/payments/webhooks/stripe',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['payments'],
          summary:
            'Stripe webhook (PaymentIntent, refund and Checkout Session events), verified by its Stripe-Signature',
          description:
            'Applies payment_intent.succeeded, payment_intent.amount_capturable_updated, payment_intent.payment_failed, ' +
            'payment_intent.canceled, charge.refunded and (payment links) checkout.session.completed, ' +
            'checkout.session.async_payment_succeeded/failed and checkout.session.expired once per event id; ' +
            'any other event is acknowledged and ignored. ' +
            'A bad or missing signature is a 400 validation_failed on header/stripe-signature; 404 when Stripe is not configured.',
          security: [],
          response: {
            200: Type.Object({ received: Type.Literal(true), duplicate: Type.Boolean(), applied: Type.String() }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : '');
        const sig = req.headers['stripe-signature'];
        return stripeWebhooks.handle(raw, typeof sig === 'string' ? sig : undefined);
      },
    );
  });
}
