import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { placeOrder, product, receive, setupNetwork, HOME, type Net } from '../fulfillment/fixtures.js';

/**
 * What issue 13's console added to the public API: product text search, one order's fulfillment
 * tasks, promotion dry runs (live form validation) and coupon batches as CSV.
 */
describe('console endpoints', () => {
  let t: TestApp;
  let net: Net;
  beforeAll(async () => {
    t = await startTestApp();
    net = await setupNetwork(t);
  });
  afterAll(async () => t?.close());

  const codes = async (q: string) => {
    const r = await t.request('GET', `/v1/products?q=${encodeURIComponent(q)}&limit=50`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.items as { code: string }[]).map((p) => p.code).sort();
  };

  it('finds products by word prefixes of name and brand, code, SKU and GTIN, ignoring case and accents', async () => {
    const mk = (code: string, name: string, brand: string, sku: string, gtin: string | null) =>
      t.request('POST', '/v1/products', {
        body: {
          code,
          name,
          brand,
          category: 'women/tops',
          variants: [{ sku, gtin, size: 'M', prices: [{ currency: 'EUR', list_amount: 1995 }] }],
        },
      });
    for (const r of [
      await mk('SRCH-1', 'Camiseta básica', 'Nómada', 'SRCH-1-M', '8437000000006'),
      await mk('SRCH-2', 'Camisón de algodão', 'Lusa', 'SRCH-2-M', null),
      await mk('OTHER-3', 'Pantalón chino', 'Nómada', 'OTH-3-M', null),
    ])
      expect(r.status, JSON.stringify(r.body)).toBe(201);

    expect(await codes('cami')).toEqual(['SRCH-1', 'SRCH-2']);
    expect(await codes('CAMI BASI')).toEqual(['SRCH-1']); // every word must match
    expect(await codes('camison')).toEqual(['SRCH-2']); // accents folded
    expect(await codes('algodao')).toEqual(['SRCH-2']);
    expect(await codes('nomada')).toEqual(['OTHER-3', 'SRCH-1']); // brand
    expect(await codes('srch-2')).toEqual(['SRCH-2']); // code as typed
    expect(await codes('OTH-3-M')).toEqual(['OTHER-3']); // SKU as typed
    expect(await codes('8437000000006')).toEqual(['SRCH-1']); // GTIN
    expect(await codes('zzz')).toEqual([]);
    expect(await codes('%')).toEqual([]); // a LIKE wildcard is not a pattern
    // With the category filter and a cursor, search pages like any list.
    const page1 = await t.request('GET', '/v1/products?q=cami&category=women&limit=1');
    expect(page1.body.items).toHaveLength(1);
    const page2 = await t.request('GET', `/v1/products?q=cami&category=women&limit=1&cursor=${page1.body.next_cursor}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect((await t.request('GET', '/v1/products?q=')).status).toBe(400);
  });

  it('re-indexes a product when its name changes and when a CSV import writes it', async () => {
    const r = await t.request('PATCH', '/v1/products/SRCH-2', { body: { name: 'Vestido largo' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await codes('camison')).toEqual([]);
    expect(await codes('vestido')).toEqual(['SRCH-2']);
    const csv = [
      'product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost',
      'IMP-9,Sudadera capucha,Omnia,men/tops,standard,IMP-9-M,,M,Gris,39.95,EUR,,500,12.00',
    ].join('\n');
    const imp = await t.request('POST', '/v1/imports/products', { body: csv, headers: { 'content-type': 'text/csv' } });
    expect(imp.status, JSON.stringify(imp.body)).toBeLessThan(300);
    expect(await codes('sudadera capu')).toEqual(['IMP-9']);
  });

  it("lists one order's fulfillment tasks with order_id", async () => {
    await product(t, 'FT-1', [{ sku: 'FT-1-M', price: 2000 }]);
    await receive(t, 'FT-1-M', net.warehouse, 5);
    const a = await placeOrder(t, net, [['FT-1-M', 1]], { method: 'home', address: HOME });
    const b = await placeOrder(t, net, [['FT-1-M', 1]], { method: 'home', address: HOME });
    const r = await t.request('GET', `/v1/fulfillments?order_id=${a.id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items.every((f: { order_id: string }) => f.order_id === a.id)).toBe(true);
    const all = await t.request('GET', '/v1/fulfillments?limit=500');
    expect(all.body.items.some((f: { order_id: string }) => f.order_id === b.id)).toBe(true);
    // A store-bound associate asking for an order still sees only its own location's tasks.
    const mine = await t.request('GET', `/v1/fulfillments?order_id=${a.id}`, { token: net.solStaff });
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([]);
  });

  it('values stock per location at unit cost, and counts a day of tasks with created_from', async () => {
    await t.omnia.services.catalog.createProduct({
      code: 'VAL-1',
      name: 'Valued',
      variants: [
        { sku: 'VAL-1-M', unit_cost: 250, prices: [{ currency: 'EUR', list_amount: 1000 }] },
        { sku: 'VAL-1-L', unit_cost: 400, prices: [{ currency: 'EUR', list_amount: 1000 }] },
      ],
    } as never);
    const before = (await t.request('GET', '/v1/inventory-value/locations')).body;
    const at = (b: typeof before) =>
      b.items.find((x: { location_id: string }) => x.location_id === net.gran.id) ?? { value: 0, on_hand: 0, skus: 0 };
    await receive(t, 'VAL-1-M', net.gran, 4);
    await receive(t, 'VAL-1-L', net.gran, 3);
    const r = await t.request('GET', '/v1/inventory-value/locations');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.currency).toBe('EUR');
    expect(at(r.body).value - at(before).value).toBe(4 * 250 + 3 * 400);
    expect(at(r.body).on_hand - at(before).on_hand).toBe(7);
    expect(at(r.body).skus - at(before).skus).toBe(2);

    const all = (await t.request('GET', '/v1/fulfillments?limit=500')).body.items as { created_at: string }[];
    expect(all.length).toBeGreaterThan(0);
    const later = new Date(Date.parse(all.at(-1)!.created_at) + 1).toISOString();
    const since = await t.request('GET', `/v1/fulfillments?created_from=${encodeURIComponent(later)}`);
    expect(since.status).toBe(200);
    expect(since.body.items.every((f: { created_at: string }) => f.created_at >= later)).toBe(true);
    expect(since.body.items.length).toBeLessThan(all.length);
    expect((await t.request('GET', '/v1/fulfillments?created_from=yesterday')).status).toBe(400);
  });

  it('validates a promotion with dry_run: field errors or the would-be promotion, nothing saved', async () => {
    const count = async () => (await t.request('GET', '/v1/promotions?limit=500')).body.items.length as number;
    const before = await count();
    const bad = await t.request('POST', '/v1/promotions?dry_run=true', {
      body: { name: 'x', kind: 'item_percent', params: { percent: 150 }, scope: { categories: ['nowhere'] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'params/percent',
      'scope/categories/0',
    ]);
    const good = await t.request('POST', '/v1/promotions?dry_run=true', {
      body: { name: 'Tops 20', kind: 'item_percent', params: { percent: 20 }, scope: { categories: ['women/tops'] } },
    });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body).toMatchObject({ name: 'Tops 20', kind: 'item_percent', params: { percent: 20 } });
    expect(await count()).toBe(before);

    const made = await t.request('POST', '/v1/promotions', {
      body: { name: 'Tops 20', kind: 'item_percent', params: { percent: 20 }, scope: { categories: ['women/tops'] } },
    });
    expect(made.status).toBe(201);
    const patchBad = await t.request('PATCH', `/v1/promotions/${made.body.id}?dry_run=true`, {
      body: { params: { percent: 0 } },
    });
    expect(patchBad.status).toBe(400);
    expect(patchBad.body.errors[0].field).toBe('params/percent');
    const patchGood = await t.request('PATCH', `/v1/promotions/${made.body.id}?dry_run=true`, {
      body: { params: { percent: 30 } },
    });
    expect(patchGood.status).toBe(200);
    expect(patchGood.body.params.percent).toBe(30);
    expect((await t.request('GET', `/v1/promotions/${made.body.id}`)).body.params.percent).toBe(20);
  });

  it('lists coupon batches and downloads one batch as CSV', async () => {
    const p = await t.request('POST', '/v1/promotions', {
      body: { name: 'Mailing', kind: 'basket_percent', params: { percent: 10 }, coupon_required: true },
    });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const gen = await t.request('POST', `/v1/promotions/${p.body.id}/coupons`, {
      body: { kind: 'single_use', count: 25, prefix: 'MAIL' },
    });
    expect(gen.status, JSON.stringify(gen.body)).toBe(201);
    const batches = await t.request('GET', `/v1/promotions/${p.body.id}/coupon-batches`);
    expect(batches.status).toBe(200);
    expect(batches.body.items).toEqual([
      { batch_id: gen.body.batch_id, count: 25, redeemed: 0, created_at: expect.any(String) },
    ]);
    const csv = await t.request('GET', `/v1/promotions/${p.body.id}/coupon-batches/${gen.body.batch_id}/codes`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`coupons-${gen.body.batch_id}.csv`);
    const text = typeof csv.body === 'string' ? csv.body : String(csv.body);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('code,redeemed,active,starts_at,ends_at');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([...gen.body.codes].sort());
    expect(lines[1]).toMatch(/^MAIL[A-Z0-9]+,false,true,,$/);
    // A batch of another promotion, or none: not found.
    const other = await t.request('GET', `/v1/promotions/${p.body.id}/coupon-batches/cpb_nope/codes`);
    expect(other.status).toBe(404);
  });
});
