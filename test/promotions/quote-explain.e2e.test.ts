/**
 * `POST /v1/pricing/quote` explains only when asked (issue 17): by default the answer has no
 * `not_applied` verdicts; `?explain=true` adds them; the amounts, `applied` and coupon verdicts are
 * the same either way. A cart (which never asks) still gets every promotion it applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';

describe('quote explanations on request', () => {
  let t: TestApp;
  let web: string;
  const ids: Record<string, string> = {};
  const clock = new ManualClock('2026-06-01T12:00:00Z');
  const basket = {
    lines: [
      { sku: 'SHOE', quantity: 2 },
      { sku: 'BAG', quantity: 1 },
    ],
    shipping: { method: 'home', amount: 495 },
    coupons: ['VIPONLY'],
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    web = await t.apiKey('web', ['pricing:read', 'carts:write'], { type: 'web' });
    for (const [code, category, price] of [
      ['SHOE', 'women/shoes', 5995],
      ['BAG', 'women/bags', 3000],
    ] as const) {
      const res = await t.request('POST', '/v1/products', {
        body: {
          code,
          name: code,
          category,
          variants: [{ sku: code, prices: [{ currency: 'EUR', list_amount: price }] }],
        },
      });
      expect(res.status).toBe(201);
    }
    const promos = {
      shoes: {
        name: 'Shoes 20%',
        kind: 'item_percent',
        params: { percent: 20 },
        scope: { categories: ['women/shoes'] },
      },
      vip: {
        name: 'VIP 10%',
        kind: 'item_percent',
        params: { percent: 10 },
        conditions: { segments: ['vip'] },
      },
      big: {
        name: 'Big spender 5 €',
        kind: 'basket_amount',
        params: { amount: 500 },
        conditions: { min_subtotal: 50_000 },
      },
      vipCoupon: {
        name: 'VIP coupon 5 €',
        kind: 'basket_amount',
        params: { amount: 500 },
        conditions: { segments: ['vip'] },
        coupon_required: true,
      },
      ship: { name: 'Free shipping over 500 €', kind: 'free_shipping', params: { threshold: 50_000 } },
    };
    for (const [key, body] of Object.entries(promos)) {
      const res = await t.request('POST', '/v1/promotions', { body });
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    }
    const coupon = await t.request('POST', `/v1/promotions/${ids.vipCoupon}/coupons`, {
      body: { kind: 'public', code: 'VIPONLY' },
    });
    expect(coupon.status).toBe(201);
  });
  afterAll(async () => t?.close());

  it('answers without explanations by default, with them on request, and with the same amounts', async () => {
    const plain = await t.request('POST', '/v1/pricing/quote', { token: web, body: basket });
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('not_applied');
    for (const l of plain.body.lines) expect(l).not.toHaveProperty('not_applied');
    expect(plain.body.lines[0].applied).toEqual([
      { promotion_id: ids.shoes, name: 'Shoes 20%', amount: 2398, reason: '20% off' },
    ]);
    // a rejected coupon keeps its reason: a cart shows it to the shopper
    expect(plain.body.coupons).toEqual([
      { code: 'VIPONLY', status: 'rejected', reason: 'the customer is not in a qualifying segment' },
    ]);

    const explained = await t.request('POST', '/v1/pricing/quote?explain=true', { token: web, body: basket });
    expect(explained.status).toBe(200);
    expect(explained.body.lines[0].not_applied).toEqual(
      expect.arrayContaining([
        { promotion_id: ids.vip, reason: 'the customer is not in a qualifying segment' },
        { promotion_id: ids.big, reason: expect.stringMatching(/^spend .* more on qualifying items/) },
      ]),
    );
    expect(explained.body.not_applied).toEqual([
      { promotion_id: ids.ship, reason: expect.stringMatching(/more on qualifying items for free shipping$/) },
    ]);
    const { not_applied: _basket, lines, ...rest } = explained.body;
    expect(plain.body).toEqual({
      ...rest,
      lines: lines.map(({ not_applied: _line, ...l }: Record<string, unknown>) => l),
    });

    const off = await t.request('POST', '/v1/pricing/quote?explain=false', { token: web, body: basket });
    expect(off.body).toEqual(plain.body);
  });

  it('refuses an explain value that is not a boolean', async () => {
    const bad = await t.request('POST', '/v1/pricing/quote?explain=perhaps', { token: web, body: basket });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it("still gives a cart every promotion applied to its lines, and its coupon's verdict", async () => {
    const cart = await t.request('POST', '/v1/carts', { token: web, body: {} });
    expect(cart.status).toBe(201);
    const added = await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: web,
      body: { sku: 'SHOE', quantity: 1 },
    });
    expect(added.status).toBe(200);
    const line = added.body.lines.find((l: { sku: string }) => l.sku === 'SHOE');
    expect(line.applied).toEqual([{ promotion_id: ids.shoes, name: 'Shoes 20%', amount: 1199, reason: '20% off' }]);
    expect(line).not.toHaveProperty('not_applied');
    const refused = await t.request('POST', `/v1/carts/${cart.body.id}/coupons`, {
      token: web,
      body: { code: 'VIPONLY' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('coupon_invalid');
    expect(refused.body.detail).toMatch(/not in a qualifying segment/);
  });

  it('documents explain and describes a quote the serialiser can write without a validator', async () => {
    const doc = await t.request('GET', '/openapi.json', { token: '' });
    const op = doc.body.paths['/v1/pricing/quote'].post;
    expect(op.parameters).toContainEqual(
      expect.objectContaining({ in: 'query', name: 'explain', schema: expect.objectContaining({ type: 'boolean' }) }),
    );
    const schema = op.responses['200'].content['application/json'].schema;
    const unions: string[] = [];
    const open: string[] = [];
    const walk = (s: Record<string, unknown>, path: string) => {
      if (s.anyOf || s.oneOf || s.allOf) unions.push(path);
      if (s.type === 'object' && s.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>))
        walk(v, `${path}/${k}`);
      if (s.items) walk(s.items as Record<string, unknown>, `${path}[]`);
    };
    walk(schema, '');
    expect(unions).toEqual([]);
    expect(open).toEqual([]);
  });
});
