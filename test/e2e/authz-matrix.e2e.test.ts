/**
 * The authorization matrix: every route of the OpenAPI document × every kind of caller, with the
 * expected answer from ONE table below. A route in the document without a row fails, and so does a
 * row without a route: adding an endpoint means deciding here who may call it.
 *
 * The resources belong to channel A (`mx-web`), store Y (`mx-sol`) and customer C. The callers are
 * strangers to them: a publishable key of A, a secret key of channel B, a secret key of A bound to
 * store X, each staff role (the associate works at store X), and the token of customer D.
 *
 * Reading a row: `allow` lists who gets past authorization (any answer but 401/403; `ok` ones must
 * get a 2xx). Everyone else is refused: anonymous with 401, those in `hidden` with 404 (the policy
 * does not reveal that another channel's or customer's resource exists), the rest with 403.
 */
/// <reference types="vite/client" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS } from '../checkout/fixtures.js';
import { drain } from '../fulfillment/fixtures.js';
import { SCOPES } from '../../src/platform/http/auth-model.js';

import {
  WHO,
  type Who,
  type Fx,
  type Row,
  ALL,
  SETTINGS,
  STOCK_READERS,
  CATALOG_WRITERS,
  CUSTOMER_WRITERS,
  PROMO_READERS,
  CART_OF_C,
} from './authz-rows/model.js';

// Rows of newer modules, each in test/e2e/authz-rows/rows-<module>.ts (see model.ts).
const EXTRA: Record<string, Row> = Object.assign(
  {},
  ...Object.values(import.meta.glob<{ rows: Record<string, Row> }>('./authz-rows/rows-*.ts', { eager: true })).map(
    (m) => m.rows,
  ),
);

const TABLE: Record<string, Row> = {
  // System and sessions
  'GET /health': { open: true, allow: [] },
  'GET /ready': { open: true, allow: [] },
  'POST /v1/auth/staff/login': {
    open: true,
    allow: [],
    body: () => ({ email: 'nobody@test.omnia', password: 'wrong password!' }),
  },
  'GET /v1/doctor': { allow: SETTINGS },
  'GET /v1/events/dead-letters': { allow: SETTINGS },
  'POST /v1/events/dead-letters/{id}/retry': { allow: SETTINGS, path: () => '/v1/events/dead-letters/evd_nope/retry' },

  // Staff and API keys: a key mints only within its channel and store, never more than it holds.
  'POST /v1/staff': {
    allow: SETTINGS,
    ok: ['admin'],
    body: (fx) => ({ email: `agent${fx.n()}@test.omnia`, password: 'a long enough password', role: 'agent' }),
  },
  'GET /v1/staff': { allow: SETTINGS, ok: ['admin'] },
  'PATCH /v1/staff/{id}': { allow: SETTINGS, path: () => '/v1/staff/usr_nope', body: () => ({ disabled: true }) },
  'POST /v1/api-keys': {
    allow: ['admin'],
    ok: ['admin'],
    body: () => ({ channel_id: 'mx-web', kind: 'secret', scopes: ['catalog:read'] }),
  },
  'GET /v1/api-keys': { allow: SETTINGS, ok: ['admin'] },
  // A key of channel A: the key of B does not see it.
  'DELETE /v1/api-keys/{id}': {
    allow: ['tillX', 'admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/api-keys/${fx.keyOfA}`,
  },

  // Network
  'GET /v1/channels': { allow: ALL, ok: ALL },
  'POST /v1/channels': { allow: SETTINGS, body: () => ({ code: 'web', type: 'web', name: 'dup' }) },
  'GET /v1/channels/{id}': { allow: ALL, path: () => '/v1/channels/mx-web' },
  'PATCH /v1/channels/{id}': { allow: SETTINGS, path: () => '/v1/channels/mx-web', body: () => ({ name: 'Web' }) },
  'GET /v1/locations': { allow: ALL },
  'POST /v1/locations': { allow: SETTINGS, body: () => ({ code: 'x' }) },
  'GET /v1/locations/{id}': { allow: ALL, path: (fx) => `/v1/locations/${fx.Y}` },
  'PATCH /v1/locations/{id}': { allow: SETTINGS, path: (fx) => `/v1/locations/${fx.Y}`, body: () => ({ name: 'Sol' }) },
  'PUT /v1/lead-times': {
    allow: SETTINGS,
    body: (fx) => ({ from_location_id: fx.shop.warehouse.id, to_location_id: fx.Y, days: 2 }),
  },

  // Catalog
  'GET /v1/products': { allow: ALL, ok: ALL },
  'POST /v1/products': { allow: CATALOG_WRITERS, body: () => ({ code: 'mx-prod-0', name: 'dup' }) },
  'GET /v1/products/{id}': { allow: ALL, ok: ALL, path: () => '/v1/products/mx-prod-0' },
  'PATCH /v1/products/{id}': { allow: CATALOG_WRITERS, path: () => '/v1/products/mx-prod-0', body: () => ({}) },
  'PUT /v1/prices': { allow: CATALOG_WRITERS, body: () => ({}) },
  'DELETE /v1/prices/{sku}/{currency}': { allow: CATALOG_WRITERS, path: () => '/v1/prices/NOPE/EUR' },
  'GET /v1/variants/{sku}': { allow: ALL, path: (fx) => `/v1/variants/${fx.sku}` },
  'POST /v1/imports/products': { allow: CATALOG_WRITERS, body: () => 'not,a,csv' },

  // Inventory: stock at store Y is changed only by credentials that may act there.
  'GET /v1/inventory': { allow: STOCK_READERS, path: (fx) => `/v1/inventory?skus=${fx.sku}` },
  'GET /v1/inventory/{sku}': { allow: STOCK_READERS, path: (fx) => `/v1/inventory/${fx.sku}` },
  'GET /v1/inventory/{sku}/movements': { allow: STOCK_READERS, path: (fx) => `/v1/inventory/${fx.sku}/movements` },
  'PATCH /v1/inventory/{sku}/levels/{location_id}': {
    allow: ['keyB', 'admin'],
    ok: ['admin'],
    path: (fx) => `/v1/inventory/${fx.sku}/levels/${fx.Y}`,
    body: () => ({ safety_stock: 0 }),
  },
  'POST /v1/inventory/movements': {
    allow: ['keyB', 'admin'],
    ok: ['admin'],
    body: (fx) => ({ sku: fx.sku, location_id: fx.Y, type: 'receipt', quantity: 1, reason: 'matrix' }),
  },
  'POST /v1/transfers': {
    allow: ['keyB', 'admin'],
    body: (fx) => ({ from_location_id: fx.Y, to_location_id: fx.X, lines: [{ sku: fx.sku, quantity: 1 }] }),
  },
  'GET /v1/transfers/{id}': { allow: STOCK_READERS, path: () => '/v1/transfers/trf_nope' },
  'POST /v1/transfers/{id}/receive': {
    allow: ['keyB', 'tillX', 'admin', 'assocX'],
    path: () => '/v1/transfers/trf_nope/receive',
    body: () => ({ lines: [] }),
  },
  // A key acts for its own channel: naming channel A is refused to the key of B.
  'GET /v1/availability': {
    allow: ['pub', 'tillX', 'admin', 'merch', 'assocX', 'agent', 'custD'],
    ok: ['pub', 'custD', 'admin'],
    path: (fx) => `/v1/availability?sku=${fx.sku}&channel=mx-web`,
  },
  'POST /v1/availability/query': {
    allow: ['pub', 'tillX', 'admin', 'merch', 'assocX', 'agent', 'custD'],
    ok: ['pub', 'custD'],
    body: (fx) => ({ channel: 'mx-web', skus: [fx.sku] }),
  },

  // Reservations of channel A at store Y
  'POST /v1/reservations': {
    allow: ['admin'],
    ok: ['admin'],
    body: (fx) => ({
      channel: 'mx-web',
      lines: [{ sku: fx.sku, quantity: 1, location_id: fx.Y }],
      ttl_seconds: 600,
      reference: `matrix-${fx.n()}`,
    }),
  },
  'GET /v1/reservations/{id}': {
    allow: ['admin'],
    ok: ['admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/reservations/${fx.reservationY}`,
  },
  'POST /v1/reservations/{id}/confirm': {
    allow: ['admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/reservations/${fx.reservationY}/confirm`,
    body: () => ({}),
  },
  'DELETE /v1/reservations/{id}': {
    allow: ['admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/reservations/${fx.reservationY}`,
  },

  // Customers: C's profile; customer D's token does not see that C exists.
  'POST /v1/events': {
    allow: ['pub', 'keyB', 'tillX', 'admin', 'agent', 'custD'],
    ok: ['pub', 'custD'],
    body: () => ({
      events: [
        { type: 'page_viewed', timestamp: '2026-11-30T10:00:00Z', anonymous_id: 'anon-1', properties: { path: '/' } },
      ],
    }),
  },
  'POST /v1/identify': { allow: CUSTOMER_WRITERS, body: () => ({ identifiers: { email: 'someone@example.com' } }) },
  'GET /v1/customers/{id}': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    ok: ['admin', 'agent'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}`,
  },
  'GET /v1/customers/{id}/recommendations': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/recommendations`,
  },
  'PUT /v1/customers/{id}/consents': {
    allow: CUSTOMER_WRITERS,
    ok: ['admin'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/consents`,
    body: () => ({ consents: [{ purpose: 'marketing_email', granted: false }] }),
  },
  'GET /v1/customers/{id}/export': {
    allow: CUSTOMER_WRITERS,
    ok: ['admin', 'agent'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.customerC}/export`,
  },
  'POST /v1/customers/{id}/merge': {
    allow: CUSTOMER_WRITERS,
    path: () => '/v1/customers/cus_nope/merge',
    body: () => ({ customer_id: 'cus_nope2' }),
  },
  'POST /v1/customers/{id}/unmerge': { allow: CUSTOMER_WRITERS, path: () => '/v1/customers/cus_nope/unmerge' },
  // Customers register and log in through a channel key (publishable is enough); staff cannot.
  'POST /v1/auth/customer/register': {
    allow: ['pub', 'keyB', 'tillX'],
    ok: ['pub'],
    body: (fx) => ({ email: `shopper${fx.n()}@example.com`, password: 'correct horse battery' }),
  },
  'POST /v1/auth/customer/login': {
    allow: ['pub', 'keyB', 'tillX'],
    ok: ['pub'],
    body: () => ({ email: 'carla@example.com', password: 'correct horse battery' }),
  },
  'GET /v1/segments': { allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'] },
  'POST /v1/segments': { allow: CUSTOMER_WRITERS, body: () => ({ name: 'x', definition: {} }) },
  'GET /v1/segments/{id}': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    path: () => '/v1/segments/seg_nope',
  },
  'DELETE /v1/segments/{id}': { allow: CUSTOMER_WRITERS, path: () => '/v1/segments/seg_nope' },
  'GET /v1/segments/{id}/members': {
    allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent'],
    path: () => '/v1/segments/seg_nope/members',
  },

  // Promotions: listing single-use codes is coupons:read, not promotions:read (the agent reads promotions).
  'GET /v1/promotions': { allow: PROMO_READERS, ok: ['admin', 'agent'] },
  'POST /v1/promotions': { allow: CATALOG_WRITERS, body: () => ({}) },
  'GET /v1/promotions/{id}': { allow: PROMO_READERS, path: (fx) => `/v1/promotions/${fx.promotion}` },
  'PATCH /v1/promotions/{id}': {
    allow: CATALOG_WRITERS,
    path: (fx) => `/v1/promotions/${fx.promotion}`,
    body: () => ({}),
  },
  'POST /v1/promotions/{id}/coupons': {
    allow: CATALOG_WRITERS,
    path: (fx) => `/v1/promotions/${fx.promotion}/coupons`,
    body: () => ({}),
  },
  'GET /v1/promotions/{id}/coupons': {
    allow: CATALOG_WRITERS,
    ok: ['admin', 'merch'],
    path: (fx) => `/v1/promotions/${fx.promotion}/coupons`,
  },
  'POST /v1/pricing/quote': {
    allow: ['pub', 'tillX', 'admin', 'merch', 'assocX', 'agent', 'custD'],
    ok: ['pub', 'custD'],
    body: (fx) => ({ channel: 'mx-web', lines: [{ sku: fx.sku, quantity: 1 }] }),
  },
  'POST /v1/coupons/validate': { allow: ALL, body: () => ({ code: 'NOSUCHCODE' }) },

  // Orders: C's order at store Y in channel A.
  'GET /v1/orders': { allow: ['keyB', 'tillX', 'admin', 'merch', 'assocX', 'agent', 'custD'], ok: ['custD', 'admin'] },
  'GET /v1/orders/{id}': {
    allow: ['admin', 'merch', 'agent'],
    ok: ['admin', 'merch', 'agent'],
    hidden: ['keyB', 'custD'],
    path: (fx) => `/v1/orders/${fx.orderC}`,
  },
  'GET /v1/orders/{id}/notifications': {
    allow: ['admin', 'merch', 'agent'],
    hidden: ['keyB'],
    path: (fx) => `/v1/orders/${fx.orderC}/notifications`,
  },
  // Sourcing decisions carry no channel or store yet: any holder of fulfillment:read (see docs/security.md).
  'GET /v1/orders/{id}/sourcing': {
    allow: SETTINGS.concat('assocX'),
    path: (fx) => `/v1/orders/${fx.orderC}/sourcing`,
  },
  'POST /v1/orders/{id}/hold': {
    allow: ['admin', 'agent'],
    ok: ['admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/orders/${fx.orderC}/hold`,
    body: () => ({ reason: 'matrix' }),
  },
  'POST /v1/orders/{id}/release': {
    allow: ['admin', 'agent'],
    hidden: ['keyB'],
    path: (fx) => `/v1/orders/${fx.orderC}/release`,
  },

  // Carts: C's open cart at store Y.
  'POST /v1/carts': {
    allow: ['pub', 'keyB', 'tillX', 'admin', 'assocX', 'agent', 'custD'],
    ok: ['pub'],
    body: () => ({}),
  },
  'GET /v1/carts/{id}': { ...CART_OF_C, ok: ['admin', 'agent'], path: (fx) => `/v1/carts/${fx.cartC}` },
  'PATCH /v1/carts/{id}': { ...CART_OF_C, path: (fx) => `/v1/carts/${fx.cartC}`, body: () => ({ delivery: null }) },
  'POST /v1/carts/{id}/items': {
    ...CART_OF_C,
    ok: ['admin'],
    path: (fx) => `/v1/carts/${fx.cartC}/items`,
    body: (fx) => ({ sku: fx.sku, quantity: 1 }),
  },
  'PATCH /v1/carts/{id}/items/{line_id}': {
    ...CART_OF_C,
    path: (fx) => `/v1/carts/${fx.cartC}/items/${fx.lineC}`,
    body: () => ({ quantity: 2 }),
  },
  'POST /v1/carts/{id}/coupons': {
    ...CART_OF_C,
    path: (fx) => `/v1/carts/${fx.cartC}/coupons`,
    body: () => ({ code: 'NOSUCHCODE' }),
  },
  'DELETE /v1/carts/{id}/coupons/{code}': { ...CART_OF_C, path: (fx) => `/v1/carts/${fx.cartC}/coupons/NOSUCHCODE` },
  'POST /v1/carts/{id}/merge': {
    allow: ['admin', 'agent'],
    hidden: ['keyB', 'custD'],
    path: (fx) => `/v1/carts/${fx.cartC}/merge`,
    body: (fx) => ({ customer_id: fx.customerC }),
  },
  'POST /v1/carts/{id}/handoff': { ...CART_OF_C, ok: ['admin'], path: (fx) => `/v1/carts/${fx.cartC}/handoff` },
  'POST /v1/carts/claim': {
    allow: ['pub', 'keyB', 'tillX', 'admin', 'assocX', 'agent', 'custD'],
    body: () => ({ code: 'NOPE99' }),
  },
  'GET /v1/carts/{id}/delivery-options': { ...CART_OF_C, path: (fx) => `/v1/carts/${fx.cartC}/delivery-options` },
  'DELETE /v1/carts/{id}/items/{line_id}': { ...CART_OF_C, path: (fx) => `/v1/carts/${fx.cartC}/items/${fx.lineC}` },
  'POST /v1/carts/{id}/checkout': {
    ...CART_OF_C,
    path: (fx) => `/v1/carts/${fx.cartC}/checkout`,
    body: (fx) => ({
      delivery: { method: 'click_collect', location_id: fx.Y },
      payment: { provider: 'test', card_number: GOOD_CARD },
      email: 'carla@example.com',
    }),
  },

  // Fulfillment: the task at store Y (tasks carry no channel: keys reach them through their store binding).
  'GET /v1/fulfillments': {
    allow: ['keyB', 'admin'],
    ok: ['admin'],
    path: (fx) => `/v1/fulfillments?location_id=${fx.Y}`,
  },
  'GET /v1/fulfillments/{id}': {
    allow: ['keyB', 'admin'],
    ok: ['admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}`,
  },
  'POST /v1/fulfillments/{id}/actions': {
    allow: ['keyB', 'admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/actions`,
    body: () => ({ action: 'accept' }),
  },
  'POST /v1/fulfillments/{id}/pickup-code/unlock': {
    allow: ['keyB', 'admin'],
    path: (fx) => `/v1/fulfillments/${fx.taskY}/pickup-code/unlock`,
  },

  // Returns: taken in the credential's channel; at store Y only by those who may act there.
  'POST /v1/returns': {
    allow: ['keyB', 'admin', 'agent'],
    hidden: ['custD'],
    body: (fx) => ({
      order_id: fx.order2,
      lines: [{ line_id: fx.order2Line, quantity: 1, reason: 'matrix' }],
      refund: 'original',
      location_id: fx.Y,
    }),
  },
  'GET /v1/returns': { allow: ['keyB', 'tillX', 'admin', 'assocX', 'agent', 'custD'], ok: ['custD', 'admin'] },
  'GET /v1/returns/{id}': {
    allow: ['admin', 'agent'],
    ok: ['admin', 'agent'],
    hidden: ['keyB', 'custD'],
    path: (fx) => `/v1/returns/${fx.returnY}`,
  },

  // Webhooks of channel A: the key of B does not see them; a global one is an admin's.
  'POST /v1/webhooks': {
    allow: SETTINGS,
    body: () => ({ url: 'https://hooks.example.com/x', event_types: ['order.created'] }),
  },
  'GET /v1/webhooks': { allow: SETTINGS, ok: ['admin'] },
  'GET /v1/webhooks/{id}': { allow: ['tillX', 'admin'], hidden: ['keyB'], path: (fx) => `/v1/webhooks/${fx.webhookA}` },
  'PATCH /v1/webhooks/{id}': {
    allow: ['tillX', 'admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/webhooks/${fx.webhookA}`,
    body: () => ({ description: 'matrix' }),
  },
  'GET /v1/webhooks/{id}/deliveries': {
    allow: ['tillX', 'admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/webhooks/${fx.webhookA}/deliveries`,
  },
  'POST /v1/webhooks/{id}/deliveries/{delivery_id}/retry': {
    allow: ['tillX', 'admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/webhooks/${fx.webhookA}/deliveries/dlv_nope/retry`,
  },
  'DELETE /v1/webhooks/{id}': {
    allow: ['tillX', 'admin'],
    hidden: ['keyB'],
    path: (fx) => `/v1/webhooks/${fx.webhookA}`,
  },

  // Last, because they end what the rows above use.
  'POST /v1/orders/{id}/cancel': {
    allow: ['admin', 'agent'],
    hidden: ['keyB'],
    path: (fx) => `/v1/orders/${fx.orderC}/cancel`,
    body: () => ({ reason: 'matrix' }),
  },
  'DELETE /v1/customers/{id}': {
    allow: ['keyB', 'tillX', 'admin'],
    ok: ['keyB'],
    hidden: ['custD'],
    path: (fx) => `/v1/customers/${fx.eraseMe}`,
  },
  ...EXTRA,
  // Ends every caller's session: the very last row.
  'POST /v1/auth/logout': { open: true, allow: [] },
};

let t: TestApp;
let fx: Fx;
const tokens = {} as Record<Who, string>;

async function ok<T = any>(res: Promise<{ status: number; body: any }>, what: string): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as T;
}

beforeAll(async () => {
  t = await startTestApp();
  const s = t.omnia.services;
  const shop = await setupShop(t, { prefix: 'mx' });
  const A = (await s.network.requireChannel('mx-web')).id;
  const X = shop.otherStore.id;
  const Y = shop.store.id;
  const sku = shop.skus[0]!;
  const all = [...SCOPES];
  tokens.anon = '';
  tokens.admin = t.admin;
  tokens.pub = await t.apiKey('mx-web', [], { kind: 'publishable' });
  tokens.keyB = await t.apiKey('mx-app', all);
  tokens.tillX = await t.apiKey('mx-web', all, { location: X });
  const secretA = await t.apiKey('mx-web', all);
  const keyOfA = (await s.auth.createApiKey({ channel: 'mx-web', scopes: ['catalog:read'] })).id;
  for (const [who, role, location] of [
    ['merch', 'merchandiser', undefined],
    ['assocX', 'store_associate', X],
    ['agent', 'agent', undefined],
  ] as const) {
    const email = `${who}@test.omnia`;
    await s.auth.createStaff({ email, password: 'correct horse battery', role, location });
    const login = await ok(
      t.request('POST', '/v1/auth/staff/login', { token: '', body: { email, password: 'correct horse battery' } }),
      `${who} login`,
    );
    tokens[who] = login.token;
  }
  const register = (email: string) =>
    ok(
      t.request('POST', '/v1/auth/customer/register', {
        token: secretA,
        body: { email, password: 'correct horse battery' },
      }),
      email,
    );
  const C = await register('carla@example.com');
  const D = await register('dario@example.com');
  const E = await register('erase.me@example.com');
  tokens.custD = D.token;
  const tokenC: string = C.token;

  // C buys at store Y (click & collect from a cart opened there), and has a delivered home order.
  const buy = async (delivery: unknown) => {
    const cart = await ok(t.request('POST', '/v1/carts', { token: tokenC, body: { location_id: Y } }), 'cart');
    await ok(t.request('POST', `/v1/carts/${cart.id}/items`, { token: tokenC, body: { sku, quantity: 1 } }), 'item');
    return ok(
      t.request('POST', `/v1/carts/${cart.id}/checkout`, {
        token: tokenC,
        body: { delivery, payment: { provider: 'test', card_number: GOOD_CARD }, email: 'carla@example.com' },
      }),
      'checkout',
    );
  };
  const orderC = await buy({ method: 'click_collect', location_id: Y });
  expect(orderC.location_id).toBe(Y);
  const order2 = await buy({ method: 'home', address: HOME_ADDRESS });
  await drain(t);
  // C's click & collect task: sourced at the warehouse, arriving at store Y.
  const all2 = await ok(t.request('GET', `/v1/fulfillments?limit=100`), 'all tasks');
  const taskY = all2.items.find((f: { order_id: string }) => f.order_id === orderC.id)?.id;
  expect(taskY).toBeTruthy();
  // Deliver order 2 so it can be returned, then return one unit at store Y.
  for (const f of all2.items.filter((x: { order_id: string }) => x.order_id === order2.id)) {
    for (const action of ['accept', 'pick', 'pack'])
      await ok(t.request('POST', `/v1/fulfillments/${f.id}/actions`, { body: { action } }), action);
    await ok(
      t.request('POST', `/v1/fulfillments/${f.id}/actions`, { body: { action: 'ship', tracking: 'T1' } }),
      'ship',
    );
  }
  const ret = await ok(
    t.request('POST', '/v1/returns', {
      body: {
        order_id: order2.id,
        channel: 'mx-web',
        location_id: Y,
        lines: [{ line_id: order2.lines[0].line_id, quantity: 1, reason: 'fixture' }],
        refund: 'original',
      },
    }),
    'return',
  );
  // The order keeps a second unit to return in the matrix.
  await ok(t.request('POST', `/v1/carts`, { token: tokenC, body: { location_id: Y } }), 'cart 3');
  const cart = await ok(t.request('POST', '/v1/carts', { token: tokenC, body: { location_id: Y } }), 'open cart');
  const withLine = await ok(
    t.request('POST', `/v1/carts/${cart.id}/items`, { token: tokenC, body: { sku, quantity: 1 } }),
    'cart line',
  );
  const reservation = await ok(
    t.request('POST', '/v1/reservations', {
      body: { channel: 'mx-web', lines: [{ sku, quantity: 1, location_id: Y }], ttl_seconds: 600, reference: 'fx' },
    }),
    'reservation',
  );
  const hook = await t.request('POST', '/v1/webhooks', {
    token: secretA,
    body: { url: 'https://hooks.example.com/a', event_types: ['order.created'] },
  });
  const promos = await ok(t.request('GET', '/v1/promotions'), 'promotions');
  let counter = 0;
  fx = {
    shop,
    A,
    X,
    Y,
    customerC: C.customer_id,
    eraseMe: E.customer_id,
    tokenC,
    cartC: cart.id,
    lineC: withLine.lines[0].line_id,
    orderC: orderC.id,
    order2: order2.id,
    order2Line: order2.lines[0].line_id,
    reservationY: reservation.id,
    taskY,
    returnY: ret.id,
    // Without outbound DNS the webhook may be refused at registration; a missing id still tells 403 from 404.
    webhookA: hook.status === 201 ? hook.body.id : 'whk_missing',
    keyOfA,
    promotion: promos.items[0].id,
    sku,
    n: () => ++counter,
  };
}, 300_000);

afterAll(async () => {
  await t?.close();
});

describe('authorization matrix', () => {
  it('has exactly one row per route of the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    const routes = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(
      routes.filter((r) => !(r in TABLE)),
      'routes without a row in the matrix',
    ).toEqual([]);
    expect(
      Object.keys(TABLE).filter((r) => !routes.includes(r)),
      'rows without a route',
    ).toEqual([]);
  });

  it('answers every route for every kind of caller as the table says', async () => {
    const wrong: string[] = [];
    for (const [route, row] of Object.entries(TABLE)) {
      const [method, template] = route.split(' ') as [string, string];
      const path = row.path ? row.path(fx) : template;
      // The refused first, so that a destructive allowed call does not change what they would see.
      const order = [...WHO.filter((w) => !row.allow.includes(w)), ...WHO.filter((w) => row.allow.includes(w))];
      for (const who of order) {
        const body = row.body?.(fx);
        const res = await t.request(method, path, {
          token: tokens[who],
          ...(body !== undefined ? { body } : {}),
          ...(method === 'GET' || method === 'DELETE' || body !== undefined ? {} : { body: {} }),
        });
        const got = res.status;
        let expected: string;
        let pass: boolean;
        if (row.open) {
          expected = 'not 403';
          pass = got !== 403;
        } else if (row.allow.includes(who)) {
          const needs2xx = row.ok?.includes(who);
          expected = needs2xx ? '2xx' : 'not 401/403';
          pass = needs2xx ? got >= 200 && got < 300 : got !== 401 && got !== 403;
        } else {
          const want = who === 'anon' ? 401 : row.hidden?.includes(who) ? 404 : 403;
          expected = String(want);
          pass = got === want;
        }
        if (!pass)
          wrong.push(`${route} as ${who}: expected ${expected}, got ${got} ${JSON.stringify(res.body)?.slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
