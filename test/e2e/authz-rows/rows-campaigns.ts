/**
 * Authorization rows of campaigns (helper F, issue 16): marketing is the promotions scopes'
 * (merchandisers, admins, secret keys); a campaign's recipients carry coupon codes, so the coupon
 * scope. The unsubscribe link is public: a bad token is a 400 for anyone.
 */
import { CATALOG_WRITERS, PROMO_READERS, type Row } from './model.js';

export const rows: Record<string, Row> = {
  'GET /v1/campaigns': { allow: PROMO_READERS, ok: ['admin', 'merch'] },
  'POST /v1/campaigns': {
    allow: CATALOG_WRITERS,
    body: (fx) => ({ name: 'matrix', segment_id: 'seg_nope', promotion_id: fx.promotion }),
  },
  'GET /v1/campaigns/{id}': { allow: PROMO_READERS, path: () => '/v1/campaigns/cmp_nope' },
  'GET /v1/campaigns/{id}/recipients': { allow: CATALOG_WRITERS, path: () => '/v1/campaigns/cmp_nope/recipients' },
  'POST /v1/campaigns/{id}/send': { allow: CATALOG_WRITERS, path: () => '/v1/campaigns/cmp_nope/send' },
  'GET /v1/unsubscribe': { allow: [], open: true, path: () => '/v1/unsubscribe?token=not-a-valid-token' },
  'POST /v1/unsubscribe': { allow: [], open: true, path: () => '/v1/unsubscribe?token=not-a-valid-token' },
};
