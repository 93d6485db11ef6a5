import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { seedDemo, DemoNotEmptyError } from './seed.js';
import { seedIfEmpty, DEMO_ADMIN_EMAIL } from './first-start.js';
import type { Db } from '../platform/db/schema.js';

/** The seeded data without generated ids and timestamps. */
async function content(db: Db) {
  const locations = await db
    .selectFrom('locations')
    .select(['code', 'type', 'name', 'lat', 'lng', 'address', 'capabilities', 'opening_hours', 'daily_capacity'])
    .orderBy('code')
    .execute();
  const channels = await db
    .selectFrom('channels')
    .select(['code', 'type', 'name', 'safety_stock', 'buffer_pct'])
    .orderBy('code')
    .execute();
  const products = await db
    .selectFrom('products')
    .select(['code', 'name', 'brand', 'category', 'tax_class', 'attributes'])
    .orderBy('code')
    .execute();
  const variants = await db
    .selectFrom('variants')
    .select(['sku', 'gtin', 'size', 'colour', 'weight_g', 'unit_cost', 'position'])
    .orderBy('sku')
    .execute();
  const prices = await db
    .selectFrom('prices')
    .select(['sku', 'currency', 'list_amount', 'sale_amount'])
    .orderBy('sku')
    .execute();
  return { locations, channels, products, variants, prices };
}

describe('omnia seed --demo', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = [await startTestApp(), await startTestApp()];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('is deterministic: the same seed gives the same retailer', async () => {
    const opts = { seed: 11, stores: 45, products: 40 };
    const sa = await seedDemo(a.omnia.services, opts);
    const sb = await seedDemo(b.omnia.services, opts);
    expect(sb.skus).toBe(sa.skus);
    expect(sa).toMatchObject({
      stores: 45,
      warehouses: 2,
      pickup_points: 10,
      products: 40,
      channels: [
        'web',
        'app',
        'pos',
        'contact_center',
        'amazon',
        'aliexpress',
        'social',
        'instagram',
        'facebook',
        'tiktok',
      ],
    });
    const [ca, cb] = [await content(a.omnia.ctx.db), await content(b.omnia.ctx.db)];
    expect(ca.variants.length).toBe(sa.skus);
    expect(ca).toEqual(cb);
  });

  it('wires the channels: the tills sell from every location (endless aisle), marketplaces keep a buffer', async () => {
    const { network } = a.omnia.services;
    expect((await network.requireChannel('pos')).stock_policy.locations).toBe('all');
    expect((await network.requireChannel('web')).stock_policy.locations).toBe('all');
    expect((await network.requireChannel('amazon')).type).toBe('marketplace');
    expect((await network.requireChannel('amazon')).stock_policy.buffer_pct).toBeGreaterThan(0);
    const product = await a.request('GET', '/v1/products/NM00001');
    expect(product.status).toBe(200);
    expect(product.body.variants[0].price.currency).toBe('EUR');
  });

  it('refuses to seed a database that has channels', async () => {
    await expect(seedDemo(a.omnia.services, { seed: 1, stores: 1, products: 1 })).rejects.toBeInstanceOf(
      DemoNotEmptyError,
    );
    expect(await seedIfEmpty(a.omnia, { out: fs.createWriteStream('/dev/null') })).toBe(false);
  });
});

describe('first start', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-first-'));
    t.omnia.ctx.config.dataDir = dir;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds an empty database and leaves random credentials in a 0600 file', async () => {
    const chunks: string[] = [];
    const out = { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream;
    expect(await seedIfEmpty(t.omnia, { out, demo: { stores: 5, products: 20 } })).toBe(true);
    const file = path.join(dir, 'demo-credentials.txt');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const creds = Object.fromEntries(
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('=') && !l.startsWith('#'))
        .map((l) => l.split(/=(.*)/s).slice(0, 2)),
    );
    expect(creds.admin_email).toBe(DEMO_ADMIN_EMAIL);
    expect(creds.admin_password.length).toBeGreaterThanOrEqual(20);
    expect(chunks.join('')).toContain(creds.admin_password);
    const login = await t.request('POST', '/v1/auth/staff/login', {
      token: '',
      body: { email: DEMO_ADMIN_EMAIL, password: creds.admin_password },
    });
    expect(login.status).toBe(200);
    const read = await t.request('GET', '/v1/products/NM00001', { token: creds.web_api_key });
    expect(read.status).toBe(200);
    // The printed storefront key is publishable: public, so it reads no customer and no order.
    expect(creds.web_api_key).toMatch(/^omk_pub_/);
    expect((await t.request('GET', '/v1/orders', { token: creds.web_api_key })).status).toBe(403);
    expect((await t.request('GET', '/v1/customers/cus_x/export', { token: creds.web_api_key })).status).toBe(403);
    const write = await t.request('POST', '/v1/products', { token: creds.web_api_key, body: { code: 'X', name: 'X' } });
    expect(write.status).toBe(403);
    expect(await seedIfEmpty(t.omnia, { out })).toBe(false);
  });
});
