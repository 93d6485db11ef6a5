import type { Generated } from 'kysely';

export interface ProductsTable {
  id: string;
  code: string;
  name: string;
  description: Generated<string>;
  brand: Generated<string>;
  category: Generated<string>;
  tax_class: Generated<string>;
  returnable: Generated<boolean>;
  attributes: Generated<unknown>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface VariantsTable {
  sku: string;
  product_id: string;
  gtin: string | null;
  size: string | null;
  colour: string | null;
  weight_g: Generated<number>;
  unit_cost: Generated<number>;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PricesTable {
  id: Generated<number>;
  sku: string;
  currency: string;
  channel_id: string | null;
  list_amount: number;
  sale_amount: number | null;
  valid_from: Date | null;
  valid_to: Date | null;
  updated_at: Generated<Date>;
}

/** One row per search term of a product (search.ts decides the terms). */
export interface ProductSearchTermsTable {
  term: string;
  product_id: string;
}

declare module '../platform/db/schema.js' {
  interface DB {
    products: ProductsTable;
    product_search_terms: ProductSearchTermsTable;
    variants: VariantsTable;
    prices: PricesTable;
  }
}
