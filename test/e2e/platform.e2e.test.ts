import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const store = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  type: 'store',
  name: `Store ${code}`,
  lat: 40.4168,
  lng: -3.7038,
  address: { line1: 'Gran Vía 1', city: 'Madrid', postal_code: '28013', country: 'ES' },
  capabilities: ['pickup', 'ship_from_store', 'returns'],
  daily_capacity: 50,
  ...extra,
});

describe('HTTP conventions, auth and the network module', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('serves health, readiness, OpenAPI and docs', async () => {
    expect((await t.request('GET', '/health', { token: '' })).body).toEqual({ status: 'ok' });
    expect((await t.request('GET', '/ready', { token: '' })).body).toEqual({ status: 'ready' });
    const doc = await t.request('GET', '/openapi.json', { token: '' });
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/v1/channels'].post).toBeTruthy();
    expect((await t.request('GET', '/docs/', { token: '' })).status).toBe(200);
  });

  it('sends security headers and a request id', async () => {
    const res = await t.request('GET', '/health', { token: '', headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('answers 401 without a credential, with a bad one, and 403 without the scope', async () => {
    const none = await t.request('GET', '/v1/channels', { token: '' });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body.code).toBe('unauthorized');
    expect((await t.request('GET', '/v1/channels', { token: 'v1.bogus.sig' })).status).toBe(401);
    const readOnly = await t.apiKey('web', ['catalog:read']);
    const res = await t.request('POST', '/v1/channels', {
      token: readOnly,
      body: { code: 'x', type: 'web', name: 'X' },
    });
    expect(res.status).toBe(403);
    expect(res.body.required_scope).toBe('network:write');
  });

  it('logs staff in, refuses wrong passwords, and never reveals which emails exist', async () => {
    const ok = await t.request('POST', '/v1/auth/staff/login', {
      token: '',
      body: { email: 'admin@test.omnia', password: 'correct horse battery' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.role).toBe('admin');
    const bad = await t.request('POST', '/v1/auth/staff/login', {
      token: '',
      body: { email: 'admin@test.omnia', password: 'nope' },
    });
    const unknown = await t.request('POST', '/v1/auth/staff/login', {
      token: '',
      body: { email: 'who@test.omnia', password: 'nope' },
    });
    expect(bad.status).toBe(401);
    expect(unknown.body.detail).toBe(bad.body.detail);
  });

  it('creates channels and locations, and refuses bad input without changing anything', async () => {
    const created = await t.request('POST', '/v1/channels', {
      body: { code: 'app', type: 'app', name: 'Mobile app', stock_policy: { safety_stock: 1 } },
    });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^chn_/);
    expect(created.body.stock_policy).toEqual({ locations: 'all', safety_stock: 1, buffer_pct: 0 });

    const dup = await t.request('POST', '/v1/channels', { body: { code: 'app', type: 'app', name: 'Again' } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('duplicate');

    const wrongType = await t.request('POST', '/v1/channels', { body: { code: 'zz', type: 'fax', name: 1 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.code).toBe('validation_failed');
    expect(wrongType.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body/type', 'body/name']),
    );

    const unknownField = await t.request('POST', '/v1/channels', {
      body: { code: 'yy', type: 'web', name: 'Y', colour: 'red' },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0].field).toBe('body/colour');

    const malformed = await t.request('POST', '/v1/channels', { body: '{"code": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');

    const badCoords = await t.request('POST', '/v1/locations', { body: store('madrid-1', { lat: 91 }) });
    expect(badCoords.status).toBe(400);
    expect(badCoords.body.errors[0].field).toBe('body/lat');

    const badHours = await t.request('POST', '/v1/locations', {
      body: store('madrid-1', { opening_hours: { mon: [['21:00', '10:00']] } }),
    });
    expect(badHours.status).toBe(400);

    const list = await t.request('GET', '/v1/channels');
    expect(list.body.items.map((c: { code: string }) => c.code)).toEqual(['web', 'app']);
    expect((await t.request('GET', '/v1/locations')).body.items).toEqual([]);

    const loc = await t.request('POST', '/v1/locations', {
      body: store('madrid-1', { opening_hours: { mon: [['10:00', '21:00']] } }),
    });
    expect(loc.status).toBe(201);
    const policy = await t.request('PATCH', '/v1/channels/app', {
      body: { stock_policy: { locations: [loc.body.id], buffer_pct: 10 } },
    });
    expect(policy.status).toBe(200);
    expect(policy.body.stock_policy).toEqual({ locations: [loc.body.id], safety_stock: 1, buffer_pct: 10 });
    const badPolicy = await t.request('PATCH', '/v1/channels/app', {
      body: { stock_policy: { locations: ['loc_nope'] } },
    });
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.errors[0].field).toBe('stock_policy/locations/0');
    const over = await t.request('PATCH', '/v1/channels/app', { body: { stock_policy: { buffer_pct: 101 } } });
    expect(over.status).toBe(400);
    expect((await t.request('GET', '/v1/channels/app')).body.stock_policy.buffer_pct).toBe(10);
  });

  it('paginates with cursors', async () => {
    for (let i = 0; i < 5; i++) await t.request('POST', '/v1/locations', { body: store(`page-${i}`) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { code: string }[]; next_cursor: string | null } } = await t.request(
        'GET',
        `/v1/locations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.items.map((l) => l.code));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((c) => c.startsWith('page-'))).toHaveLength(5);
    expect((await t.request('GET', '/v1/locations?limit=0')).status).toBe(400);
    expect((await t.request('GET', '/v1/locations?cursor=***')).status).toBe(400);
  });

  it('replays an Idempotency-Key, refuses it with another body, and frees it after a 5xx', async () => {
    const body = { code: 'social', type: 'social', name: 'Instagram shop' };
    const first = await t.request('POST', '/v1/channels', { body, headers: { 'idempotency-key': 'k-1' } });
    const again = await t.request('POST', '/v1/channels', { body, headers: { 'idempotency-key': 'k-1' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await t.request('POST', '/v1/channels', {
      body: { ...body, name: 'Other' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    // a failed request (4xx) is also remembered: same key, same body → same answer
    const bad1 = await t.request('POST', '/v1/channels', {
      body: { ...body, code: 'BAD CODE' },
      headers: { 'idempotency-key': 'k-2' },
    });
    const bad2 = await t.request('POST', '/v1/channels', {
      body: { ...body, code: 'BAD CODE' },
      headers: { 'idempotency-key': 'k-2' },
    });
    expect(bad1.status).toBe(400);
    expect(bad2.status).toBe(400);
  });

  it('refuses a body over the size limit', async () => {
    const huge = { code: 'big', type: 'web', name: 'x'.repeat(2 * 1024 * 1024) };
    const res = await t.request('POST', '/v1/channels', { body: huge });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('issues channel API keys shown once, binds POS keys to a store, and revokes them', async () => {
    const loc = (await t.request('GET', '/v1/locations/madrid-1')).body;
    const created = await t.request('POST', '/v1/api-keys', {
      body: { channel_id: 'app', location_id: 'madrid-1', scopes: ['network:read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^omk_sec_key_/);
    expect(created.body.location_id).toBe(loc.id);
    expect((await t.request('GET', '/v1/channels', { token: created.body.key })).status).toBe(200);
    const listed = await t.request('GET', '/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key.split('.')[1]);
    expect(
      (await t.request('POST', '/v1/api-keys', { body: { channel_id: 'nope', scopes: ['network:read'] } })).status,
    ).toBe(400);
    expect((await t.request('POST', '/v1/api-keys', { body: { channel_id: 'app', scopes: ['fly'] } })).status).toBe(
      400,
    );
    expect((await t.request('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await t.request('GET', '/v1/channels', { token: created.body.key })).status).toBe(401);
    expect((await t.request('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(409);
  });

  it('writes each change and its event in one transaction, and dispatches them', async () => {
    const seen: string[] = [];
    t.omnia.ctx.bus.subscribe('channel.*', async (e) => void seen.push(`${e.type}:${e.data.code}`));
    await t.request('POST', '/v1/channels', { body: { code: 'amazon', type: 'marketplace', name: 'Amazon' } });
    await t.omnia.dispatcher.drain();
    expect(seen).toContain('channel.created:amazon');
    const again = await t.omnia.dispatcher.drain();
    expect(again).toBe(0);
  });

  it('answers unknown routes with a problem', async () => {
    const res = await t.request('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});
