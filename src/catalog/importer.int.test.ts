import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { ManualClock } from '../platform/clock.js';
import { NetworkService } from '../network/index.js';
import { CatalogService } from './service.js';
import { ImportFileError } from './importer.js';
import { gtinCheckDigit } from './rules.js';

const HEADER =
  'product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost';
const gtin = (n: number) => {
  const body = String(843700000000 + n);
  return body + gtinCheckDigit(body);
};
const line = (code: string, sku: string, g: string, price = '19.95', extra: { name?: string; sale?: string } = {}) =>
  `${code},${extra.name ?? `Camiseta ${code}`},Nómada,men/tshirts,standard,${sku},${g},M,Negro,${price},EUR,${extra.sale ?? ''},200,6.50`;

describe('product CSV import', () => {
  let db: TestDatabase;
  let catalog: CatalogService;
  beforeAll(async () => {
    db = await createTestDatabase();
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    catalog = new CatalogService(db.db, clock, new NetworkService(db.db, clock));
  });
  afterAll(async () => db?.close());

  it('imports good rows, reports bad ones by line and field, each row whole or not at all', async () => {
    await catalog.createProduct({ code: 'OTHER', name: 'Other', variants: [{ sku: 'TAKEN-1', gtin: gtin(900) }] });
    const csv = [
      HEADER,
      line('A', 'A-M', gtin(1)), // 2 good
      line('A', 'A-L', gtin(2), '19.95', { sale: '9.95' }), // 3 good, same product
      line('B', 'B-M', '8437000000007'), // 4 bad check digit
      line('C', 'C-M', gtin(3), '-3'), // 5 negative price
      line('D', 'TAKEN-1', gtin(4)), // 6 SKU of another product (database)
      line('E', 'E-M', gtin(900)), // 7 GTIN of another SKU (database)
      line('F', 'A-M', gtin(5)), // 8 SKU repeated in the file
      line('G', 'G-M', gtin(6), '10', { sale: '12' }), // 9 sale above list
      line('H', 'H-M', gtin(7)), // 10 good
    ].join('\n');
    const report = await catalog.importCsv(Buffer.from(csv), { batchSize: 4 });
    expect(report).toMatchObject({ rows: 9, imported: 3, failed: 6, products: 2 });
    expect(report.errors.map((e) => `${e.line}:${e.field}`)).toEqual([
      '4:gtin',
      '5:price',
      '6:sku',
      '7:gtin',
      '8:sku',
      '9:sale_price',
    ]);
    const a = await catalog.getProduct('A');
    expect(a.variants.map((v) => [v.sku, v.price?.amount])).toEqual([
      ['A-M', 1995],
      ['A-L', 995],
    ]);
    // Nothing of a refused row was stored: not its product, not its price.
    await expect(catalog.getProduct('D')).rejects.toMatchObject({ type: 'not_found' });
    await expect(catalog.getProduct('E')).rejects.toMatchObject({ type: 'not_found' });
    expect((await catalog.getVariants(['TAKEN-1'])).get('TAKEN-1')?.product_code).toBe('OTHER');
  });

  it('updates on re-import (prices, names) instead of duplicating', async () => {
    const csv = [
      HEADER,
      line('A', 'A-M', gtin(1), '24.95', { name: 'Camiseta A nueva' }),
      line('A', 'A-L', gtin(2), '24.95', { name: 'Camiseta A nueva' }),
    ].join('\n');
    const report = await catalog.importCsv(csv);
    expect(report).toMatchObject({ imported: 2, failed: 0 });
    const a = await catalog.getProduct('A');
    expect(a.name).toBe('Camiseta A nueva');
    expect(a.variants.map((v) => v.price?.amount)).toEqual([2495, 2495]);
  });

  it('refuses a whole file with wrong columns, bad quoting or a non-UTF-8 encoding, changing nothing', async () => {
    const before = (await catalog.listProducts({ limit: 500 })).items.length;
    const attempts: [Buffer | string, string][] = [
      ['code,name,price\nX,Y,1', 'product_code'],
      [`${HEADER},extra\n`, 'extra'],
      [`${HEADER}\n"X,Y`, 'file'],
      [
        Buffer.concat([
          Buffer.from(`${HEADER}\n`),
          Buffer.from(line('Z', 'Z-M', gtin(50)).replace('Camiseta', 'Camis\xe9ta'), 'latin1'),
        ]),
        'file',
      ],
      ['', 'file'],
    ];
    for (const [data, field] of attempts) {
      const err = await catalog.importCsv(data).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportFileError);
      expect((err as ImportFileError).errors.map((e) => e.field)).toContain(field);
    }
    expect((await catalog.listProducts({ limit: 500 })).items.length).toBe(before);
  });

  it('imports a larger file in batches with progress', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) =>
      line(`BULK${Math.floor(i / 4)}`, `BULK-${i}`, gtin(10_000 + i)),
    );
    const seen: number[] = [];
    const report = await catalog.importCsv([HEADER, ...rows].join('\r\n'), {
      batchSize: 500,
      onProgress: (d) => seen.push(d),
    });
    expect(report).toMatchObject({ rows: 2000, imported: 2000, failed: 0, products: 500 });
    expect(seen).toEqual([500, 1000, 1500, 2000]);
  });
});

describe('catalog doctor checks', () => {
  it('flags a GTIN with a wrong check digit written around the service, and unpriced SKUs', async () => {
    const { catalogChecks } = await import('./doctor.js');
    const db = await createTestDatabase();
    try {
      const clock = new ManualClock();
      const catalog = new CatalogService(db.db, clock, new NetworkService(db.db, clock));
      await catalog.createProduct({
        code: 'D1',
        name: 'D',
        variants: [
          { sku: 'D1-M', gtin: gtin(1), prices: [{ currency: 'EUR', list_amount: 100 }] },
          { sku: 'D1-L', gtin: gtin(2) },
        ],
      });
      const [gtins, priced] = catalogChecks;
      expect((await gtins!.run(db.db, clock.now())).status).toBe('ok');
      expect(await priced!.run(db.db, clock.now())).toMatchObject({ status: 'warn', samples: ['D1-L'] });
      await db.db.updateTable('variants').set({ gtin: '8437000000019' }).where('sku', '=', 'D1-L').execute();
      expect(await gtins!.run(db.db, clock.now())).toMatchObject({
        status: 'fail',
        samples: [{ sku: 'D1-L', gtin: '8437000000019' }],
      });
    } finally {
      await db.close();
    }
  });
});
