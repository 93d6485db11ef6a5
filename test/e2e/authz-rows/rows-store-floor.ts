/** Authorization rows of the store floor's reads: the stock lookup and the transfer lists (helper B2). */
import { STOCK_READERS, type Row } from './model.js';

export const rows: Record<string, Row> = {
  // Read-only stock of the whole chain, as GET /v1/inventory/{sku}: every holder of inventory:read but shoppers.
  'GET /v1/inventory/lookup': {
    allow: STOCK_READERS,
    ok: ['admin', 'assocX', 'agent'],
    path: (fx) => `/v1/inventory/lookup?q=${encodeURIComponent(fx.sku)}`,
  },
  // Transfers into store Y: not for the associate or the till key of store X.
  'GET /v1/transfers': {
    allow: ['keyB', 'admin', 'merch', 'agent'],
    ok: ['admin', 'merch'],
    path: (fx) => `/v1/transfers?to_location_id=${fx.Y}`,
  },
};
