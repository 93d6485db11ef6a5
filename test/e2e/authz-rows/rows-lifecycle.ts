/**
 * Authorization rows of self-service and gift returns and store credit (helper G, issue 16). The codes
 * are unknown ones: those allowed get 404 (or 400 where staff must name the channel), the others 401/403
 * before any lookup. Store Y is not the associate's or the till key's store X.
 */
import type { Row } from './model.js';

const NO_RETURN = 'RT-0000-0000-0000';
const NO_GIFT = 'GR-0000-0000-0000-0000';

export const rows: Record<string, Row> = {
  // Receiving goods at store Y: not for store X's associate or till; never for shoppers.
  'POST /v1/returns/receive': {
    allow: ['keyB', 'admin', 'agent'],
    body: (fx) => ({ code: NO_RETURN, location_id: fx.Y }),
  },
  // A gift receipt is read where returns are taken (its code is the recipient's credential); no shopper route.
  'GET /v1/gift-receipts/{code}': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    path: () => `/v1/gift-receipts/${NO_GIFT}`,
  },
  'POST /v1/returns/gift': {
    allow: ['keyB', 'admin', 'agent'],
    body: (fx) => ({
      gift_receipt_code: NO_GIFT,
      location_id: fx.Y,
      lines: [{ line_id: fx.order2Line, quantity: 1, reason: 'matrix' }],
    }),
  },
  // A gift card's balance at any counter or the contact center; merchandisers do not serve customers.
  'POST /v1/store-credit/lookup': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    body: () => ({ code: 'GC-0000-0000-0000-0000' }),
  },
  // Customer C's balances: another customer is told nothing (404); merchandisers and public keys are refused.
  'GET /v1/store-credit/accounts': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    ok: ['admin', 'agent'],
    hidden: ['custD'],
    path: (fx) => `/v1/store-credit/accounts?customer_id=${fx.customerC}`,
  },
};
