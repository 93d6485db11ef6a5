export const TAX_CLASSES = ['standard', 'reduced', 'super_reduced'] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];

/** A SKU as every other module sees it: the variant with the product facts they need. */
export interface VariantView {
  sku: string;
  product_id: string;
  product_code: string;
  product_name: string;
  gtin: string | null;
  size: string | null;
  colour: string | null;
  category: string;
  tax_class: TaxClass;
  returnable: boolean;
  weight_g: number;
  /** Minor units, for stock investment. */
  unit_cost: number;
  active: boolean;
}

/** The price that applies to a SKU for one currency, channel and moment. */
export interface PriceView {
  sku: string;
  currency: string;
  list_amount: number;
  sale_amount: number | null;
  /** What the customer pays (tax-inclusive): the sale price while its window is open, else list. */
  amount: number;
  /** The channel whose own entry applied, or null when the default entry did. */
  channel_id: string | null;
}

/** One entry of the price book, as stored. */
export interface PriceEntry {
  sku: string;
  currency: string;
  channel_id: string | null;
  list_amount: number;
  sale_amount: number | null;
  valid_from: string | null;
  valid_to: string | null;
}

export interface Variant {
  sku: string;
  gtin: string | null;
  options: { size: string | null; colour: string | null };
  weight_g: number;
  unit_cost: number;
  position: number;
  active: boolean;
  /** Effective price in the requested currency (and the caller's channel), null when none is set. */
  price: { amount: number; currency: string; list_amount: number; sale_amount: number | null } | null;
  /** The full price book of this SKU. */
  prices: PriceEntry[];
}

export interface Product {
  id: string;
  code: string;
  name: string;
  description: string;
  brand: string;
  category: string;
  tax_class: TaxClass;
  returnable: boolean;
  attributes: Record<string, unknown>;
  active: boolean;
  variants: Variant[];
  created_at: string;
  updated_at: string;
}

/** Product without variants, for lists. */
export type ProductSummary = Omit<Product, 'variants'> & { variant_count: number };

export interface VariantInput {
  sku: string;
  gtin?: string | null | undefined;
  size?: string | null | undefined;
  colour?: string | null | undefined;
  weight_g?: number | undefined;
  unit_cost?: number | undefined;
  position?: number | undefined;
  active?: boolean | undefined;
  prices?: PriceInput[] | undefined;
}

export interface PriceInput {
  currency: string;
  channel_id?: string | null | undefined;
  list_amount: number;
  sale_amount?: number | null | undefined;
  valid_from?: string | null | undefined;
  valid_to?: string | null | undefined;
}

export interface ProductInput {
  code: string;
  name: string;
  description?: string | undefined;
  brand?: string | undefined;
  category?: string | undefined;
  tax_class?: TaxClass | undefined;
  returnable?: boolean | undefined;
  attributes?: Record<string, unknown> | undefined;
  active?: boolean | undefined;
  variants?: VariantInput[] | undefined;
}

export type ProductPatch = Partial<Omit<ProductInput, 'code' | 'variants'>> & { variants?: VariantInput[] | undefined };

export interface ImportRowError {
  line: number;
  field: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  imported: number;
  failed: number;
  products: number;
  errors: ImportRowError[];
  duration_ms: number;
}
