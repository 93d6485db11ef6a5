/**
 * Reviews from every channel (issue 19 point 1), over HTTP: a till purchase reviewed from the web
 * account carries the verified badge (the identity graph joins the till's profile to the account);
 * a product never bought is accepted without it; bad input is problem+json; moderation publishes;
 * the product read carries the summary; the review request goes once per order, only with consent;
 * export and erasure take the author's reviews.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { smtpSink } from '../helpers/smtp.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { act, drain, pickupCodeMailed, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';

describe('reviews from every channel', () => {
  let t: TestApp;
  let net: Net;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let pos: string;
  let pub: string;
  let merch: string;
  let agent: string;
  let webChannel: string;
  let ana: { customer_id: string; token: string };
  let tillRow: string;
  let dress: string;
  let coat: string;

  const account = async (email: string, first: string) =>
    t.omnia.services.customers.register({
      email,
      password: 'a long enough password',
      first_name: first,
      last_name: 'García',
      channelId: webChannel,
    });
  const review = (token: string, body: Record<string, unknown>) => t.request('POST', '/v1/reviews', { token, body });

  beforeAll(async () => {
    t = await startTestApp();
    smtp = await smtpSink();
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    net = await setupNetwork(t);
    const s = t.omnia.services;
    await product(t, 'RV-DRESS', [
      { sku: 'RV-DRESS-S', size: 'S', price: 4990 },
      { sku: 'RV-DRESS-M', size: 'M', price: 4990 },
    ]);
    await product(t, 'RV-COAT', [{ sku: 'RV-COAT-M', size: 'M', price: 9990 }]);
    dress = (await s.catalog.getProduct('RV-DRESS')).id;
    coat = (await s.catalog.getProduct('RV-COAT')).id;
    for (const sku of ['RV-DRESS-S', 'RV-DRESS-M', 'RV-COAT-M']) await receive(t, sku, net.sol, 20);
    pos = await t.apiKey('f-pos', ['carts:read', 'carts:write', 'checkout:write', 'orders:read'], {
      type: 'pos',
      location: net.sol.id,
    });
    pub = await t.apiKey('f-web', [], { kind: 'publishable' });
    webChannel = (await s.network.channel('f-web'))!.id;
    const staff = async (role: 'merchandiser' | 'agent') => {
      await s.auth.createStaff({ email: `${role}@rv.test`, password: 'correct horse battery', role });
      return (await s.auth.loginStaff(`${role}@rv.test`, 'correct horse battery')).token;
    };
    merch = await staff('merchandiser');
    agent = await staff('agent');
    ana = await account('ana@rv.test', 'Ana');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('a till purchase reviewed from the web account shows the verified badge', async () => {
    // At the till Ana is known by her loyalty number only: a profile row of its own.
    const till = await t.request('POST', '/v1/identify', { body: { identifiers: { pos_customer: 'POS-RV-1' } } });
    expect(till.status).toBe(200);
    tillRow = till.body.customer_id;
    expect(tillRow).not.toBe(ana.customer_id);
    const cart = await t.request('POST', '/v1/carts', { token: pos, body: { customer_id: tillRow } });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: pos,
      body: { sku: 'RV-DRESS-M', quantity: 1 },
    });
    const sale = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token: pos,
      body: { delivery: { method: 'in_store' }, payment: { provider: 'manual' } },
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    await drain(t);

    // Before the identity graph knows the till's row is Ana, the web account has bought nothing.
    const before = await review(ana.token, { product_id: coat, rating: 4, text: 'Warm.' });
    expect(before.status).toBe(201);
    expect(before.body).toMatchObject({ verified_purchase: false, status: 'pending', verified_order_id: null });

    // The agent links the till's profile to her account: one person, two identities.
    const merged = await t.request('POST', `/v1/customers/${ana.customer_id}/merge`, {
      token: agent,
      body: { customer_id: tillRow },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const res = await review(ana.token, {
      product_id: 'RV-DRESS',
      rating: 5,
      title: 'Lovely',
      text: 'Bought it in the Sol shop, love it.',
      size_feedback: 'small',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      product_id: dress,
      sku: 'RV-DRESS-M',
      rating: 5,
      verified_purchase: true,
      verified_order_id: sale.body.id,
      verified_channel_type: 'pos',
      customer_id: ana.customer_id,
      author_name: 'Ana G.',
      status: 'pending',
    });
  });

  it('refuses bad input as problem+json, and a second review of the same product', async () => {
    for (const rating of [0, 6, 4.5]) {
      const bad = await review(ana.token, { product_id: coat, rating, text: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.body.type).toContain('validation_failed');
    }
    const size = await review(ana.token, { product_id: coat, rating: 3, text: 'x', size_feedback: 'huge' });
    expect(size.status).toBe(400);
    const unknown = await review(ana.token, { product_id: 'NO-SUCH', rating: 3, text: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('product_id');
    const twice = await review(ana.token, { product_id: dress, rating: 1, text: 'again' });
    expect(twice.status).toBe(409);
    // a review is written with a customer's token: a publishable key is refused
    expect((await review(pub, { product_id: dress, rating: 5, text: 'fake' })).status).toBe(403);
    expect((await review('', { product_id: dress, rating: 5, text: 'anon' })).status).toBe(401);
  });

  it('publishes only what a merchandiser approved, with the summary on the product read', async () => {
    const page = () => t.request('GET', `/v1/products/${dress}/reviews`, { token: pub });
    expect((await page()).body).toMatchObject({ items: [], summary: { count: 0, average: null } });
    const queue = await t.request('GET', '/v1/reviews?status=pending', { token: merch });
    expect(queue.status).toBe(200);
    const mine = queue.body.items.find((r: { product_id: string }) => r.product_id === dress);
    expect(mine).toMatchObject({ product_name: 'RV-DRESS', verified_purchase: true });
    // agents read reviews but do not moderate; a publishable key never sees the queue
    expect((await t.request('POST', `/v1/reviews/${mine.id}/approve`, { token: agent })).status).toBe(403);
    expect((await t.request('GET', '/v1/reviews', { token: pub })).status).toBe(403);
    const ok = await t.request('POST', `/v1/reviews/${mine.id}/approve`, { token: merch });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', moderated_by: expect.stringMatching(/^staff:/) });
    expect((await t.request('POST', `/v1/reviews/${mine.id}/approve`, { token: merch })).status).toBe(409);

    const coatReview = queue.body.items.find((r: { product_id: string }) => r.product_id === coat);
    expect((await t.request('POST', `/v1/reviews/${coatReview.id}/reject`, { token: merch, body: {} })).status).toBe(
      400,
    );
    const rejected = await t.request('POST', `/v1/reviews/${coatReview.id}/reject`, {
      token: merch,
      body: { reason: 'mentions a competitor' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', reject_reason: 'mentions a competitor' });

    const pub1 = await page();
    expect(pub1.status).toBe(200);
    expect(pub1.body.items).toHaveLength(1);
    expect(pub1.body.items[0]).toMatchObject({ author_name: 'Ana G.', verified_purchase: true, rating: 5 });
    expect(pub1.body.items[0].customer_id).toBeUndefined();
    expect(pub1.body.summary).toMatchObject({
      count: 1,
      average: 5,
      distribution: { '1': 0, '5': 1 },
      size_feedback: { count: 1, small: 1, advice: null },
    });
    const coatPage = await t.request('GET', `/v1/products/${coat}/reviews`, { token: pub });
    expect(coatPage.body.items).toEqual([]);
    const read = await t.request('GET', `/v1/products/${dress}`, { token: pub });
    expect(read.status).toBe(200);
    expect(read.body.rating).toMatchObject({ count: 1, average: 5 });
  });

  it('size feedback becomes the product advice and the customer’s own advice', async () => {
    for (const [i, [rating, fit]] of (
      [
        [4, 'small'],
        [2, 'small'],
        [4, 'true'],
      ] as const
    ).entries()) {
      const c = await account(`fit${i}@rv.test`, `Fit${i}`);
      const r = await review(c.token, {
        product_id: dress,
        sku: 'RV-DRESS-S',
        rating,
        text: 'fits?',
        size_feedback: fit,
      });
      expect(r.status).toBe(201);
      expect(r.body.verified_purchase).toBe(false);
      expect((await t.request('POST', `/v1/reviews/${r.body.id}/approve`, { token: merch })).status).toBe(200);
    }
    const { summary } = (await t.request('GET', `/v1/products/RV-DRESS/reviews?limit=2`, { token: pub })).body;
    expect(summary).toMatchObject({
      count: 4,
      average: 3.8,
      distribution: { '2': 1, '4': 2, '5': 1 },
      size_feedback: { count: 4, small: 0.75, true: 0.25, large: 0, advice: 'runs_small' },
    });
    const p1 = await t.request('GET', `/v1/products/RV-DRESS/reviews?limit=2`, { token: pub });
    const p2 = await t.request('GET', `/v1/products/RV-DRESS/reviews?limit=2&cursor=${p1.body.next_cursor}`, {
      token: pub,
    });
    const ids = [...p1.body.items, ...p2.body.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(4);
    expect(p2.body.next_cursor).toBeNull();
    const own = await t.request('GET', `/v1/customers/${ana.customer_id}/reviews`, { token: ana.token });
    expect(own.status).toBe(200);
    expect(own.body.items).toHaveLength(2);
    expect(own.body.size_profile.sizes).toEqual([{ size: 'M', feedback: 'small', suggest: 'L' }]);
    const other = await account('nosy@rv.test', 'Nosy');
    expect((await t.request('GET', `/v1/customers/${ana.customer_id}/reviews`, { token: other.token })).status).toBe(
      404,
    );
  });

  it('asks for a review once per order after pickup, only with marketing consent', async () => {
    const s = t.omnia.services;
    const collect = async (token: string) => {
      const cart = await t.request('POST', '/v1/carts', { token, body: {} });
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: 'RV-COAT-M', quantity: 1 } });
      const o = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
        token,
        body: {
          delivery: { method: 'click_collect', location_id: net.sol.id },
          payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
        },
      });
      expect(o.status, JSON.stringify(o.body)).toBe(201);
      await drain(t);
      const [f] = await s.fulfillment.ofOrder(o.body.id);
      for (const action of ['accept', 'pick', 'pack', 'ready'])
        expect((await act(t, f!.id, { action }, net.solStaff)).status).toBe(200);
      const code = await pickupCodeMailed(t, f!.id);
      expect((await act(t, f!.id, { action: 'handover', pickup_code: code }, net.solStaff)).status).toBe(200);
      await drain(t);
      return o.body.id as string;
    };
    const yes = await account('yes@rv.test', 'Leo');
    await s.customers.setConsents(yes.customer_id, [{ purpose: 'marketing_email', granted: true }], 'test');
    const no = await account('no@rv.test', 'Eva');
    const order = await collect(yes.token);
    await collect(no.token);
    const isRequest = (m: { text: string }) =>
      /Tell other shoppers|Cuéntanos qué te parece|Diga-nos o que achou/.test(m.text);
    const asked = smtp.inbox.filter((m) => m.to === 'yes@rv.test' && isRequest(m));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.text).toContain('RV-COAT');
    expect(asked[0]!.text).toContain('/unsubscribe?token=');
    expect(smtp.inbox.filter((m) => m.to === 'no@rv.test' && isRequest(m))).toHaveLength(0);
    // the other mails of the order (confirmation, ready for pickup) did reach her: only the request is held back
    expect(smtp.inbox.filter((m) => m.to === 'no@rv.test').length).toBeGreaterThan(0);
    const log = await s.notifications.forCustomer([no.customer_id]);
    expect(log.find((m) => m.template === 'review_request')).toMatchObject({
      status: 'skipped',
      reason: 'no marketing consent',
    });
    // Once per order: asking again (a second parcel, a redelivered event) sends nothing.
    expect(await s.reviews.requestReview(order)).toEqual({ status: 'duplicate' });
    expect(smtp.inbox.filter((m) => m.to === 'yes@rv.test' && isRequest(m))).toHaveLength(1);
  });

  it('exports the author’s reviews and erases their words and name, keeping the anonymous stars', async () => {
    const exported = await t.request('GET', `/v1/customers/${ana.customer_id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.reviews.map((r: { product_id: string }) => r.product_id).sort()).toEqual([dress, coat].sort());
    expect((await t.request('DELETE', `/v1/customers/${ana.customer_id}`)).status).toBeLessThan(300);
    await drain(t);
    const page = (await t.request('GET', `/v1/products/${dress}/reviews?limit=50`, { token: pub })).body;
    expect(page.summary.count).toBe(4);
    const hers = page.items.find((r: { rating: number; size_feedback: string }) => r.rating === 5);
    expect(hers).toMatchObject({ author_name: null, text: null, title: null, size_feedback: 'small' });
    const rows = await t.database.db
      .selectFrom('reviews')
      .selectAll()
      .where('customer_id', 'in', [ana.customer_id, tillRow])
      .execute();
    expect(rows).toEqual([]);
  });
});
