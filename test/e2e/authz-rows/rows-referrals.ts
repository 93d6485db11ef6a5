/**
 * Authorization rows of referrals (issue 19 point 2). The programme is a promotions setting; a
 * customer's code and referrals are read like the customer's profile (the one policy on the
 * 'customer' kind: the customer themself, staff and secret keys; another customer gets 404).
 * Unknown ids are used where a write would change what other rows see.
 */
import { PROMO_READERS, type Row, type Who } from './model.js';

const READERS: Who[] = ['keyB', 'tillX', 'admin', 'assocX', 'agent'];

export const rows: Record<string, Row> = {
  'GET /v1/referral-programme': { allow: PROMO_READERS },
  // The matrix's promotion is not first-order only: those allowed get 400, nothing is set.
  'PUT /v1/referral-programme': {
    allow: ['keyB', 'tillX', 'admin', 'merch'],
    body: (fx) => ({
      promotion_id: fx.promotion,
      reward: { amount: 500, currency: 'EUR' },
      link_base: 'https://shop.example.com/invite',
    }),
  },
  'GET /v1/customers/{id}/referral': {
    allow: READERS,
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/referral`,
  },
  'GET /v1/customers/{id}/referrals': {
    allow: READERS,
    ok: ['admin', 'agent', 'keyB'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/referrals`,
  },
  'GET /v1/referrals': { allow: READERS, ok: ['admin', 'agent', 'assocX'] },
  'GET /v1/referrals/{id}': { allow: READERS, hidden: ['custD'], path: () => '/v1/referrals/rfr_nope' },
};
