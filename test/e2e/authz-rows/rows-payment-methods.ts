/**
 * Payment methods (issue 14 point 8): which providers a checkout may use, for consoles placing orders —
 * those who may check out for others (secret keys, admins, associates, agents). Nothing of anyone's is
 * read, so no one gets a 404; shoppers' credentials are refused (their checkout says so itself).
 */
import type { Row } from './model.js';

const CHECKOUT = ['keyB', 'tillX', 'admin', 'assocX', 'agent'] as const;

export const rows: Record<string, Row> = {
  'GET /v1/payments/methods': {
    allow: [...CHECKOUT],
    ok: [...CHECKOUT],
    path: () => '/v1/payments/methods?channel_type=contact_center&delivery_method=home',
  },
};
