/** Rows for the routes the console added (issue 13): stock value per location, coupon batches and their CSV. */
import { CATALOG_WRITERS, STOCK_READERS, type Row } from './model.js';

export const rows: Record<string, Row> = {
  // Stock value per location (the network map): every holder of inventory:read; a till sees its own store.
  'GET /v1/inventory-value/locations': { allow: STOCK_READERS, ok: ['admin', 'merch', 'tillX'] },
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
