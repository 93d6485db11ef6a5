/**
 * The contact-center desk (issue 14): customer search, the one-call 360 and notes. Customers are
 * retailer-wide (a key of channel B reaches customer C of channel A by id, as GET /v1/customers/{id});
 * the search narrows a key to the people its channel met (test/customers/desk.e2e.test.ts). The
 * till's associate may look people up (customers:read) but not write notes.
 */
import { CUSTOMER_WRITERS, type Row, type Who } from './model.js';

const READERS: Who[] = ['keyB', 'tillX', 'admin', 'assocX', 'agent'];

export const rows: Record<string, Row> = {
  'GET /v1/customers': {
    allow: READERS,
    ok: ['admin', 'agent', 'keyB', 'assocX'],
    path: () => '/v1/customers?query=ana',
  },
  'GET /v1/customers/{id}/360': {
    allow: READERS,
    ok: ['admin', 'agent'],
    path: (fx) => `/v1/customers/${fx.customerC}/360`,
  },
  'GET /v1/customers/{id}/notes': {
    allow: READERS,
    ok: ['admin', 'agent'],
    path: (fx) => `/v1/customers/${fx.customerC}/notes`,
  },
  'POST /v1/customers/{id}/notes': {
    allow: CUSTOMER_WRITERS,
    ok: ['admin', 'agent'],
    path: (fx) => `/v1/customers/${fx.customerC}/notes`,
    body: () => ({ body: 'Asked for a call back about a late parcel.' }),
  },
};
