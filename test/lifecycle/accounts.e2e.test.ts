import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { setupShop, GOOD_CARD, type Shop } from '../checkout/fixtures.js';
import { codeFor, smtpSink } from './accounts-mail.js';

const PASSWORD = 'a long enough secret';

describe('one account from every channel (issue 16)', () => {
  let t: TestApp;
  let shop: Shop;
  let pub: string;
  /** Secret keys of the shop's web and till channels that may also identify and sign customers up. */
  let web: string;
  let pos: string;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;

  beforeAll(async () => {
    smtp = await smtpSink();
    t = await startTestApp();
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    shop = await setupShop(t, { prefix: 'acc' });
    // The web shop's public key, on the same channel as the shop's secret web key.
    pub = await t.apiKey('acc-web', [], { kind: 'publishable' });
    const scopes = [
      'carts:read',
      'carts:write',
      'checkout:write',
      'orders:read',
      'customers:read',
      'customers:write',
      'customers:authenticate',
    ] as const;
    web = await t.apiKey('acc-web', [...scopes]);
    pos = await t.apiKey('acc-pos', [...scopes], { type: 'pos', location: shop.store.id });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const drain = () => t.omnia.dispatcher.drain();

  async function buy(token: string, body: Record<string, unknown>, cartBody: Record<string, unknown> = {}) {
    const cart = await t.request('POST', '/v1/carts', { token, body: cartBody });
    expect(cart.status).toBe(201);
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: shop.skus[0], quantity: 1 } });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: { payment: { provider: 'test', card_number: GOOD_CARD }, ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; customer_id: string | null };
  }

  it('a till customer registers online, verifies the mailed code and sees the till purchase; the guest web order joins only then', async () => {
    // Known at the till: loyalty card and e-mail, and a purchase there.
    const known = await t.request('POST', '/v1/identify', {
      token: pos,
      body: { identifiers: { loyalty_card: 'LC-1001', email: 'lucia@example.com' }, first_name: 'Lucía' },
    });
    expect(known.status).toBe(200);
    const lucia: string = known.body.customer_id;
    const till = await buy(pos, { delivery: { method: 'in_store' } }, { customer_id: lucia });
    expect(till.customer_id).toBe(lucia);
    // A guest order on the web with the same address: nobody's yet.
    const guest = await buy(shop.keys.web, {
      delivery: { method: 'click_collect', location_id: shop.store.id },
      email: 'lucia@example.com',
    });
    expect(guest.customer_id).toBeNull();
    await drain();

    const reg = await t.request('POST', '/v1/auth/customer/register', {
      token: pub,
      body: { email: 'Lucia@Example.com', password: PASSWORD },
    });
    expect(reg.status).toBe(202);
    expect(reg.body).toEqual({ status: 'code_sent', expires_in_s: 900 });
    // Not before verification: no login, and the guest order is still nobody's.
    expect(
      (
        await t.request('POST', '/v1/auth/customer/login', {
          token: pub,
          body: { email: 'lucia@example.com', password: PASSWORD },
        })
      ).status,
    ).toBe(401);
    expect((await t.request('GET', `/v1/orders/${guest.id}`, { token: t.admin })).body.customer_id).toBeNull();

    await drain();
    const mails = smtp.inbox.filter((m) => m.to === 'lucia@example.com');
    const codeMail = mails[mails.length - 1]!;
    // The channel is Spanish (ES): the mail is too, and the code is stored only hashed.
    expect(codeMail.text).toContain('Tu código de verificación es');
    const code = codeFor(smtp.inbox, 'lucia@example.com');
    const rows = await t.omnia.ctx.db.selectFrom('customer_account_codes').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows.every((r) => r.code_sealed === null)).toBe(true);

    const wrong = await t.request('POST', '/v1/auth/customer/verify', {
      token: pub,
      body: { email: 'lucia@example.com', code: code === '000000' ? '000001' : '000000' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.type).toContain('invalid_code');

    const ok = await t.request('POST', '/v1/auth/customer/verify', {
      token: pub,
      body: { email: 'lucia@example.com', code },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.customer_id).toBe(lucia);
    const token: string = ok.body.token;
    // Used once: the same code opens nothing again.
    expect(
      (await t.request('POST', '/v1/auth/customer/verify', { token: pub, body: { email: 'lucia@example.com', code } }))
        .status,
    ).toBe(422);

    const me = await t.request('GET', `/v1/customers/${lucia}`, { token });
    expect(me.status).toBe(200);
    expect(me.body.has_account).toBe(true);
    expect(me.body.identifiers).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'email', value: 'lucia@example.com', verified: true })]),
    );
    const mine = await t.request('GET', '/v1/orders', { token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((o: { id: string }) => o.id).sort()).toEqual([till.id, guest.id].sort());
    await drain();
    const view = await t.request('GET', `/v1/customers/${lucia}`, { token });
    expect(view.body.recent_orders.map((o: { order_id: string }) => o.order_id).sort()).toEqual(
      [till.id, guest.id].sort(),
    );
    // And the password chosen at registration now logs in.
    const login = await t.request('POST', '/v1/auth/customer/login', {
      token: pub,
      body: { email: 'lucia@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    expect(login.body.customer_id).toBe(lucia);
  });

  it('answers the same whether or not an address is known (no e-mail oracle)', async () => {
    await t.request('POST', '/v1/identify', { token: pos, body: { identifiers: { email: 'known@example.com' } } });
    await t.request('POST', '/v1/auth/customer/register', {
      token: web,
      body: { email: 'taken@example.com', password: PASSWORD },
    });
    const ask = (email: string) =>
      t.request('POST', '/v1/auth/customer/register', { token: pub, body: { email, password: PASSWORD } });
    const answers = [await ask('nobody@example.com'), await ask('known@example.com'), await ask('taken@example.com')];
    const shape = (r: { status: number; body: unknown; headers: Record<string, unknown> }) => ({
      status: r.status,
      body: r.body,
      headers: Object.keys(r.headers)
        .filter(
          (h) => !['date', 'x-request-id', 'content-length', 'x-ratelimit-remaining', 'x-ratelimit-reset'].includes(h),
        )
        .sort(),
    });
    expect(shape(answers[1]!)).toEqual(shape(answers[0]!));
    expect(shape(answers[2]!)).toEqual(shape(answers[0]!));
    const reset = (email: string) =>
      t.request('POST', '/v1/auth/customer/password-reset', { token: pub, body: { email } });
    const resets = [await reset('nobody@example.com'), await reset('taken@example.com')];
    expect(shape(resets[1]!)).toEqual(shape(resets[0]!));
    expect(resets[0]!.status).toBe(202);
    await drain();
    // The account holder is told, the unknown address gets no reset mail, and guessing a code for it fails alike.
    expect(smtp.inbox.filter((m) => m.to === 'taken@example.com').map((m) => m.text)).toEqual(
      expect.arrayContaining([expect.stringContaining('ya tiene una cuenta')]),
    );
    expect(smtp.inbox.filter((m) => m.to === 'nobody@example.com' && m.text.includes('restablecer'))).toHaveLength(0);
    const guess = (email: string) =>
      t.request('POST', '/v1/auth/customer/password-reset/confirm', {
        token: pub,
        body: { email, code: '123456', password: 'another long secret' },
      });
    const [g1, g2] = [await guess('nobody@example.com'), await guess('taken@example.com')];
    expect(g1.status).toBe(422);
    expect(shape(g2)).toEqual(shape(g1));
  });

  it('login on a device merges its anonymous cart and history without another call', async () => {
    const reg = await t.request('POST', '/v1/auth/customer/register', {
      token: web,
      body: { email: 'dev@example.com', password: PASSWORD },
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const me: string = reg.body.customer_id;
    // Browsing anonymously on the public key: a cart and some events.
    const cart = await t.request('POST', '/v1/carts', { token: pub, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: pub,
      body: { sku: shop.skus[1], quantity: 2 },
    });
    const ev = await t.request('POST', '/v1/events', {
      token: pub,
      body: {
        events: [
          {
            type: 'page_viewed',
            timestamp: t.omnia.ctx.clock.now().toISOString(),
            anonymous_id: 'anon-dev-1',
            properties: { path: '/sale' },
          },
        ],
      },
    });
    expect(ev.body.accepted).toBe(1);
    const login = await t.request('POST', '/v1/auth/customer/login', {
      token: pub,
      body: { email: 'dev@example.com', password: PASSWORD, cart_id: cart.body.id, anonymous_id: 'anon-dev-1' },
    });
    expect(login.status).toBe(200);
    expect(login.body.merged).toEqual({ cart: true, history: true });
    const mine = await t.request('GET', `/v1/carts/${cart.body.id}`, { token: login.body.token });
    expect(mine.status).toBe(200);
    expect(mine.body.customer_id).toBe(me);
    const exported = await t.request('GET', `/v1/customers/${me}/export`, { token: login.body.token });
    expect(exported.body.events.map((e: { type: string }) => e.type)).toContain('page_viewed');
    // Someone else's cart is not taken over by logging in with its id: the login still succeeds.
    const other = await t.request('POST', '/v1/auth/customer/login', {
      token: pub,
      body: { email: 'lucia@example.com', password: PASSWORD, cart_id: cart.body.id },
    });
    expect(other.status).toBe(200);
    expect(other.body.merged.cart).toBe(false);
  });

  it('resets a password with a mailed code; old sessions end; codes die after 5 wrong guesses; attempts are rate-limited', async () => {
    const reg = await t.request('POST', '/v1/auth/customer/register', {
      token: web,
      body: { email: 'reset@example.com', password: PASSWORD },
    });
    const oldToken: string = reg.body.token;
    // An account made at once by the shop's server has an unproven address: its guest order stays a guest's…
    const guest = await buy(shop.keys.web, {
      delivery: { method: 'click_collect', location_id: shop.store.id },
      email: 'reset@example.com',
    });
    expect(guest.customer_id).toBeNull();
    expect(
      (
        await t.request('POST', '/v1/auth/customer/password-reset', {
          token: pub,
          body: { email: 'reset@example.com' },
        })
      ).status,
    ).toBe(202);
    await drain();
    const code = codeFor(smtp.inbox, 'reset@example.com');
    const confirm = await t.request('POST', '/v1/auth/customer/password-reset/confirm', {
      token: pub,
      body: { email: 'reset@example.com', code, password: 'my brand new secret' },
    });
    expect(confirm.status).toBe(200);
    const login = (password: string) =>
      t.request('POST', '/v1/auth/customer/login', { token: pub, body: { email: 'reset@example.com', password } });
    expect((await login(PASSWORD)).status).toBe(401);
    expect((await login('my brand new secret')).status).toBe(200);
    // …until a reset code read in that inbox proves it.
    const orders = await t.request('GET', '/v1/orders', { token: confirm.body.token });
    expect(orders.body.items.map((o: { id: string }) => o.id)).toEqual([guest.id]);
    expect((await t.request('GET', `/v1/customers/${reg.body.customer_id}`, { token: oldToken })).status).toBe(401);

    // A fresh code dies after 5 wrong guesses, even for the right one.
    await t.request('POST', '/v1/auth/customer/password-reset', { token: pub, body: { email: 'reset@example.com' } });
    await drain();
    const fresh = codeFor(smtp.inbox, 'reset@example.com');
    const attempt = (c: string) =>
      t.request('POST', '/v1/auth/customer/password-reset/confirm', {
        token: pub,
        body: { email: 'reset@example.com', code: c, password: 'yet another secret!' },
      });
    const wrong = fresh === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) expect((await attempt(wrong)).status).toBe(422);
    expect((await attempt(fresh)).status).toBe(422);
    // Per-address limit (10 a minute by default) answers 429 before any check.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(wrong)).status);
    expect(statuses).toContain(429);
  });
});
