import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';

// Valid GTIN-13s (check digits computed) and one with a wrong check digit.
const G1 = '8437000000006';
const G2 = '8437000000013';
const G3 = '8437000000020';
const BAD_GTIN = '8437000000007';

const product = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: `Camisa Oxford ${code}`,
  brand: 'Nómada',
  category: 'men/shirts',
  variants: [
    { sku: `${code}-S`, gtin: null, size: 'S', colour: 'Azul', prices: [{ currency: 'EUR', list_amount: 3995 }] },
    {
      sku: `${code}-M`,
      size: 'M',
      colour: 'Azul',
      prices: [{ currency: 'EUR', list_amount: 3995, sale_amount: 2995 }],
    },
  ],
  ...extra,
});

describe('catalog over HTTP', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-06-15T10:00:00Z');
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => t?.close());

  async function counts() {
    const db = t.omnia.ctx.db;
    const [p, v, pr] = await Promise.all([
      db
        .selectFrom('products')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('variants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('prices')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return [Number(p.n), Number(v.n), Number(pr.n)];
  }

  it('creates a product and serves it by id and by code with variants and prices', async () => {
    const res = await t.request('POST', '/v1/products', {
      body: product('OX1', {
        variants: [
          { sku: 'OX1-S', gtin: G1, size: 'S', colour: 'Azul', prices: [{ currency: 'EUR', list_amount: 3995 }] },
        ],
      }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toMatch(/^prd_/);
    const byId = await t.request('GET', `/v1/products/${res.body.id}`);
    const byCode = await t.request('GET', '/v1/products/OX1');
    expect(byId.status).toBe(200);
    expect(byCode.body).toEqual(byId.body);
    expect(byId.headers['content-type']).toMatch(/application\/json/);
    expect(byId.body.variants[0]).toMatchObject({
      sku: 'OX1-S',
      gtin: G1,
      options: { size: 'S', colour: 'Azul' },
      price: { amount: 3995, currency: 'EUR' },
    });
    expect(byId.body.variants[0].prices).toEqual([
      {
        sku: 'OX1-S',
        currency: 'EUR',
        channel_id: null,
        list_amount: 3995,
        sale_amount: null,
        valid_from: null,
        valid_to: null,
      },
    ]);
    expect((await t.request('GET', '/v1/products/NOPE')).status).toBe(404);
  });

  it('lists products by page and category, and serves variants', async () => {
    await t.request('POST', '/v1/products', { body: product('LST1', { category: 'women/shoes/sneakers' }) });
    await t.request('POST', '/v1/products', { body: product('LST2', { category: 'women/dresses' }) });
    const women = await t.request('GET', '/v1/products?category=women');
    expect(women.body.items.map((p: { code: string }) => p.code).sort()).toEqual(['LST1', 'LST2']);
    expect(women.body.items[0].variant_count).toBe(2);
    const shoes = await t.request('GET', '/v1/products?category=women/shoes');
    expect(shoes.body.items.map((p: { code: string }) => p.code)).toEqual(['LST1']);
    const page1 = await t.request('GET', '/v1/products?limit=1');
    expect(page1.body.items).toHaveLength(1);
    const page2 = await t.request('GET', `/v1/products?limit=1&cursor=${page1.body.next_cursor}`);
    expect(page2.body.items[0].id > page1.body.items[0].id).toBe(true);
    const v = await t.request('GET', '/v1/variants/LST1-M');
    expect(v.body).toMatchObject({
      sku: 'LST1-M',
      product_code: 'LST1',
      category: 'women/shoes/sneakers',
      tax_class: 'standard',
      returnable: true,
    });
    expect((await t.request('GET', '/v1/variants/NOPE')).status).toBe(404);
  });

  it('prices by channel and sale window, and patches products and the price book', async () => {
    await t.request('POST', '/v1/products', { body: product('PR1') });
    const key = await t.apiKey('pt-web', ['catalog:read']);
    const channel = await t.omnia.services.network.requireChannel('pt-web');
    const put = await t.request('PUT', '/v1/prices', {
      body: {
        prices: [
          { sku: 'PR1-S', currency: 'EUR', channel_id: 'pt-web', list_amount: 4295 },
          {
            sku: 'PR1-S',
            currency: 'EUR',
            list_amount: 3995,
            sale_amount: 1995,
            valid_from: '2026-07-01T00:00:00Z',
            valid_to: '2026-08-01T00:00:00Z',
          },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.items[0].channel_id).toBe(channel.id);
    const asStaff = await t.request('GET', '/v1/products/PR1');
    expect(asStaff.body.variants[0].price.amount).toBe(3995); // sale not open yet
    expect(asStaff.body.variants[1].price.amount).toBe(2995); // open-ended sale
    const asPt = await t.request('GET', '/v1/products/PR1', { token: key });
    expect(asPt.body.variants[0].price.amount).toBe(4295);
    const staffPt = await t.request('GET', '/v1/products/PR1?channel=pt-web');
    expect(staffPt.body.variants[0].price.amount).toBe(4295);
    // Removing the channel's own entry makes the default apply to it again.
    expect((await t.request('DELETE', '/v1/prices/PR1-S/EUR?channel_id=pt-web')).status).toBe(204);
    expect((await t.request('DELETE', '/v1/prices/PR1-S/EUR?channel_id=pt-web')).status).toBe(404);
    expect((await t.request('GET', '/v1/products/PR1', { token: key })).body.variants[0].price.amount).toBe(3995);
    await t.request('PUT', '/v1/prices', {
      body: { prices: [{ sku: 'PR1-S', currency: 'EUR', channel_id: 'pt-web', list_amount: 4295 }] },
    });
    clock.set('2026-06-15T09:00:00Z');
    const svc = await t.omnia.services.catalog.prices(['PR1-S', 'PR1-M', 'NOPE'], {
      currency: 'EUR',
      at: new Date('2026-07-15T00:00:00Z'),
    });
    expect([...svc.keys()].sort()).toEqual(['PR1-M', 'PR1-S']);
    expect(svc.get('PR1-S')).toMatchObject({ amount: 1995, list_amount: 3995, sale_amount: 1995, channel_id: null });
    const pt = await t.omnia.services.catalog.prices(['PR1-S'], {
      currency: 'EUR',
      channelId: channel.id,
      at: clock.now(),
    });
    expect(pt.get('PR1-S')?.amount).toBe(4295);

    // A channel price on create, with the network snapshot cold (it must be read before the transaction).
    t.omnia.services.network.invalidate();
    const withChannel = await t.request('POST', '/v1/products', {
      body: product('PR2', {
        variants: [
          {
            sku: 'PR2-M',
            prices: [
              { currency: 'EUR', list_amount: 1000 },
              { currency: 'EUR', channel_id: 'pt-web', list_amount: 1100 },
            ],
          },
        ],
      }),
    });
    expect(withChannel.status).toBe(201);
    expect(withChannel.body.variants[0].prices.map((p: { channel_id: string | null }) => p.channel_id)).toEqual([
      null,
      channel.id,
    ]);

    const patched = await t.request('PATCH', '/v1/products/PR1', {
      body: {
        name: 'Camisa Oxford azul',
        variants: [
          { sku: 'PR1-L', gtin: G2, size: 'L', colour: 'Azul', prices: [{ currency: 'EUR', list_amount: 3995 }] },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Camisa Oxford azul');
    expect(patched.body.variants.map((v: { sku: string }) => v.sku)).toEqual(['PR1-S', 'PR1-M', 'PR1-L']);
    // The write cleared the cache at once.
    expect((await t.request('GET', '/v1/products/PR1')).body.name).toBe('Camisa Oxford azul');
  });

  it('exposes the service API other modules use', async () => {
    const { catalog } = t.omnia.services;
    const vs = await catalog.getVariants(['PR1-S', 'ghost']);
    expect(vs.get('PR1-S')).toMatchObject({
      product_code: 'PR1',
      size: 'S',
      colour: 'Azul',
      weight_g: 0,
      unit_cost: 0,
      active: true,
    });
    expect(vs.has('ghost')).toBe(false);
    await expect(catalog.requireVariants(['PR1-S', 'ghost1', 'ghost2'])).rejects.toMatchObject({
      type: 'validation_failed',
      extras: { unknown_skus: ['ghost1', 'ghost2'] },
    });
  });

  it('variantsAndPrices answers as getVariants and prices do, in one read', async () => {
    const { catalog, network } = t.omnia.services;
    const channel = await network.createChannel({ code: 'vp-web', type: 'web', name: 'VP web' });
    await catalog.createProduct({
      code: 'VP1',
      name: 'VP',
      category: 'men/shirts',
      variants: [
        {
          sku: 'VP1-S',
          prices: [
            {
              currency: 'EUR',
              list_amount: 1000,
              sale_amount: 800,
              valid_from: '2026-06-20T00:00:00.000Z',
              valid_to: '2026-06-30T00:00:00.000Z',
            },
            { currency: 'EUR', channel_id: channel.id, list_amount: 1100 },
            { currency: 'USD', list_amount: 1200 },
          ],
        },
        { sku: 'VP1-M', prices: [] },
      ],
    });
    const skus = ['VP1-S', 'VP1-M', 'ghost', 'VP1-S'];
    const seen = new Set<string>();
    for (const at of ['2026-06-15T10:00:00Z', '2026-06-25T00:00:00Z', '2026-06-30T00:00:00Z'])
      for (const channelId of [undefined, channel.id])
        for (const currency of ['EUR', 'USD']) {
          const ctx = { currency, channelId, at: new Date(at) };
          const one = await catalog.variantsAndPrices(skus, ctx);
          expect(one).toEqual({ variants: await catalog.getVariants(skus), prices: await catalog.prices(skus, ctx) });
          expect([...one.variants.keys()].sort()).toEqual(['VP1-M', 'VP1-S']);
          seen.add(String(one.prices.get('VP1-S')?.amount));
        }
    expect([...seen].sort()).toEqual(['1000', '1100', '1200', '800']); // list, channel, currency and sale all met
  });

  it('requireKnown refuses unknown SKUs and asks the database about a known one only once', async () => {
    const { catalog } = t.omnia.services;
    const reads = vi.spyOn(catalog, 'getVariants');
    try {
      await expect(catalog.requireKnown(['PR1-M', 'ghost3'], { field: 'sku' })).rejects.toMatchObject({
        type: 'validation_failed',
        extras: { errors: [{ field: 'sku', message: 'SKU ghost3 does not exist' }], unknown_skus: ['ghost3'] },
      });
      await catalog.requireKnown(['PR1-M']);
      await catalog.requireKnown(['PR1-M']); // remembered: no read
      expect(reads.mock.calls.map((c) => c[0])).toEqual([['PR1-M', 'ghost3'], ['PR1-M']]);
      // Still unknown after a refusal: asked again, refused again.
      await expect(catalog.requireKnown(['ghost3'])).rejects.toMatchObject({ type: 'validation_failed' });
      expect(reads).toHaveBeenCalledTimes(3);
      // Found inside a transaction: not remembered (its SKU could still roll back).
      await t.omnia.ctx.db.transaction().execute((trx) => catalog.requireKnown(['PR1-L'], { trx }));
      await catalog.requireKnown(['PR1-L']);
      expect(reads).toHaveBeenCalledTimes(5);
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses bad input with problem+json and changes nothing', async () => {
    await t.request('POST', '/v1/products', { body: product('DUP', { variants: [{ sku: 'DUP-S', gtin: G3 }] }) });
    const before = await counts();
    const cases: [unknown, number, string, string[]][] = [
      [
        product('N1', { variants: [{ sku: 'N1-S', prices: [{ currency: 'EUR', list_amount: -1 }] }] }),
        400,
        'validation_failed',
        ['body/variants/0/prices/0/list_amount'],
      ],
      [
        product('N2', {
          variants: [{ sku: 'N2-S', prices: [{ currency: 'EUR', list_amount: 100, sale_amount: 200 }] }],
        }),
        400,
        'validation_failed',
        ['variants/0/prices/0/sale_amount'],
      ],
      [product('N3', { variants: [{ sku: 'N3-S', gtin: BAD_GTIN }] }), 400, 'validation_failed', ['variants/0/gtin']],
      [product('N4', { variants: [{ sku: 'N4-S' }, { sku: 'N4-S' }] }), 400, 'validation_failed', ['variants/1/sku']],
      [
        product('N5', {
          variants: [
            { sku: 'N5-S', gtin: G1 },
            { sku: 'N5-M', gtin: G1 },
          ],
        }),
        400,
        'validation_failed',
        ['variants/1/gtin'],
      ],
      [product('N6', { variants: [{ sku: 'DUP-S' }] }), 409, 'duplicate', ['variants/0/sku']],
      [product('N7', { variants: [{ sku: 'N7-S', gtin: G3 }] }), 409, 'duplicate', ['variants/0/gtin']],
      [product('DUP'), 409, 'duplicate', ['code']],
      [{ ...product('N8'), name: 42 }, 400, 'validation_failed', ['body/name']],
      [{ ...product('N9'), colour: 'red' }, 400, 'validation_failed', ['body/colour']],
      [product('N10', { tax_class: 'zero' }), 400, 'validation_failed', ['body/tax_class']],
      [product('N11', { category: 'Women Shoes' }), 400, 'validation_failed', ['category']],
      [product('N12', { variants: [{ sku: 'N12 S' }] }), 400, 'validation_failed', ['body/variants/0/sku']],
      [
        product('N13', {
          variants: [{ sku: 'N13-S', prices: [{ currency: 'EUR', channel_id: 'nowhere', list_amount: 100 }] }],
        }),
        400,
        'validation_failed',
        ['variants/0/prices/0/channel_id'],
      ],
    ];
    for (const [body, status, code, fields] of cases) {
      const res = await t.request('POST', '/v1/products', { body });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe(code);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(fields));
    }
    expect((await t.request('POST', '/v1/products', { body: '{"code":' })).body.code).toBe('malformed_json');
    const badPrices = await t.request('PUT', '/v1/prices', {
      body: {
        prices: [
          { sku: 'DUP-S', currency: 'EUR', list_amount: 500 },
          { sku: 'ghost', currency: 'EUR', list_amount: 500 },
        ],
      },
    });
    expect(badPrices.status).toBe(400);
    expect(badPrices.body.unknown_skus).toEqual(['ghost']);
    const badPatch = await t.request('PATCH', '/v1/products/DUP', { body: { variants: [{ sku: 'PR1-S' }] } });
    expect(badPatch.status).toBe(409);
    expect((await t.request('PATCH', '/v1/products/DUP', { body: { name: '' } })).status).toBe(400);
    expect(await counts()).toEqual(before);
    expect((await t.request('GET', '/v1/products/DUP')).body.variants[0].prices).toEqual([]);
  });

  it('needs catalog:read to read and catalog:write to write; customers may read', async () => {
    expect((await t.request('GET', '/v1/products/OX1', { token: '' })).status).toBe(401);
    const reader = await t.apiKey('web', ['catalog:read']);
    expect((await t.request('GET', '/v1/products/OX1', { token: reader })).status).toBe(200);
    const w = await t.request('POST', '/v1/products', { token: reader, body: product('X1') });
    expect(w.status).toBe(403);
    expect(w.body.required_scope).toBe('catalog:write');
    const web = await t.omnia.services.network.requireChannel('web');
    const { token } = t.omnia.services.auth.issueCustomerToken('cus_1', web.id);
    expect((await t.request('GET', '/v1/products/OX1', { token })).status).toBe(200);
    expect(
      (await t.request('POST', '/v1/imports/products', { token, body: 'x', headers: { 'content-type': 'text/csv' } }))
        .status,
    ).toBe(403);
  });

  it('documents the catalog in OpenAPI', async () => {
    const doc = await t.request('GET', '/openapi.json', { token: '' });
    expect(doc.body.paths['/v1/products/{id}'].get.responses['200']).toBeTruthy();
    expect(doc.body.paths['/v1/imports/products'].post).toBeTruthy();
    expect(doc.body.paths['/v1/prices'].put).toBeTruthy();
  });
});
