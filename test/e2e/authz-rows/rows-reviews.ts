/**
 * Authorization rows of reviews (issue 19 point 1). Writing is a customer token's (the author); the
 * published reviews of a product are every catalog reader's; the moderation queue and its decisions are
 * catalog writers' (admins, merchandisers, secret keys); a person's own reviews are read like the person
 * (their token, agents, admins, secret keys) — another customer does not learn they exist.
 */
import { ALL, CATALOG_WRITERS, type Row } from './model.js';

export const rows: Record<string, Row> = {
  'POST /v1/reviews': {
    allow: ['custD'],
    ok: ['custD'],
    body: () => ({ product_id: 'mx-prod-0', rating: 4, text: 'Matrix review', size_feedback: 'true' }),
  },
  'GET /v1/products/{id}/reviews': { allow: ALL, ok: ALL, path: () => '/v1/products/mx-prod-0/reviews' },
  'GET /v1/reviews': { allow: CATALOG_WRITERS, ok: CATALOG_WRITERS },
  'POST /v1/reviews/{id}/approve': { allow: CATALOG_WRITERS, path: () => '/v1/reviews/rev_nope/approve' },
  'POST /v1/reviews/{id}/reject': {
    allow: CATALOG_WRITERS,
    path: () => '/v1/reviews/rev_nope/reject',
    body: () => ({ reason: 'matrix' }),
  },
  'GET /v1/customers/{id}/reviews': {
    allow: ['keyB', 'tillX', 'admin', 'agent'],
    ok: ['admin', 'agent'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/reviews`,
  },
};
