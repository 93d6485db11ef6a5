/**
 * Authorization rows of the carriers module (issue 18 part 3). Task Y is at store Y: labels and
 * shipments are the business of whoever works that task (the policy's fulfillment rule), so the
 * associate and the till key of store X are refused. The tracking webhook is public: the carrier
 * proves itself by the body's signature (an unsigned call is a 401 from the handler, for everyone).
 */
import type { Row } from './model.js';

export const rows: Record<string, Row> = {
  // Task Y is pending (not picked or packed): 409 for those allowed, or 503 when no carrier is configured.
  'POST /v1/fulfillments/{id}/label': {
    allow: ['keyB', 'admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/label`,
    body: () => ({}),
  },
  // No label bought yet: 404 for those allowed.
  'GET /v1/fulfillments/{id}/label': {
    allow: ['keyB', 'admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/label`,
  },
  'GET /v1/fulfillments/{id}/shipments': {
    allow: ['keyB', 'admin'],
    ok: ['admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/shipments`,
  },
  'POST /v1/carriers/{carrier}/tracking-webhook': {
    open: true,
    allow: [],
    path: () => '/v1/carriers/dhl_express/tracking-webhook',
    body: () => ({ shipments: [] }),
  },
};
