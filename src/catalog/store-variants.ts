/**
 * The catalog reads every quote and checkout makes: variants by SKU with their product's facts, and
 * their price entries (apart or with the variants in one statement). Part of the catalog's store
 * (store.ts re-exports it), kept apart for its size.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { json } from '../platform/db/json.js';
import { compiledList } from '../platform/db/in-list.js';
import type { PricesTable, VariantsTable } from './tables.js';

type VariantRow = Selectable<VariantsTable>;
type PriceRow = Selectable<PricesTable>;

export type VariantJoinRow = VariantRow & {
  product_code: string;
  product_name: string;
  category: string;
  tax_class: string;
  returnable: boolean;
  product_active: boolean;
};

export function variantsBySku(db: Executor, skus: string[]): Promise<VariantJoinRow[]> {
  if (!skus.length) return Promise.resolve([]);
  return variantsBySkuStmt.rows(db, skus, {});
}
// A quote's and a checkout's catalog reads, built and compiled once per list length (in-list.ts:
// with `= any` PostgreSQL planned the with-prices read afresh on every call).
const variantsBySkuStmt = compiledList('text', (db, _p: Record<string, never>, match) =>
  variantsQuery(db).where(match('v.sku')),
);
const variantsWithPricesStmt = compiledList('text', (db, p: { currency: string }, match) =>
  variantsQuery(db)
    .select(
      sql<unknown>`coalesce((select json_agg(pr order by pr.id) from prices pr where pr.sku = v.sku and pr.currency = ${p.currency}), '[]'::json)`.as(
        'prices_',
      ),
    )
    .where(match('v.sku')),
);

/**
 * variantsBySku and pricesBySku in one statement (a quote's catalog read): each variant with its
 * price entries in `currency` as a JSON array, ordered as pricesBySku orders them.
 */
export async function variantsWithPrices(
  db: Executor,
  skus: string[],
  currency: string,
): Promise<{ variant: VariantJoinRow; prices: PriceRow[] }[]> {
  if (!skus.length) return [];
  const rows = await variantsWithPricesStmt.rows(db, skus, { currency });
  return rows.map(({ prices_, ...variant }) => ({ variant, prices: priceRowsFromJson(prices_) }));
}
/** Price rows of a json_agg as the driver returns them from the table (Dates for the timestamps). */
function priceRowsFromJson(v: unknown): PriceRow[] {
  const at = (x: string | null) => (x === null ? null : new Date(x));
  type Raw = Omit<PriceRow, 'valid_from' | 'valid_to' | 'updated_at'> & {
    valid_from: string | null;
    valid_to: string | null;
    updated_at: string;
  };
  return json<Raw[]>(v).map((r) => ({
    ...r,
    valid_from: at(r.valid_from),
    valid_to: at(r.valid_to),
    updated_at: new Date(r.updated_at),
  }));
}

function variantsQuery(db: Executor) {
  return db
    .selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .selectAll('v')
    .select([
      'p.code as product_code',
      'p.name as product_name',
      'p.category',
      'p.tax_class',
      'p.returnable',
      'p.active as product_active',
    ]);
}

export function pricesBySku(db: Executor, skus: string[], currency?: string): Promise<PriceRow[]> {
  if (!skus.length) return Promise.resolve([]);
  let q = db.selectFrom('prices').selectAll().where('sku', 'in', skus);
  if (currency !== undefined) q = q.where('currency', '=', currency);
  return q.orderBy('sku').orderBy('id').execute();
}
