/**
 * Marketplaces (issue 18). A connection holds a channel's marketplace credentials: the policy treats it
 * as that channel's credential (kind api_key), so only admins and secret keys (network:write) change
 * it, and listing connections is refused to roles that never reach credentials (merchandisers, agents,
 * associates: 403). A marketplace order is an order of its marketplace channel (kind order). Paths with
 * an id that does not exist answer 404 to every holder of the scope (nothing to decide on).
 */
import type { Row, Who } from './model.js';

const WRITERS: Who[] = ['keyB', 'tillX', 'admin'];
const NETWORK_READERS: Who[] = ['keyB', 'tillX', 'admin', 'merch', 'assocX', 'agent'];
const ORDER_READERS: Who[] = ['keyB', 'tillX', 'admin', 'merch', 'assocX', 'agent'];
const ORDER_WRITERS: Who[] = ['keyB', 'tillX', 'admin', 'assocX', 'agent'];
const conn = () => '/v1/marketplaces/connections/mkc_nope';
const order = () => '/v1/marketplaces/orders/mko_nope';

export const rows: Record<string, Row> = {
  'POST /v1/marketplaces/connections': {
    allow: WRITERS,
    body: () => ({ channel: 'no-such-channel', provider: 'amazon', base_url: 'https://x.test', credentials: {} }),
  },
  'GET /v1/marketplaces/connections': { allow: WRITERS, ok: WRITERS },
  'GET /v1/marketplaces/providers': { allow: NETWORK_READERS, ok: NETWORK_READERS },
  'GET /v1/marketplaces/connections/{id}': { allow: NETWORK_READERS, path: conn },
  'PATCH /v1/marketplaces/connections/{id}': { allow: WRITERS, path: conn, body: () => ({ active: false }) },
  'POST /v1/marketplaces/connections/{id}/offers': {
    allow: WRITERS,
    path: () => `${conn()}/offers`,
    body: () => ({ skus: ['X'] }),
  },
  'GET /v1/marketplaces/connections/{id}/offers': { allow: NETWORK_READERS, path: () => `${conn()}/offers` },
  'POST /v1/marketplaces/connections/{id}/sync': { allow: WRITERS, path: () => `${conn()}/sync` },
  'GET /v1/marketplaces/orders': { allow: ORDER_READERS, ok: ORDER_READERS },
  'GET /v1/marketplaces/orders/{id}': { allow: ORDER_READERS, path: order },
  'POST /v1/marketplaces/orders/{id}/retry': { allow: ORDER_WRITERS, path: () => `${order()}/retry` },
  'POST /v1/marketplaces/orders/{id}/cancel': {
    allow: ORDER_WRITERS,
    path: () => `${order()}/cancel`,
    body: () => ({ reason: 'x' }),
  },
  'POST /v1/marketplaces/orders/{id}/resolve': {
    allow: ORDER_WRITERS,
    path: () => `${order()}/resolve`,
    body: () => ({ note: 'x' }),
  },
};
