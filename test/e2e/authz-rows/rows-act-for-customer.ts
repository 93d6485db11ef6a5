/**
 * Acting for the customer (issue 14 point 8): cancelling a line (and resending a message) is the order cancel's rule (the
 * policy's `write` on the order: the retailer's admin and agents; another channel's key gets a 404).
 * The matrix uses its delivered home order (so every allowed caller gets a 409, nothing changes); what passes authorization and what a line cancel does is
 * tested in test/orders/cancel-line.e2e.test.ts.
 */
import type { Row } from './model.js';

export const rows: Record<string, Row> = {
  'POST /v1/orders/{id}/lines/{line_id}/cancel': {
    allow: ['admin', 'agent'],
    hidden: ['keyB'],
    path: (fx) => `/v1/orders/${fx.order2}/lines/${fx.order2Line}/cancel`,
    body: () => ({ quantity: 1, reason: 'matrix' }),
  },
  // Resending a message is the same `write` on the order (an unknown log row: a 404 after the policy passed).
  'POST /v1/orders/{id}/notifications/{log_id}/resend': {
    allow: ['admin', 'agent'],
    hidden: ['keyB'],
    path: (fx) => `/v1/orders/${fx.order2}/notifications/ntf_matrix/resend`,
  },
};
