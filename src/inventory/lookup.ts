/**
 * The shop-floor stock lookup (GET /v1/inventory/lookup): find products by name, SKU or GTIN through
 * the catalog's search, then for each size the stock here, in the nearest stores, in the warehouses,
 * and what each channel may promise. Read-only; a handful of reads per product, no transaction.
 */
import type { Executor } from '../platform/db/schema.js';
import { shapeVariantStock, type VariantStockView } from './lookup-rules.js';
import type { InventoryNetworkPort } from './ports.js';
import type { Availability, SkuStock } from './types.js';

/** What the lookup needs from the catalog: its text search and a product with its sizes. */
export interface InventoryLookupCatalogPort {
  listProducts(q: { q?: string | undefined; limit?: number | undefined }): Promise<{ items: { id: string }[] }>;
  getProduct(
    idOrCode: string,
    opts?: { trx?: Executor },
  ): Promise<{
    id: string;
    code: string;
    name: string;
    brand: string;
    active: boolean;
    variants: {
      sku: string;
      gtin: string | null;
      options: { size: string | null; colour: string | null };
      active: boolean;
      price: { amount: number; currency: string } | null;
    }[];
  }>;
}

/** What the lookup needs from the inventory service. */
export interface InventoryLookupStockPort {
  stock(sku: string): Promise<SkuStock>;
  availability(q: { channel: string; skus: string[] }): Promise<Availability[]>;
}

export interface LookupVariant extends VariantStockView {
  sku: string;
  gtin: string | null;
  size: string | null;
  colour: string | null;
  price: { amount: number; currency: string } | null;
}
export interface LookupProduct {
  product_id: string;
  code: string;
  name: string;
  brand: string;
  variants: LookupVariant[];
}

export class StockLookup {
  constructor(
    private readonly catalog: InventoryLookupCatalogPort,
    private readonly inventory: InventoryLookupStockPort,
    private readonly network: InventoryNetworkPort,
  ) {}

  async lookup(q: string, opts: { locationId?: string | null | undefined; limit: number }): Promise<LookupProduct[]> {
    const snap = await this.network.snapshot();
    const here = opts.locationId ? await this.network.requireLocation(opts.locationId) : undefined;
    const found = await this.catalog.listProducts({ q, limit: opts.limit });
    const products = [];
    for (const p of found.items.slice(0, opts.limit)) products.push(await this.catalog.getProduct(p.id));
    const skus = products.flatMap((p) => p.variants.filter((v) => v.active).map((v) => v.sku));
    if (skus.length === 0) return [];
    // One availability query per active channel for all sizes at once (a few channels, not per SKU).
    const channels = snap.channels.filter((c) => c.active);
    const perChannel = await Promise.all(
      channels.map(async (c) => ({ c, items: await this.inventory.availability({ channel: c.id, skus }) })),
    );
    const out: LookupProduct[] = [];
    for (const p of products) {
      const variants: LookupVariant[] = [];
      for (const v of p.variants.filter((x) => x.active)) {
        const stock = await this.inventory.stock(v.sku);
        variants.push({
          sku: v.sku,
          gtin: v.gtin,
          size: v.options.size,
          colour: v.options.colour,
          price: v.price ? { amount: v.price.amount, currency: v.price.currency } : null,
          ...shapeVariantStock({
            here,
            levels: stock.levels,
            locations: snap.locations,
            channels: perChannel.map(({ c, items }) => ({
              channel_id: c.id,
              code: c.code,
              name: c.name,
              type: c.type,
              available: items.find((a) => a.sku === v.sku)?.available ?? 0,
            })),
          }),
        });
      }
      out.push({ product_id: p.id, code: p.code, name: p.name, brand: p.brand, variants });
    }
    return out;
  }
}
