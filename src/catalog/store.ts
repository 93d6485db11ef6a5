import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { PricesTable, ProductsTable, VariantsTable } from './tables.js';
import './tables.js';
import { searchTerms, queryPrefixes } from './search.js';

export type ProductRow = Selectable<ProductsTable>;
export type VariantRow = Selectable<VariantsTable>;
export type PriceRow = Selectable<PricesTable>;
// The reads a quote and a checkout make (variants by SKU, their price entries): store-variants.ts.
export * from './store-variants.js';

/** One row per (variant, price entry) of a product, in display order: the product page in one query. */
export interface ProductPageRow {
  id: string;
  code: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  tax_class: string;
  returnable: boolean;
  attributes: unknown;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  sku: string | null;
  gtin: string | null;
  size: string | null;
  colour: string | null;
  weight_g: number | null;
  unit_cost: number | null;
  position: number | null;
  v_active: boolean | null;
  currency: string | null;
  channel_id: string | null;
  list_amount: number | null;
  sale_amount: number | null;
  valid_from: Date | null;
  valid_to: Date | null;
}

export function productPage(db: Executor, idOrCode: string): Promise<ProductPageRow[]> {
  return db
    .selectFrom('products as p')
    .leftJoin('variants as v', 'v.product_id', 'p.id')
    .leftJoin('prices as pr', 'pr.sku', 'v.sku')
    .select([
      'p.id',
      'p.code',
      'p.name',
      'p.description',
      'p.brand',
      'p.category',
      'p.tax_class',
      'p.returnable',
      'p.attributes',
      'p.active',
      'p.created_at',
      'p.updated_at',
      'v.sku',
      'v.gtin',
      'v.size',
      'v.colour',
      'v.weight_g',
      'v.unit_cost',
      'v.position',
      'v.active as v_active',
      'pr.currency',
      'pr.channel_id',
      'pr.list_amount',
      'pr.sale_amount',
      'pr.valid_from',
      'pr.valid_to',
    ])
    .where((eb) => eb.or([eb('p.id', '=', idOrCode), eb('p.code', '=', idOrCode)]))
    .orderBy('v.position')
    .orderBy('v.sku')
    .orderBy('pr.currency')
    .orderBy('pr.channel_id', (ob) => ob.nullsFirst())
    .execute() as Promise<ProductPageRow[]>;
}

export function listProducts(
  db: Executor,
  q: { limit: number; after?: string | undefined; category?: string | undefined; q?: string | undefined },
) {
  let query = db
    .selectFrom('products as p')
    .selectAll('p')
    .select((eb) =>
      eb
        .selectFrom('variants as v')
        .whereRef('v.product_id', '=', 'p.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('variant_count'),
    )
    .orderBy('p.id')
    .limit(q.limit + 1);
  if (q.after !== undefined) query = query.where('p.id', '>', q.after);
  // A category filter matches the category and everything below it: 'women' finds 'women/shoes'.
  if (q.category !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('p.category', '=', q.category!),
        eb('p.category', 'like', `${q.category!.replace(/[%_\\]/g, '\\$&')}/%`),
      ]),
    );
  if (q.q !== undefined) {
    // Every word starts some term of the product (search.ts): one index range scan each.
    const prefixes = queryPrefixes(q.q);
    if (!prefixes.length) return Promise.resolve([]);
    for (const prefix of prefixes)
      query = query.where(
        'p.id',
        'in',
        db.selectFrom('product_search_terms as t').select('t.product_id').where('t.term', 'like', `${prefix}%`),
      );
  }
  return query.execute();
}

export function findProduct(db: Executor, idOrCode: string): Promise<ProductRow | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
}

export async function insertProducts(db: Executor, rows: Insertable<ProductsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('products').values(rows).execute();
}

export function updateProduct(
  db: Executor,
  id: string,
  patch: Updateable<ProductsTable>,
): Promise<ProductRow | undefined> {
  return db.updateTable('products').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function insertVariants(db: Executor, rows: Insertable<VariantsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('variants').values(rows).execute();
}

/**
 * Inserts or updates variants of the given products. A SKU that already belongs to another product
 * is neither moved nor changed: it is left out of the returned SKUs, so the caller can refuse it.
 */
export async function upsertVariants(db: Executor, rows: Insertable<VariantsTable>[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const done = await db
    .insertInto('variants')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('sku')
        .doUpdateSet((eb) => ({
          gtin: eb.ref('excluded.gtin'),
          size: eb.ref('excluded.size'),
          colour: eb.ref('excluded.colour'),
          weight_g: eb.ref('excluded.weight_g'),
          unit_cost: eb.ref('excluded.unit_cost'),
          position: eb.ref('excluded.position'),
          active: eb.ref('excluded.active'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .whereRef('variants.product_id', '=', 'excluded.product_id'),
    )
    .returning('sku')
    .execute();
  return new Set(done.map((r) => r.sku));
}

export function variantsOfProduct(db: Executor, productId: string): Promise<VariantRow[]> {
  return db
    .selectFrom('variants')
    .selectAll()
    .where('product_id', '=', productId)
    .orderBy('position')
    .orderBy('sku')
    .execute();
}

/** Which of these SKUs exist, and under which product. */
export async function variantOwners(db: Executor, skus: string[]): Promise<Map<string, string>> {
  if (!skus.length) return new Map();
  const rows = await db.selectFrom('variants').select(['sku', 'product_id']).where('sku', 'in', skus).execute();
  return new Map(rows.map((r) => [r.sku, r.product_id]));
}

/** Which of these GTINs are taken, and by which SKU. */
export async function gtinOwners(db: Executor, gtins: string[]): Promise<Map<string, string>> {
  if (!gtins.length) return new Map();
  const rows = await db.selectFrom('variants').select(['sku', 'gtin']).where('gtin', 'in', gtins).execute();
  return new Map(rows.map((r) => [r.gtin!, r.sku]));
}

/** Sets price-book entries: one per (sku, currency, channel), replaced when present. */
export async function upsertPrices(db: Executor, rows: Insertable<PricesTable>[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('prices')
    .values(rows)
    .onConflict((oc) =>
      oc.constraint('prices_entry').doUpdateSet((eb) => ({
        list_amount: eb.ref('excluded.list_amount'),
        sale_amount: eb.ref('excluded.sale_amount'),
        valid_from: eb.ref('excluded.valid_from'),
        valid_to: eb.ref('excluded.valid_to'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function deletePrice(
  db: Executor,
  sku: string,
  currency: string,
  channelId: string | null,
): Promise<boolean> {
  const res = await db
    .deleteFrom('prices')
    .where('sku', '=', sku)
    .where('currency', '=', currency)
    .where((eb) => (channelId === null ? eb('channel_id', 'is', null) : eb('channel_id', '=', channelId)))
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Import: products by code, created or updated; returns id by code. */
export async function upsertProductsByCode(
  db: Executor,
  rows: Insertable<ProductsTable>[],
): Promise<Map<string, string>> {
  if (!rows.length) return new Map();
  const done = await db
    .insertInto('products')
    .values(rows)
    .onConflict((oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        brand: eb.ref('excluded.brand'),
        category: eb.ref('excluded.category'),
        tax_class: eb.ref('excluded.tax_class'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returning(['id', 'code'])
    .execute();
  return new Map(done.map((r) => [r.code, r.id]));
}

export async function countProducts(db: Executor): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from products`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** GTINs whose check digit is wrong (written around the service, e.g. by hand in SQL). */
export async function badGtins(db: Executor, limit = 20): Promise<{ sku: string; gtin: string }[]> {
  const terms = Array.from({ length: 12 }, (_, i) => `${i % 2 === 0 ? 1 : 3} * substr(gtin, ${i + 1}, 1)::int`).join(
    ' + ',
  );
  const r = await sql<{ sku: string; gtin: string }>`select sku, gtin from variants
    where gtin is not null and (10 - ((${sql.raw(terms)}) % 10)) % 10 <> substr(gtin, 13, 1)::int
    order by sku limit ${limit}`.execute(db);
  return r.rows;
}

/** Active SKUs without any price-book entry: they cannot be sold. */
export async function unpricedSkus(db: Executor, limit = 20): Promise<{ n: number; samples: string[] }> {
  const r = await sql<{ sku: string; n: number }>`select v.sku, count(*) over ()::int as n from variants v
    where v.active and not exists (select 1 from prices p where p.sku = v.sku) order by v.sku limit ${limit}`.execute(
    db,
  );
  return { n: r.rows[0]?.n ?? 0, samples: r.rows.map((x) => x.sku) };
}

/**
 * Rewrites the search terms of these products from their current name, brand, code, SKUs and GTINs.
 * Every write of a product or its variants calls it in the same transaction.
 */
export async function indexSearchTerms(db: Executor, productIds: readonly string[]): Promise<void> {
  const ids = [...new Set(productIds)];
  if (!ids.length) return;
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const products = await db
      .selectFrom('products')
      .select(['id', 'name', 'brand', 'code'])
      .where('id', 'in', chunk)
      .execute();
    const variants = await db
      .selectFrom('variants')
      .select(['product_id', 'sku', 'gtin'])
      .where('product_id', 'in', chunk)
      .execute();
    const byProduct = new Map<string, { skus: string[]; gtins: (string | null)[] }>();
    for (const v of variants) {
      const e = byProduct.get(v.product_id) ?? { skus: [], gtins: [] };
      e.skus.push(v.sku);
      e.gtins.push(v.gtin);
      byProduct.set(v.product_id, e);
    }
    const rows = products.flatMap((p) =>
      searchTerms({ ...p, ...(byProduct.get(p.id) ?? { skus: [], gtins: [] }) }).map((term) => ({
        term,
        product_id: p.id,
      })),
    );
    await db.deleteFrom('product_search_terms').where('product_id', 'in', chunk).execute();
    // Two array parameters instead of two per row: a VALUES list of 15,000 rows spent most of its
    // time binding and parsing (see docs/console.md for the figures).
    if (rows.length)
      await sql`insert into product_search_terms (term, product_id)
        select * from unnest(${rows.map((r) => r.term)}::text[], ${rows.map((r) => r.product_id)}::text[])`.execute(db);
  }
  // After a bulk load the planner needs statistics; PGlite runs no autovacuum to gather them (a
  // search took ~300 ms without, ~2 ms with). ANALYZE samples, so it stays cheap on large tables.
  if (ids.length >= 1000) await analyzeSearchTerms(db);
}

export async function analyzeSearchTerms(db: Executor): Promise<void> {
  await sql`analyze product_search_terms`.execute(db);
}
