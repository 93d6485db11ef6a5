import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { CODE_ALPHABET } from '../../src/promotions/codes.js';

const product = (
  code: string,
  category: string,
  price: number,
  extra: Record<string, unknown> = {},
  size: string | null = null,
) => ({
  code,
  name: code,
  category,
  variants: [{ sku: code, size, prices: [{ currency: 'EUR', list_amount: price }] }],
  ...extra,
});

describe('promotions and the quote API', () => {
  let t: TestApp;
  let web: string;
  let pos: string;
  let cc: string;
  let storeId: string;
  const clock = new ManualClock('2026-06-01T12:00:00Z');
  const basket = {
    lines: [
      { sku: 'SHOE', quantity: 2 },
      { sku: 'BAG', quantity: 1 },
      { sku: 'BOOK', quantity: 1 },
    ],
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const loc = await t.request('POST', '/v1/locations', {
      body: {
        code: 'lisboa-1',
        type: 'store',
        name: 'Lisboa',
        lat: 38.7,
        lng: -9.1,
        address: { line1: 'Rua Augusta 1', city: 'Lisboa', postal_code: '1100-048', country: 'PT' },
      },
    });
    storeId = loc.body.id;
    web = await t.apiKey('web', ['pricing:read'], { type: 'web' });
    pos = await t.apiKey('pos', ['pricing:read'], { type: 'pos' });
    cc = await t.apiKey('phone', ['pricing:read'], { type: 'contact_center' });
    for (const p of [
      product('SHOE', 'women/shoes/sneakers', 5995, {}, '38'),
      product('BAG', 'women/bags', 3000),
      product('BOOK', 'books', 2000, { tax_class: 'super_reduced' }),
    ]) {
      const res = await t.request('POST', '/v1/products', { body: p });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  it('quotes list prices with VAT per product and country', async () => {
    const q = await t.request('POST', '/v1/pricing/quote', { token: web, body: basket });
    expect(q.status).toBe(200);
    expect(q.body.subtotal).toBe(2 * 5995 + 3000 + 2000);
    expect(q.body.total).toBe(q.body.subtotal);
    expect(q.body.tax_breakdown.map((b: { rate: number }) => b.rate)).toEqual([21, 4]);
    expect(q.body.tax_breakdown[1]).toEqual({ rate: 4, base: 1923, tax: 77 });
    // the same basket at a Portuguese till is taxed at Portuguese rates
    const till = await t.request('POST', '/v1/pricing/quote', {
      token: pos,
      body: { ...basket, location_id: storeId },
    });
    expect(till.body.tax_breakdown.map((b: { rate: number }) => b.rate)).toEqual([23, 6]);
  });

  it('gives the same totals on web, till and phone for a cross-channel promotion, and differs only by a channel-limited one', async () => {
    const shoes = await t.request('POST', '/v1/promotions', {
      body: {
        name: '10% off women’s shoes',
        kind: 'item_percent',
        params: { percent: 10 },
        scope: { categories: ['women/shoes'] },
      },
    });
    expect(shoes.status).toBe(201);
    const posOnly = await t.request('POST', '/v1/promotions', {
      body: {
        name: '5 € off in store',
        kind: 'basket_amount',
        params: { amount: 500 },
        conditions: { channels: ['pos'] },
      },
    });
    expect(posOnly.status).toBe(201);
    expect(posOnly.body.conditions.channels[0]).toMatch(/^chn_/);

    const res = await Promise.all(
      [web, pos, cc].map((token) => t.request('POST', '/v1/pricing/quote?explain=true', { token, body: basket })),
    );
    const [w, p, c] = [res[0]!, res[1]!, res[2]!];
    expect(w.body.total).toBe(c.body.total);
    expect(w.body.lines).toEqual(c.body.lines);
    expect(w.body.lines[0].applied[0]).toMatchObject({ promotion_id: shoes.body.id, amount: 1199 });
    // the till's own promotion is not even mentioned on the web: a channel never sees another's offers
    expect(w.body.lines[0].not_applied).toEqual([]);
    expect(p.body.lines[0].applied.map((a: { promotion_id: string }) => a.promotion_id)).toEqual([
      shoes.body.id,
      posOnly.body.id,
    ]);
    expect(p.body.total).toBe(w.body.total - 500);
    expect(p.body.discount_total).toBe(w.body.discount_total + 500);
  });

  it('refuses bad promotions with clear problems and changes nothing', async () => {
    const before = (await t.request('GET', '/v1/promotions?limit=500')).body.items.length;
    const cases: [unknown, number, string][] = [
      [{ name: 'x', kind: 'item_percent', params: { percent: 150 } }, 400, 'params/percent'],
      [{ name: 'x', kind: 'item_percent', params: { percent: -5 } }, 400, 'params/percent'],
      [{ name: 'x', kind: 'basket_amount', params: { amount: -100 } }, 400, 'params/amount'],
      [{ name: 'x', kind: 'basket_amount', params: { percent: 10 } }, 400, 'params/percent'],
      [{ name: 'x', kind: 'item_percent', params: { percent: 5 }, scope: { skus: ['NOPE'] } }, 400, 'scope/skus/0'],
      [
        { name: 'x', kind: 'item_percent', params: { percent: 5 }, scope: { categories: ['garden'] } },
        400,
        'scope/categories/0',
      ],
      [
        { name: 'x', kind: 'item_percent', params: { percent: 5 }, conditions: { channels: ['fax'] } },
        400,
        'conditions/channels/0',
      ],
      [
        {
          name: 'x',
          kind: 'item_percent',
          params: { percent: 5 },
          starts_at: '2026-07-01T00:00:00Z',
          ends_at: '2026-06-01T00:00:00Z',
        },
        400,
        'ends_at',
      ],
      [
        { name: 'x', kind: 'bundle_price', params: { bundle: { price: 100, components: [{ quantity: 1 }] } } },
        400,
        'params/bundle/components/0',
      ],
    ];
    for (const [body, status, field] of cases) {
      const res = await t.request('POST', '/v1/promotions', { body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.request('GET', '/v1/promotions?limit=500')).body.items.length).toBe(before);
  });

  it('refuses an exclusive promotion overlapping another in dates, channels and items', async () => {
    const base = {
      kind: 'item_percent',
      params: { percent: 20 },
      stacking: { exclusive: true },
      starts_at: '2026-06-10T00:00:00Z',
      ends_at: '2026-06-20T00:00:00Z',
    };
    const a = await t.request('POST', '/v1/promotions', {
      body: { ...base, name: 'Shoe week', scope: { categories: ['women/shoes'] } },
    });
    expect(a.status).toBe(201);
    const clash = await t.request('POST', '/v1/promotions', {
      body: {
        ...base,
        name: 'Sneaker days',
        scope: { skus: ['SHOE'] },
        starts_at: '2026-06-15T00:00:00Z',
        ends_at: '2026-06-25T00:00:00Z',
      },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.overlapping_promotion_id).toBe(a.body.id);
    const otherItems = await t.request('POST', '/v1/promotions', {
      body: { ...base, name: 'Bag week', scope: { categories: ['women/bags'] } },
    });
    expect(otherItems.status).toBe(201);
    const later = await t.request('POST', '/v1/promotions', {
      body: {
        ...base,
        name: 'Shoes later',
        scope: { skus: ['SHOE'] },
        starts_at: '2026-06-20T00:00:00Z',
        ends_at: '2026-06-30T00:00:00Z',
      },
    });
    expect(later.status).toBe(201);
    // moving the later one into the first one's window is refused too
    const moved = await t.request('PATCH', `/v1/promotions/${later.body.id}`, {
      body: { starts_at: '2026-06-19T00:00:00Z' },
    });
    expect(moved.status).toBe(409);
    expect((await t.request('GET', `/v1/promotions/${later.body.id}`)).body.starts_at).toBe('2026-06-20T00:00:00.000Z');
  });

  it('generates a thousand unique, unambiguous single-use codes, and judges coupons in the quote', async () => {
    const promo = await t.request('POST', '/v1/promotions', {
      body: { name: 'Welcome 15%', kind: 'basket_percent', params: { percent: 15 }, coupon_required: true },
    });
    const batch = await t.request('POST', `/v1/promotions/${promo.body.id}/coupons`, {
      body: { kind: 'single_use', count: 1000, prefix: 'WL' },
    });
    expect(batch.status).toBe(201);
    expect(batch.body.count).toBe(1000);
    const codes: string[] = batch.body.codes;
    expect(new Set(codes).size).toBe(1000);
    for (const c of codes) expect(c).toMatch(new RegExp(`^WL[${CODE_ALPHABET}]{12}$`));
    expect(codes.map((c) => c.slice(2)).join('')).not.toMatch(/[01OIL]/);

    const withCoupon = await t.request('POST', '/v1/pricing/quote', {
      token: web,
      body: { ...basket, coupons: [codes[0]!.toLowerCase(), 'NOSUCHCODE'] },
    });
    expect(withCoupon.body.coupons).toEqual([
      { code: codes[0], status: 'applied' },
      { code: 'NOSUCHCODE', status: 'rejected', reason: 'no such coupon' },
    ]);
    const without = await t.request('POST', '/v1/pricing/quote', { token: web, body: basket });
    // a coupon-only promotion is not announced to those without its coupon
    expect(JSON.stringify(without.body)).not.toContain(promo.body.id);
    expect(withCoupon.body.total).toBeLessThan(without.body.total);

    const mine = await t.request('POST', `/v1/promotions/${promo.body.id}/coupons`, {
      body: { kind: 'public', code: 'ana-only', customer_id: 'cus_ana' },
    });
    expect(mine.body.codes).toEqual(['ANAONLY']);
    const stranger = await t.request('POST', '/v1/pricing/quote', {
      token: web,
      body: { ...basket, coupons: ['ANAONLY'] },
    });
    expect(stranger.body.coupons[0]).toEqual({
      code: 'ANAONLY',
      status: 'rejected',
      reason: 'the coupon needs a signed-in customer',
    });
    const dup = await t.request('POST', `/v1/promotions/${promo.body.id}/coupons`, {
      body: { kind: 'public', code: 'ANA-ONLY' },
    });
    expect(dup.status).toBe(409);

    await t.request('POST', `/v1/promotions/${promo.body.id}/coupons`, {
      body: { kind: 'public', code: 'SPRING', ends_at: '2026-05-31T00:00:00Z' },
    });
    const expired = await t.request('POST', '/v1/pricing/quote', {
      token: web,
      body: { ...basket, coupons: ['SPRING'] },
    });
    expect(expired.body.coupons[0]).toEqual({ code: 'SPRING', status: 'rejected', reason: 'the coupon has expired' });

    const check = await t.request('POST', '/v1/coupons/validate', { token: pos, body: { code: codes[1] } });
    expect(check.body).toEqual({ code: codes[1], valid: true, promotion: { id: promo.body.id, name: 'Welcome 15%' } });
    const bad = await t.request('POST', `/v1/promotions/${promo.body.id}/coupons`, {
      body: { kind: 'single_use', count: 10_001 },
    });
    expect(bad.status).toBe(400);
    // a retried batch request (same Idempotency-Key) returns the same codes and creates no more
    const retry = { body: { kind: 'single_use', count: 5 }, headers: { 'idempotency-key': 'batch-1' } };
    const one = await t.request('POST', `/v1/promotions/${promo.body.id}/coupons`, retry);
    const two = await t.request('POST', `/v1/promotions/${promo.body.id}/coupons`, retry);
    expect(two.body.codes).toEqual(one.body.codes);
    const listed = await t.request('GET', `/v1/promotions/${promo.body.id}/coupons?limit=500`);
    expect(listed.status).toBe(200);
    const all: string[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: { body: { items: { code: string }[]; next_cursor: string | null } } = await t.request(
        'GET',
        `/v1/promotions/${promo.body.id}/coupons?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      all.push(...page.body.items.map((c) => c.code));
      cursor = page.body.next_cursor;
    }
    expect(all).toHaveLength(1000 + 1 + 1 + 5); // the batch, ANAONLY, SPRING and the retried batch once
  });

  it('makes shipping free over a threshold and tells checkout the threshold', async () => {
    await t.request('POST', '/v1/promotions', {
      body: { name: 'Free shipping over 50 €', kind: 'free_shipping', params: { threshold: 5000 } },
    });
    const small = await t.request('POST', '/v1/pricing/quote', {
      token: web,
      body: { lines: [{ sku: 'BOOK', quantity: 1 }], shipping: { method: 'home', amount: 495 } },
    });
    expect(small.body.shipping).toEqual({ method: 'home', amount: 495, discount: 0 });
    expect(small.body.free_shipping_threshold).toBe(5000);
    expect(small.body.total).toBe(2495);
    const big = await t.request('POST', '/v1/pricing/quote', {
      token: web,
      body: { ...basket, shipping: { method: 'home', amount: 495 } },
    });
    expect(big.body.shipping).toMatchObject({
      amount: 495,
      discount: 495,
      free_shipping_reason: 'Free shipping over 50 €',
    });
  });

  it('feeds customer facts from the customers module: consent, first order, and a customer token prices only for itself', async () => {
    const news = await t.request('POST', '/v1/promotions', {
      body: {
        name: 'Newsletter 5%',
        kind: 'item_percent',
        params: { percent: 5 },
        scope: { skus: ['BOOK'] },
        conditions: { consents: ['marketing_email'] },
      },
    });
    const first = await t.request('POST', '/v1/promotions', {
      body: {
        name: 'First order 3 €',
        kind: 'basket_amount',
        params: { amount: 300 },
        scope: { skus: ['BOOK'] },
        conditions: { first_order: true },
      },
    });
    const customers = t.omnia.services.customers;
    const { customer_id } = await customers.identify({ identifiers: { email: 'ana@example.com' }, channel: 'web' });
    const body = { lines: [{ sku: 'BOOK', quantity: 1 }], customer_id };
    const before = await t.request('POST', '/v1/pricing/quote?explain=true', { token: web, body });
    expect(before.body.lines[0].applied.map((a: { promotion_id: string }) => a.promotion_id)).toEqual([first.body.id]);
    expect(before.body.lines[0].not_applied).toContainEqual({
      promotion_id: news.body.id,
      reason: "needs the customer's consent to marketing_email",
    });
    await customers.setConsents(customer_id, [{ purpose: 'marketing_email', granted: true }], 'test');
    const after = await t.request('POST', '/v1/pricing/quote', { token: web, body });
    expect(after.body.lines[0].applied.map((a: { promotion_id: string }) => a.promotion_id)).toEqual([
      news.body.id,
      first.body.id,
    ]);
    const anonymous = await t.request('POST', '/v1/pricing/quote?explain=true', {
      token: web,
      body: { lines: body.lines },
    });
    expect(anonymous.body.lines[0].not_applied.map((n: { reason: string }) => n.reason)).toEqual([
      "needs the customer's consent to marketing_email",
      "only for a customer's first order",
    ]);
    const ghost = await t.request('POST', '/v1/pricing/quote', {
      token: web,
      body: { ...body, customer_id: 'cus_nobody' },
    });
    expect(ghost.status).toBe(400);
    expect(ghost.body.errors[0].field).toBe('customer_id');

    const webChannel = (await t.omnia.services.network.channel('web'))!;
    const bob = await customers.register({
      email: 'bob@example.com',
      password: 'correct horse battery',
      channelId: webChannel.id,
    });
    const own = await t.request('POST', '/v1/pricing/quote', { token: bob.token, body: { lines: body.lines } });
    expect(own.status).toBe(200);
    expect(own.body.lines[0].applied.map((a: { promotion_id: string }) => a.promotion_id)).toEqual([first.body.id]);
    // Another customer does not exist for a customer token (the authorization policy's 404).
    expect((await t.request('POST', '/v1/pricing/quote', { token: bob.token, body })).status).toBe(404);
  });

  it('refuses unknown SKUs, other channels and missing channels', async () => {
    const unknown = await t.request('POST', '/v1/pricing/quote', {
      token: web,
      body: {
        lines: [
          { sku: 'SHOE', quantity: 1 },
          { sku: 'GHOST', quantity: 1 },
        ],
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.unknown_skus).toEqual(['GHOST']);
    expect(unknown.body.errors).toEqual([{ field: 'lines/1/sku', message: 'SKU GHOST does not exist' }]);
    expect(
      (await t.request('POST', '/v1/pricing/quote', { token: web, body: { ...basket, channel: 'pos' } })).status,
    ).toBe(403);
    expect((await t.request('POST', '/v1/pricing/quote', { body: basket })).status).toBe(400);
    const staff = await t.request('POST', '/v1/pricing/quote', { body: { ...basket, channel: 'phone' } });
    expect(staff.status).toBe(200);
    expect(
      (await t.request('POST', '/v1/pricing/quote', { token: web, body: { lines: [{ sku: 'SHOE', quantity: 0 }] } }))
        .status,
    ).toBe(400);
    expect(
      (
        await t.request('POST', '/v1/pricing/quote', {
          token: web,
          body: { lines: [{ sku: 'SHOE', quantity: 2147483648 }] },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await t.request('POST', '/v1/pricing/quote', {
          token: web,
          body: { lines: [{ sku: 'SHOE', quantity: 2147483647 }] },
        })
      ).status,
    ).toBe(400);
  });
});
