import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { SESSION_CACHE_MS } from '../../src/platform/auth/sessions.js';

/**
 * Issue 11 point 7: staff and customer tokens are revocable (logout, disabling a user, changing their
 * role or location, erasing a customer), and idempotency records keep no secret readable.
 */
describe('sessions: revocable staff and customer tokens', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const password = 'a long enough password';
  let storeA: string;
  let storeB: string;

  // A token is refused when issued at or before its subject's revocation: move time on between steps.
  const tick = () => clock.advance(1000);
  const login = async (email: string) => {
    tick();
    const res = await t.request('POST', '/v1/auth/staff/login', { token: '', body: { email, password } });
    return { status: res.status, token: res.body?.token as string };
  };
  const canRead = async (token: string) => (await t.request('GET', '/v1/channels', { token })).status;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const store = (code: string) =>
      t.omnia.services.network.createLocation({
        code,
        type: 'store',
        name: code,
        lat: 40.4,
        lng: -3.7,
        address: { line1: 'Gran Vía 1', city: 'Madrid', postal_code: '28013', country: 'ES' },
      });
    storeA = (await store('a')).id;
    storeB = (await store('b')).id;
  });
  afterAll(() => t.close());

  it('logout ends that token only; the user’s other sessions go on', async () => {
    await t.omnia.services.auth.createStaff({ email: 'out@test.omnia', password, role: 'merchandiser' });
    const first = await login('out@test.omnia');
    const second = await login('out@test.omnia');
    expect(await canRead(first.token)).toBe(200);
    expect((await t.request('POST', '/v1/auth/logout', { token: first.token })).status).toBe(204);
    expect(await canRead(first.token)).toBe(401);
    expect(await canRead(second.token)).toBe(200);
    // Logging out needs a staff or customer token: an API key or nothing is 401.
    expect((await t.request('POST', '/v1/auth/logout', { token: '' })).status).toBe(401);
    const key = await t.apiKey('web', ['network:read']);
    expect((await t.request('POST', '/v1/auth/logout', { token: key })).status).toBe(401);
  });

  it('disabling a user refuses their tokens at once and their next login', async () => {
    const u = await t.omnia.services.auth.createStaff({ email: 'off@test.omnia', password, role: 'merchandiser' });
    const { token } = await login('off@test.omnia');
    expect(await canRead(token)).toBe(200);
    tick();
    const res = await t.request('PATCH', `/v1/staff/${u.id}`, { body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect(await canRead(token)).toBe(401);
    expect((await login('off@test.omnia')).status).toBe(401);
    tick();
    await t.request('PATCH', `/v1/staff/${u.id}`, { body: { disabled: false } });
    expect(await canRead((await login('off@test.omnia')).token)).toBe(200);
  });

  it('changing a role or a location refuses the tokens that carry the old one', async () => {
    const u = await t.omnia.services.auth.createStaff({
      email: 'move@test.omnia',
      password,
      role: 'store_associate',
      location: storeA,
    });
    const asAssociate = await login('move@test.omnia');
    expect(await canRead(asAssociate.token)).toBe(200);
    tick();
    expect((await t.request('PATCH', `/v1/staff/${u.id}`, { body: { location_id: storeB } })).status).toBe(200);
    expect(await canRead(asAssociate.token)).toBe(401);

    const atB = await login('move@test.omnia');
    expect(await canRead(atB.token)).toBe(200);
    tick();
    const promoted = await t.request('PATCH', `/v1/staff/${u.id}`, { body: { role: 'agent', location_id: null } });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'agent', location_id: null });
    expect(await canRead(atB.token)).toBe(401);
    const asAgent = await login('move@test.omnia');
    expect(asAgent.status).toBe(200);
    expect(await canRead(asAgent.token)).toBe(200);
  });

  it('a change that changes nothing revokes nothing; bad changes are refused', async () => {
    const u = await t.omnia.services.auth.createStaff({ email: 'same@test.omnia', password, role: 'merchandiser' });
    const { token } = await login('same@test.omnia');
    tick();
    expect((await t.request('PATCH', `/v1/staff/${u.id}`, { body: { role: 'merchandiser' } })).status).toBe(200);
    expect(await canRead(token)).toBe(200);
    const noLocation = await t.request('PATCH', `/v1/staff/${u.id}`, { body: { role: 'store_associate' } });
    expect(noLocation.status).toBe(400);
    expect((await t.request('PATCH', `/v1/staff/${u.id}`, { body: {} })).status).toBe(400);
    expect((await t.request('PATCH', '/v1/staff/usr_nobody', { body: { disabled: true } })).status).toBe(404);
    expect(await canRead(token)).toBe(200);
  });

  it('customer logout and erasure refuse the customer’s tokens', async () => {
    await t.apiKey('web', ['network:read']); // makes the channel
    const webId = (await t.omnia.services.network.channel('web'))!.id;
    const reg = await t.omnia.services.customers.register({
      email: 'shopper@test.omnia',
      password,
      channelId: webId,
    });
    const profile = (token: string) => t.request('GET', `/v1/customers/${reg.customer_id}`, { token });
    expect((await profile(reg.token)).status).toBe(200);
    tick();
    const again = await t.omnia.services.customers.login('shopper@test.omnia', password, webId);
    expect((await t.request('POST', '/v1/auth/logout', { token: reg.token })).status).toBe(204);
    expect((await profile(reg.token)).status).toBe(401);
    expect((await profile(again.token)).status).toBe(200);

    tick();
    expect((await t.request('DELETE', `/v1/customers/${reg.customer_id}`)).status).toBe(200);
    expect((await profile(again.token)).status).toBe(401);
  });

  it('a revocation made by another process is seen within the session cache window', async () => {
    const u = await t.omnia.services.auth.createStaff({ email: 'far@test.omnia', password, role: 'merchandiser' });
    const { token } = await login('far@test.omnia');
    expect(await canRead(token)).toBe(200); // now cached as live in this process
    tick();
    // Another process (another AuthService on the same database) disables the user.
    await t.omnia.database.db
      .insertInto('auth_revocations')
      .values({ subject: u.id, not_before: clock.now() })
      .execute();
    expect(await canRead(token)).toBe(200);
    clock.advance(SESSION_CACHE_MS);
    expect(await canRead(token)).toBe(401);
  });
});
