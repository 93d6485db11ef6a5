/**
 * Publishable and secret keys (issue 11 point 1): the prefix says which, a publishable key has the
 * fixed storefront rights only, and nobody mints a key or a staff user with more than they hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await t.omnia.services.network.createChannel({ code: 'web', type: 'web', name: 'Web' });
  await t.omnia.services.network.createChannel({ code: 'app', type: 'app', name: 'App' });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('API key kinds', () => {
  it('mints a publishable key with the fixed storefront rights, and refuses more rather than clamping', async () => {
    const pub = await t.request('POST', '/v1/api-keys', { body: { channel_id: 'web', kind: 'publishable' } });
    expect(pub.status).toBe(201);
    expect(pub.body.key).toMatch(/^omk_pub_key_/);
    expect(pub.body.kind).toBe('publishable');
    expect(pub.body.scopes).toContain('customers:authenticate');
    expect(pub.body.scopes).not.toContain('orders:read');
    const more = await t.request('POST', '/v1/api-keys', {
      body: { channel_id: 'web', kind: 'publishable', scopes: ['catalog:read', 'customers:read'] },
    });
    expect(more.status).toBe(400);
    expect(more.body.detail).toContain('customers:read');
    const secretWithout = await t.request('POST', '/v1/api-keys', { body: { channel_id: 'web', kind: 'secret' } });
    expect(secretWithout.status).toBe(400);
    const listed = await t.request('GET', '/v1/api-keys');
    expect(listed.body.items.find((k: { id: string }) => k.id === pub.body.id).kind).toBe('publishable');
  });

  it('a publishable key reads the catalog, registers and logs in shoppers, and reaches no customer or order', async () => {
    const key = await t.apiKey('web', [], { kind: 'publishable' });
    expect((await t.request('GET', '/v1/products', { token: key })).status).toBe(200);
    const reg = await t.request('POST', '/v1/auth/customer/register', {
      token: key,
      body: { email: 'pia@example.com', password: 'correct horse battery' },
    });
    // On a public key, registering mails a code and answers the same for every address (issue 16,
    // test/lifecycle/accounts.e2e.test.ts); the shop's server (a secret key) creates the account here.
    expect(reg.status).toBe(202);
    const server = await t.apiKey('web', ['customers:authenticate']);
    const made = await t.request('POST', '/v1/auth/customer/register', {
      token: server,
      body: { email: 'pia@example.com', password: 'correct horse battery' },
    });
    expect(made.status).toBe(201);
    const login = await t.request('POST', '/v1/auth/customer/login', {
      token: key,
      body: { email: 'pia@example.com', password: 'correct horse battery' },
    });
    expect(login.status).toBe(200);
    const id = made.body.customer_id;
    for (const [method, url] of [
      ['GET', `/v1/customers/${id}`],
      ['GET', `/v1/customers/${id}/export`],
      ['DELETE', `/v1/customers/${id}`],
      ['GET', '/v1/orders'],
      ['GET', '/v1/inventory/ANY'],
      ['GET', '/v1/returns'],
    ] as const)
      expect((await t.request(method, url, { token: key })).status, `${method} ${url}`).toBe(403);
    // The shopper's own token does reach the profile.
    expect((await t.request('GET', `/v1/customers/${id}`, { token: login.body.token })).status).toBe(200);
    // Events from a publishable key are anonymous: naming a customer is refused per event.
    const events = await t.request('POST', '/v1/events', {
      token: key,
      body: {
        events: [
          { type: 'page_viewed', timestamp: '2026-11-30T10:00:00Z', anonymous_id: 'a1', properties: { path: '/' } },
          { type: 'page_viewed', timestamp: '2026-11-30T10:00:00Z', customer_id: id, properties: { path: '/' } },
        ],
      },
    });
    expect(events.status).toBe(200);
    expect(events.body.accepted).toBe(1);
    expect(events.body.rejected).toEqual([expect.objectContaining({ index: 1 })]);
  });

  it('the prefix must match the stored kind; keys minted before kinds still work as secret keys', async () => {
    const pub = await t.apiKey('web', [], { kind: 'publishable' });
    expect((await t.request('GET', '/v1/products', { token: pub.replace('omk_pub_', 'omk_sec_') })).status).toBe(401);
    const sec = await t.apiKey('web', ['catalog:read']);
    expect(sec).toMatch(/^omk_sec_/);
    expect((await t.request('GET', '/v1/products', { token: sec.replace('omk_sec_', 'omk_') })).status).toBe(200);
  });

  it('grants only what the creator holds, within its own channel and store', async () => {
    const manager = await t.apiKey('web', ['api_keys:manage', 'catalog:read']);
    const up = await t.request('POST', '/v1/api-keys', {
      token: manager,
      body: { channel_id: 'web', kind: 'secret', scopes: ['catalog:read', 'customers:export'] },
    });
    expect(up.status).toBe(403);
    expect(up.body.missing_scopes).toEqual(['customers:export']);
    const same = await t.request('POST', '/v1/api-keys', {
      token: manager,
      body: { channel_id: 'web', kind: 'secret', scopes: ['catalog:read'] },
    });
    expect(same.status).toBe(201);
    const elsewhere = await t.request('POST', '/v1/api-keys', {
      token: manager,
      body: { channel_id: 'app', kind: 'secret', scopes: ['catalog:read'] },
    });
    expect(elsewhere.status).toBe(403);
    // Another channel's keys do not exist for a key: not listed, not revocable.
    const appManager = await t.apiKey('app', ['api_keys:manage', 'catalog:read']);
    const appList = await t.request('GET', '/v1/api-keys', { token: appManager });
    expect(appList.body.items.some((k: { id: string }) => k.id === same.body.id)).toBe(false);
    expect((await t.request('DELETE', `/v1/api-keys/${same.body.id}`, { token: appManager })).status).toBe(404);
    expect((await t.request('DELETE', `/v1/api-keys/${same.body.id}`, { token: manager })).status).toBe(204);
    const staffManager = await t.apiKey('web', ['staff:manage']);
    const admin = await t.request('POST', '/v1/staff', {
      token: staffManager,
      body: { email: 'boss@example.com', password: 'a long enough password', role: 'admin' },
    });
    expect(admin.status).toBe(403);
  });

  it('coupon codes need coupons:read, customer export and erasure their own scopes', async () => {
    const reader = await t.apiKey('web', ['promotions:read', 'customers:read', 'customers:write']);
    expect((await t.request('GET', '/v1/promotions/prm_x/coupons', { token: reader })).status).toBe(403);
    expect((await t.request('GET', '/v1/customers/cus_x/export', { token: reader })).status).toBe(403);
    expect((await t.request('DELETE', '/v1/customers/cus_x', { token: reader })).status).toBe(403);
    const exporter = await t.apiKey('web', ['coupons:read', 'customers:export', 'customers:erase']);
    expect((await t.request('GET', '/v1/promotions/prm_x/coupons', { token: exporter })).status).toBe(404);
    expect((await t.request('GET', '/v1/customers/cus_x/export', { token: exporter })).status).toBe(404);
    expect((await t.request('DELETE', '/v1/customers/cus_x', { token: exporter })).status).toBe(404);
  });
});
