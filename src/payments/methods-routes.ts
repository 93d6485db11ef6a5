import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { errorResponses, StringEnum } from '../platform/http/schemas.js';
import { KNOWN_PROVIDERS, paymentMethods } from './rules.js';
import type { PaymentsService } from './service.js';

const CHANNEL_TYPES = ['web', 'app', 'pos', 'contact_center', 'marketplace', 'social'] as const;
const DELIVERY_METHODS = ['home', 'click_collect', 'pickup_point', 'in_store'] as const;

/**
 * `GET /v1/payments/methods`: which payment providers a checkout of this channel type and delivery may
 * use, for the caller asking, and why not the others — so a console shows a choice disabled with its
 * reason (Stripe not configured, the channel sends no links) instead of hiding it. The checkout applies
 * the same rule (`payment_provider_not_allowed`).
 */
export async function paymentMethodRoutes(app: App, { payments }: { payments: PaymentsService }): Promise<void> {
  app.get(
    '/v1/payments/methods',
    {
      config: { auth: { scope: 'checkout:write' } },
      schema: {
        tags: ['payments'],
        summary: 'Payment providers a checkout may use here, and why not the others',
        querystring: Type.Object({
          channel_type: StringEnum(CHANNEL_TYPES),
          delivery_method: StringEnum(DELIVERY_METHODS),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                provider: StringEnum(KNOWN_PROVIDERS),
                configured: Type.Boolean(),
                allowed: Type.Boolean(),
                reason: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(400, 403),
        },
      },
    },
    async (req) => {
      const q = req.query as { channel_type: string; delivery_method: string };
      return {
        items: paymentMethods(new Set(payments.providerNames()), {
          ...q,
          staff: req.principal?.kind === 'staff',
        }),
      };
    },
  );
}
