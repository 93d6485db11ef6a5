/** Rows for the routes the console added (issue 13): coupon batches and their CSV. */
import { CATALOG_WRITERS, type Row } from './model.js';

export const rows: Record<string, Row> = {
  // The codes themselves are money: coupons:read, like listing coupons (not the agent's promotions:read).
  'GET /v1/promotions/{id}/coupon-batches': {
    allow: CATALOG_WRITERS,
    ok: ['admin', 'merch'],
    path: (fx) => `/v1/promotions/${fx.promotion}/coupon-batches`,
  },
  'GET /v1/promotions/{id}/coupon-batches/{batch_id}/codes': {
    allow: CATALOG_WRITERS,
    path: (fx) => `/v1/promotions/${fx.promotion}/coupon-batches/cpb_nope/codes`,
  },
};
