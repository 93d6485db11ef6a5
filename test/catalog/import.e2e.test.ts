import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const HEADER =
  'product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost';

describe('POST /v1/imports/products', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    t.omnia.app.inject({
      method: 'POST',
      url: '/v1/imports/products',
      headers: { authorization: `Bearer ${t.admin}`, 'content-type': 'text/csv', ...headers },
      payload: body,
    });

  it('imports the good rows and reports the bad ones by line and field', async () => {
    const csv = `${HEADER}\nP1,"Vestido midi, lino",Nómada,women/dresses,standard,P1-S,8437000000006,S,Verde,49.95,EUR,,300,18.00\nP1,"Vestido midi, lino",Nómada,women/dresses,standard,P1-M,8437000000007,M,Verde,49.95,EUR,,300,18.00\n`;
    const res = await post(csv);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({
      rows: 2,
      imported: 1,
      failed: 1,
      products: 1,
      errors: [{ line: 3, field: 'gtin' }],
    });
    const p = await t.request('GET', '/v1/products/P1');
    expect(p.body).toMatchObject({
      name: 'Vestido midi, lino',
      category: 'women/dresses',
      variants: [{ sku: 'P1-S', price: { amount: 4995, currency: 'EUR' } }],
    });
  });

  it('refuses wrong columns and non-UTF-8 files as a problem, and other content types', async () => {
    const cols = await post('sku;price\nA;1\n');
    expect(cols.statusCode).toBe(400);
    expect(cols.headers['content-type']).toMatch(/problem\+json/);
    expect(cols.json().errors.map((e: { field: string }) => e.field)).toContain('line 1: sku;price');
    const latin1 = await post(
      Buffer.concat([
        Buffer.from(`${HEADER}\n`),
        Buffer.from('P2,Camis\xe9ta,N,men/tshirts,standard,P2-M,,M,Negro,9.95,EUR,,100,3\n', 'latin1'),
      ]),
    );
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json().detail).toMatch(/UTF-8/);
    expect(latin1.json().lines).toEqual([{ line: 2, field: 'file', message: expect.stringMatching(/UTF-8/) }]);
    expect((await t.request('GET', '/v1/products/P2')).status).toBe(404);
    const json = await t.request('POST', '/v1/imports/products', { body: { rows: [] } });
    expect(json.status).toBe(415);
  });

  it('honours Idempotency-Key on imports: same file replays, another file is refused', async () => {
    const csv = `${HEADER}\nP3,Polo,Nómada,men/polos,standard,P3-M,,M,Blanco,25.95,EUR,,220,8\n`;
    const first = await post(csv, { 'idempotency-key': 'imp-1' });
    const again = await post(csv, { 'idempotency-key': 'imp-1' });
    expect(first.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await post(csv.replace('25.95', '26.95'), { 'idempotency-key': 'imp-1' });
    expect(other.statusCode).toBe(422);
  });
});
