import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Issue 11 point 7: login attempts are limited per account and per IP before any password is checked,
 * and idempotency records never keep a secret (a key shown once, a token) readable.
 */
describe('abuse: login rate limits', () => {
  let t: TestApp;
  const password = 'a long enough password';
  let key: string;

  beforeAll(async () => {
    // Small limits through the configuration (the counter runs on real time, not the injected clock).
    t = await startTestApp({ env: { OMNIA_LOGIN_RATE_ACCOUNT: '2', OMNIA_LOGIN_RATE_IP: '5' } });
    await t.omnia.services.auth.createStaff({ email: 'limited@test.omnia', password, role: 'merchandiser' });
  });
  afterAll(() => t.close());

  const staffLogin = (email: string, pw: string, ip = '127.0.0.1') =>
    t.omnia.app.inject({
      method: 'POST',
      url: '/v1/auth/staff/login',
      remoteAddress: ip,
      payload: { email, password: pw },
    });

  it('refuses a third attempt on one account with 429 rate_limited and Retry-After, even with the right password', async () => {
    expect((await staffLogin('limited@test.omnia', 'wrong password 1')).statusCode).toBe(401);
    expect((await staffLogin('LIMITED@test.omnia ', 'wrong password 2')).statusCode).toBe(401);
    const res = await staffLogin('limited@test.omnia', password);
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'rate_limited', status: 429, limit: 'staff-login:account' });
    expect(res.json().retry_after).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // The account limit is the account's: from another address it is still refused.
    expect((await staffLogin('limited@test.omnia', password, '10.0.0.9')).statusCode).toBe(429);
  });

  it('limits one IP across accounts, unknown ones included, and leaves other IPs alone', async () => {
    // 127.0.0.1 has made 3 attempts above; two more are admitted, the sixth is refused.
    expect((await staffLogin('nobody1@test.omnia', 'x')).statusCode).toBe(401);
    expect((await staffLogin('nobody2@test.omnia', 'x')).statusCode).toBe(401);
    const refused = await staffLogin('nobody3@test.omnia', 'x');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    expect((await staffLogin('nobody3@test.omnia', 'x', '10.0.0.7')).statusCode).toBe(401);
  });

  it('limits customer login per account too', async () => {
    key = await t.apiKey('web', ['customers:authenticate']);
    const login = (pw: string) =>
      t.omnia.app.inject({
        method: 'POST',
        url: '/v1/auth/customer/login',
        remoteAddress: '10.0.0.20',
        headers: { authorization: `Bearer ${key}` },
        payload: { email: 'shopper@test.omnia', password: pw },
      });
    expect((await login('wrong 1')).statusCode).toBe(401);
    expect((await login('wrong 2')).statusCode).toBe(401);
    const res = await login('wrong 3');
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('rate_limited');
  });

  it('limits customer registration per IP (it hashes a password), counting refused bodies too', async () => {
    const register = () =>
      t.omnia.app.inject({
        method: 'POST',
        url: '/v1/auth/customer/register',
        remoteAddress: '10.0.0.30',
        headers: { authorization: `Bearer ${key}` },
        payload: { email: 'new@test.omnia', password: 'short' },
      });
    for (let i = 0; i < 5; i++) expect((await register()).statusCode).toBe(400);
    const res = await register();
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('rate_limited');
  });
});

describe('abuse: idempotency records keep no secret readable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const stored = async () =>
    JSON.stringify((await sql`select * from idempotency_keys`.execute(t.omnia.database.db)).rows);

  it('seals a minted API key: the table never holds it, a replay still returns it', async () => {
    await t.omnia.services.network.createChannel({ code: 'web', type: 'web', name: 'Web' });
    const body = { channel_id: 'web', kind: 'secret', scopes: ['catalog:read'] };
    const headers = { 'idempotency-key': 'mint-1' };
    const first = await t.request('POST', '/v1/api-keys', { body, headers });
    expect(first.status).toBe(201);
    const key = first.body.key as string;
    const secretPart = key.split('.')[1]!;
    const rows = await stored();
    expect(rows).toContain('mint-1');
    expect(rows).not.toContain(secretPart);
    expect(rows).not.toContain(first.body.id); // nothing of the answer is readable
    const replay = await t.request('POST', '/v1/api-keys', { body, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.key).toBe(key);
  });

  it('seals a login answer: the token is not in the table', async () => {
    const res = await t.request('POST', '/v1/auth/staff/login', {
      token: '',
      body: { email: 'admin@test.omnia', password: 'correct horse battery' },
      headers: { 'idempotency-key': 'login-1' },
    });
    expect(res.status).toBe(200);
    const rows = await stored();
    expect(rows).toContain('login-1');
    expect(rows).not.toContain(res.body.token.split('.')[3]);
  });

  it('stores the route pattern, not a URL whose ids may be secrets', async () => {
    const created = await t.request('POST', '/v1/api-keys', {
      body: { channel_id: 'web', kind: 'secret', scopes: ['catalog:read'] },
    });
    await t.request('DELETE', `/v1/api-keys/${created.body.id}`, { headers: { 'idempotency-key': 'revoke-1' } });
    const row = await sql<{
      path: string;
    }>`select path from idempotency_keys where key = 'revoke-1'`.execute(t.omnia.database.db);
    expect(row.rows[0]?.path).toBe('/v1/api-keys/:id');
  });

  it('answers 409 idempotency_answer_unavailable when the sealing secret is gone', async () => {
    const body = { channel_id: 'web', kind: 'secret', scopes: ['catalog:read'] };
    const headers = { 'idempotency-key': 'mint-2' };
    expect((await t.request('POST', '/v1/api-keys', { body, headers })).status).toBe(201);
    // As if sealed by a secret since dropped from OMNIA_SECRET_PREVIOUS.
    await sql`update idempotency_keys set response = 'enc1.unknown0.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA' where key = 'mint-2'`.execute(
      t.omnia.database.db,
    );
    const replay = await t.request('POST', '/v1/api-keys', { body, headers });
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('idempotency_answer_unavailable');
  });
});
