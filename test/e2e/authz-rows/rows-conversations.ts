/**
 * Webchat (issue 19 point 3). Shoppers (publishable keys, customer tokens) open conversations and reach
 * one only with its token (or as its verified customer); agents, admins and secret keys work the queue;
 * store associates and merchandisers never see chats. Who reaches WHICH conversation is the policy's
 * (tested with real conversations in test/conversations/ and src/platform/auth/policy.unit.test.ts):
 * here an unknown id is 404 for every holder of the scope, and only the shop's side may take, hand over
 * or link.
 */
import type { Row, Who } from './model.js';

const HOLDERS: Who[] = ['pub', 'keyB', 'tillX', 'admin', 'agent', 'custD'];
const SHOP_SIDE: Who[] = ['keyB', 'tillX', 'admin', 'agent'];
const none = '/v1/conversations/cnv_00000000000000000000000000';

export const rows: Record<string, Row> = {
  'POST /v1/conversations': { allow: HOLDERS, ok: ['pub', 'custD'], body: () => ({ message: 'hola' }) },
  'GET /v1/conversations': {
    allow: ['keyB', 'tillX', 'admin', 'agent', 'custD'],
    ok: ['admin', 'agent', 'custD'],
    path: () => '/v1/conversations?view=waiting',
  },
  'GET /v1/conversations/{id}': { allow: HOLDERS, path: () => none },
  'GET /v1/conversations/{id}/stream': { allow: HOLDERS, path: () => `${none}/stream` },
  'POST /v1/conversations/{id}/messages': {
    allow: HOLDERS,
    path: () => `${none}/messages`,
    body: () => ({ body: 'hi' }),
  },
  'POST /v1/conversations/{id}/close': { allow: HOLDERS, path: () => `${none}/close` },
  'POST /v1/conversations/{id}/take': { allow: SHOP_SIDE, path: () => `${none}/take` },
  'POST /v1/conversations/{id}/handover': {
    allow: SHOP_SIDE,
    path: () => `${none}/handover`,
    body: (fx) => ({ cart_id: fx.cartC }),
  },
  'POST /v1/conversations/{id}/customer': {
    allow: SHOP_SIDE,
    path: () => `${none}/customer`,
    body: (fx) => ({ customer_id: fx.customerC }),
  },
};
