import { Type } from '@sinclair/typebox';
import { Currency, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { TAX_CLASSES } from './types.js';

const Amount = Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'minor units, tax-inclusive' });
const Sku = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });
const Gtin = Type.String({ pattern: '^[0-9]{13}$', description: 'GTIN-13 with a valid check digit' });
const Text = (max: number) => Type.String({ maxLength: max });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const PriceInputSchema = Strict({
  currency: Currency,
  channel_id: Type.Optional(
    Type.Union([
      Type.String({ minLength: 1, maxLength: 64, description: 'channel id or code; null = default for all channels' }),
      Type.Null(),
    ]),
  ),
  list_amount: Amount,
  sale_amount: Type.Optional(Type.Union([Amount, Type.Null()])),
  valid_from: Type.Optional(Type.Union([Timestamp, Type.Null()])),
  valid_to: Type.Optional(Type.Union([Timestamp, Type.Null()])),
});

export const VariantInputSchema = Strict({
  sku: Sku,
  gtin: Type.Optional(Nullable(Gtin)),
  size: Type.Optional(Nullable(Text(40))),
  colour: Type.Optional(Nullable(Text(60))),
  weight_g: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  unit_cost: Type.Optional(Amount),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  active: Type.Optional(Type.Boolean()),
  prices: Type.Optional(Type.Array(PriceInputSchema, { maxItems: 50 })),
});

const productFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Text(5000),
  brand: Text(120),
  category: Type.String({ maxLength: 300, description: "slash path, e.g. 'women/shoes/sneakers'" }),
  tax_class: StringEnum(TAX_CLASSES),
  returnable: Type.Boolean(),
  attributes: Type.Record(Type.String(), Type.Unknown(), { maxProperties: 100 }),
  active: Type.Boolean(),
};

export const ProductCreate = Strict({
  code: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }),
  name: productFields.name,
  description: Type.Optional(productFields.description),
  brand: Type.Optional(productFields.brand),
  category: Type.Optional(productFields.category),
  tax_class: Type.Optional(productFields.tax_class),
  returnable: Type.Optional(productFields.returnable),
  attributes: Type.Optional(productFields.attributes),
  active: Type.Optional(productFields.active),
  variants: Type.Optional(Type.Array(VariantInputSchema, { maxItems: 500 })),
});

export const ProductPatchSchema = Strict({
  name: Type.Optional(productFields.name),
  description: Type.Optional(productFields.description),
  brand: Type.Optional(productFields.brand),
  category: Type.Optional(productFields.category),
  tax_class: Type.Optional(productFields.tax_class),
  returnable: Type.Optional(productFields.returnable),
  attributes: Type.Optional(productFields.attributes),
  active: Type.Optional(productFields.active),
  variants: Type.Optional(
    Type.Array(VariantInputSchema, {
      maxItems: 500,
      description: 'adds these SKUs or changes them; SKUs not listed stay',
    }),
  ),
});

export const PriceEntrySchema = Type.Object({
  sku: Type.String(),
  currency: Type.String(),
  channel_id: Type.Union([Type.String(), Type.Null()]),
  list_amount: Type.Integer(),
  sale_amount: Type.Union([Type.Integer(), Type.Null()]),
  valid_from: Type.Union([Type.String(), Type.Null()]),
  valid_to: Type.Union([Type.String(), Type.Null()]),
});

export const PricesPut = Strict({
  prices: Type.Array(Strict({ sku: Sku, ...PriceInputSchema.properties }), { minItems: 1, maxItems: 1000 }),
});

const VariantSchema = Type.Object({
  sku: Type.String(),
  gtin: Type.Union([Type.String(), Type.Null()]),
  options: Type.Object({
    size: Type.Union([Type.String(), Type.Null()]),
    colour: Type.Union([Type.String(), Type.Null()]),
  }),
  weight_g: Type.Integer(),
  unit_cost: Type.Integer(),
  position: Type.Integer(),
  active: Type.Boolean(),
  price: Type.Union([
    Type.Object({
      amount: Type.Integer(),
      currency: Type.String(),
      list_amount: Type.Integer(),
      sale_amount: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  prices: Type.Array(PriceEntrySchema),
});

const productOut = {
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  brand: Type.String(),
  category: Type.String(),
  tax_class: StringEnum(TAX_CLASSES),
  returnable: Type.Boolean(),
  attributes: Type.Object({}, { additionalProperties: true }),
  active: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
};

export const ProductSchema = Type.Object({
  ...productOut,
  variants: Type.Array(VariantSchema),
  /** Issue 19: the approved reviews' summary (count, average, distribution, size feedback), on the product read. */
  rating: Type.Optional(
    Type.Object({}, { additionalProperties: true, description: 'see GET /v1/products/{id}/reviews' }),
  ),
});
export const ProductSummarySchema = Type.Object({ ...productOut, variant_count: Type.Integer() });

export const VariantViewSchema = Type.Object({
  sku: Type.String(),
  product_id: Type.String(),
  product_code: Type.String(),
  product_name: Type.String(),
  gtin: Type.Union([Type.String(), Type.Null()]),
  size: Type.Union([Type.String(), Type.Null()]),
  colour: Type.Union([Type.String(), Type.Null()]),
  category: Type.String(),
  tax_class: StringEnum(TAX_CLASSES),
  returnable: Type.Boolean(),
  weight_g: Type.Integer(),
  unit_cost: Type.Integer(),
  active: Type.Boolean(),
  prices: Type.Array(PriceEntrySchema),
});

export const ImportReportSchema = Type.Object({
  rows: Type.Integer({ description: 'data rows in the file' }),
  imported: Type.Integer(),
  failed: Type.Integer(),
  products: Type.Integer({ description: 'distinct products touched by imported rows' }),
  errors: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), message: Type.String() })),
  duration_ms: Type.Integer(),
});

export const ProductQuery = Type.Object({
  currency: Type.Optional(Currency),
  channel: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'price for this channel (id or code); API keys use their own',
    }),
  ),
});
