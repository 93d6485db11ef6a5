/**
 * Authorization rows of customer accounts and messages (helper F, issue 16). Account routes take a
 * channel key (publishable or secret), never staff or a customer token; codes here are wrong ones,
 * so those allowed get 422. A customer's message log and locale follow the customer profile's rows.
 */
import { CUSTOMER_WRITERS, PROMO_READERS, type Row } from './model.js';

const CHANNEL_KEYS = ['pub', 'keyB', 'tillX'] as const;

export const rows: Record<string, Row> = {
  'POST /v1/auth/customer/verify': {
    allow: [...CHANNEL_KEYS],
    body: () => ({ email: 'nobody@example.com', code: '000000' }),
  },
  'POST /v1/auth/customer/password-reset': {
    allow: [...CHANNEL_KEYS],
    ok: ['pub'],
    body: (fx) => ({ email: `reset${fx.n()}@example.com` }),
  },
  'POST /v1/auth/customer/password-reset/confirm': {
    allow: [...CHANNEL_KEYS],
    body: () => ({ email: 'nobody@example.com', code: '000000', password: 'correct horse battery' }),
  },
  'PUT /v1/customers/{id}/locale': {
    allow: CUSTOMER_WRITERS,
    ok: ['admin'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/locale`,
    body: () => ({ locale: 'es' }),
  },
  'GET /v1/customers/{id}/messages': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    ok: ['admin', 'agent'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/messages`,
  },
  'GET /v1/notifications/templates': { allow: PROMO_READERS, ok: ['admin', 'merch'] },
  'GET /v1/notifications/templates/{name}/preview': {
    allow: PROMO_READERS,
    ok: ['admin', 'merch'],
    path: () => '/v1/notifications/templates/order_confirmation/preview?locale=es',
  },
};
