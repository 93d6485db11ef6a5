import { actingChannelIfAny } from '../platform/auth/policy.js';
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { App } from '../platform/http/app.js';
import { Page, PageQuery } from '../platform/http/pagination.js';
import { Currency, errorResponses } from '../platform/http/schemas.js';
import { AppError } from '../platform/http/problems.js';
import type { CatalogService } from './service.js';
import { ImportFileError } from './importer.js';
import {
  ImportReportSchema,
  PriceEntrySchema,
  PricesPut,
  ProductCreate,
  ProductPatchSchema,
  ProductQuery,
  ProductSchema,
  ProductSummarySchema,
  VariantViewSchema,
} from './schemas.js';

/**
 * The CSV body as parsed: the bytes (not enumerable) and their SHA-256 (enumerable). The
 * Idempotency-Key hook hashes the body by walking its enumerable fields; walking a 10 MB Buffer
 * byte by byte would stall the process, the digest stands for the content instead.
 */
class CsvBody {
  readonly sha256: string;
  declare readonly bytes: Buffer;
  constructor(bytes: Buffer) {
    this.sha256 = createHash('sha256').update(bytes).digest('hex');
    Object.defineProperty(this, 'bytes', { value: bytes, enumerable: false });
  }
}

const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'product id or code' }) });
/** A 100,000-row CSV is about 10 MB; the import route takes more than the JSON routes' limit. */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

export async function catalogRoutes(app: App, { catalog }: { catalog: CatalogService }): Promise<void> {
  const tags = ['catalog'];

  // CSV arrives as raw bytes: the importer decodes it strictly so a non-UTF-8 file is refused, not garbled.
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => done(null, new CsvBody(body as Buffer)),
  );

  app.get(
    '/v1/products',
    {
      config: { auth: { scope: 'catalog:read', customer: true } },
      schema: {
        tags,
        summary: 'List products',
        querystring: Type.Object({
          ...PageQuery,
          category: Type.Optional(Type.String({ maxLength: 300, description: 'this category and those below it' })),
          q: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description:
                'text search: every word starts a word of the name or brand, the code, a SKU or a GTIN (case and accents ignored)',
            }),
          ),
        }),
        response: { 200: Page(ProductSummarySchema), ...errorResponses(400) },
      },
    },
    async (req) => catalog.listProducts(req.query),
  );

  app.post(
    '/v1/products',
    {
      config: { auth: { scope: 'catalog:write' } },
      schema: {
        tags,
        summary: 'Create a product with its variants and prices',
        body: ProductCreate,
        response: { 201: ProductSchema, ...errorResponses(400, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await catalog.createProduct(req.body)),
  );

  app.get(
    '/v1/products/:id',
    {
      config: { auth: { scope: 'catalog:read', customer: true } },
      schema: {
        tags,
        summary: 'Get a product (by id or code) with variants and their prices',
        description:
          "Each variant's `price` is the effective price in `currency` (default: the channel's, else EUR) for the caller's channel (API keys and customers: their own; staff: `channel`); `prices` is the SKU's whole price book.",
        params: IdParam,
        querystring: ProductQuery,
        response: { 200: ProductSchema, ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const channel = actingChannelIfAny(req.principal, req.query.channel);
      // Already serialised (and cached): sent as is, with the schema above documenting its shape.
      const json = await catalog.productJson(req.params.id, { currency: req.query.currency, channel });
      // The type provider expects the object; a JSON string with a JSON content type is sent unchanged.
      return reply.type('application/json; charset=utf-8').send(json as unknown as Parameters<typeof reply.send>[0]);
    },
  );

  app.patch(
    '/v1/products/:id',
    {
      config: { auth: { scope: 'catalog:write' } },
      schema: {
        tags,
        summary: 'Change a product; add or change variants and their prices',
        params: IdParam,
        body: ProductPatchSchema,
        response: { 200: ProductSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (req) => catalog.updateProduct(req.params.id, req.body),
  );

  app.put(
    '/v1/prices',
    {
      config: { auth: { scope: 'catalog:write' } },
      schema: {
        tags,
        summary: 'Set price-book entries',
        description:
          'Each entry replaces the entry of its SKU, currency and channel (channel_id null = the default). All entries are stored or none.',
        body: PricesPut,
        response: { 200: Type.Object({ items: Type.Array(PriceEntrySchema) }), ...errorResponses(400) },
      },
    },
    async (req) => ({ items: await catalog.setPrices(req.body.prices) }),
  );

  app.delete(
    '/v1/prices/:sku/:currency',
    {
      config: { auth: { scope: 'catalog:write' } },
      schema: {
        tags,
        summary: 'Remove a price-book entry',
        description:
          "Without channel_id the default entry goes; with it, that channel's own entry (the default applies to it again).",
        params: Type.Object({ sku: Type.String({ minLength: 1, maxLength: 64 }), currency: Currency }),
        querystring: Type.Object({ channel_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      await catalog.removePrice(req.params.sku, req.params.currency, req.query.channel_id ?? null);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/variants/:sku',
    {
      config: { auth: { scope: 'catalog:read', customer: true } },
      schema: {
        tags,
        summary: 'Get a variant (SKU) with its product facts and price book',
        params: Type.Object({ sku: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: VariantViewSchema, ...errorResponses(404) },
      },
    },
    async (req) => catalog.getVariant(req.params.sku),
  );

  app.post(
    '/v1/imports/products',
    {
      config: { auth: { scope: 'catalog:write' } },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import products from CSV (Content-Type: text/csv)',
        description:
          'Columns: product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost (docs/catalog-import.md). Each row is stored whole or not at all; the report lists every refused row by line and field. A file with a wrong header, bad quoting or not in UTF-8 is refused whole (400).',
        response: { 200: ImportReportSchema, ...errorResponses(400, 413, 415) },
      },
    },
    async (req) => {
      if (!(req.body instanceof CsvBody))
        throw new AppError('unsupported_media_type', 'send the CSV file as the body with Content-Type: text/csv');
      try {
        return await catalog.importCsv(req.body.bytes);
      } catch (err) {
        if (err instanceof ImportFileError) {
          throw new AppError('validation_failed', `the file cannot be imported: ${err.message}`, {
            errors: err.errors.map((e) => ({ field: `line ${e.line}: ${e.field}`, message: e.message })),
            lines: err.errors,
          });
        }
        throw err;
      }
    },
  );
}
