/**
 * AliExpress as a marketplace connector (../types.ts), through the Open Platform's seller ("solution") APIs:
 *
 *  publishOffers  a product not yet on AliExpress → aliexpress.solution.product.post (one product with one SKU
 *                 per variant, sku_code = our SKU); one already there (its product id known) → batch price and
 *                 inventory updates;
 *  pushStock      aliexpress.solution.batch.product.inventory.update (+ .price.update when a price changed),
 *                 in batches of the documented maximum (20 products, 200 SKUs each); synchronous, so the
 *                 receipt is `done` at once;
 *  listOrders     aliexpress.solution.order.get over a modified-time window, page by page (+ the receipt
 *                 address of the orders we must ship, aliexpress.solution.order.receiptinfo.get);
 *  listChanges    the same list, keeping the orders AliExpress closed before shipping (cancellations);
 *  confirmShipment aliexpress.solution.order.fulfill with the logistics service and tracking number;
 *  cancelOrder    not offered by the seller APIs: refused with a clear message (cancel in Seller Center).
 *
 * Stateless: it never touches the database. The product id of a published SKU travels back to the service in
 * OfferResult.external_id and comes in again on offers and stock updates (`external_id`).
 */
import { resolveDeps } from '../http.js';
import {
  MalformedResponseError,
  MarketplaceError,
  MarketplaceRejectedError,
  type ChangePage,
  type ConnectorConfig,
  type ConnectorDeps,
  type MarketplaceConnector,
  type MarketplaceOrder,
  type OfferInput,
  type OfferResult,
  type OrderPage,
  type OrderQuery,
  type PushReceipt,
  type ShipmentConfirmation,
  type StockUpdate,
} from '../types.js';
import { AliExpressClient } from './client.js';
import { buildProductPost, parseOrderPage, priceBatches } from './payloads.js';
import {
  MAX_ORDER_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  inventoryBatches,
  mapReceipt,
  nextCursor,
  shippedWith,
  toPacific,
  type SkuFigure,
} from './rules.js';

/** The default gateway (Singapore, serves Europe); `base_url` overrides it. */
export const DEFAULT_BASE_URL = 'https://api-sg.aliexpress.com/sync';

export class AliExpressConnector implements MarketplaceConnector {
  readonly provider = 'aliexpress';
  private readonly client: AliExpressClient;
  private readonly now: () => Date;
  private pushes = 0;

  constructor(
    private readonly config: ConnectorConfig,
    deps: ConnectorDeps = {},
  ) {
    const need = (k: string): string => {
      const v = config.credentials[k];
      if (!v) throw new MarketplaceRejectedError(`aliexpress: credential ${k} is missing`);
      return v;
    };
    const resolved = resolveDeps(deps);
    this.now = resolved.now;
    this.client = new AliExpressClient(
      config.base_url || DEFAULT_BASE_URL,
      { app_key: need('app_key'), app_secret: need('app_secret'), access_token: need('access_token') },
      resolved,
    );
  }

  private setting(key: string): string | null {
    const v = this.config.settings[key];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  }

  // ---------- offers ----------

  async publishOffers(offers: OfferInput[]): Promise<OfferResult[]> {
    const results: OfferResult[] = [];
    const known = offers.filter((o) => o.external_id);
    if (known.length > 0) results.push(...(await this.updateListings(known)));
    const groups = new Map<string, OfferInput[]>();
    for (const o of offers.filter((x) => !x.external_id)) {
      const key = o.group ?? o.attributes.product_id ?? o.sku;
      groups.set(key, [...(groups.get(key) ?? []), o]);
    }
    for (const group of groups.values()) results.push(...(await this.postProduct(group)));
    return results;
  }

  private async postProduct(group: OfferInput[]): Promise<OfferResult[]> {
    const built = buildProductPost(group, this.config.settings);
    if (!built.ok) return group.map((o) => ({ sku: o.sku, ok: false, message: built.reason }));
    const res = await this.client.call(
      'aliexpress.solution.product.post',
      { post_product_request: JSON.stringify(built.value) },
      { retryOnTimeout: false }, // a repeated post would list the product twice
    );
    const result = res.result as Record<string, unknown> | undefined;
    const productId = result?.product_id;
    if (result?.success === true && (typeof productId === 'number' || typeof productId === 'string')) {
      return group.map((o) => ({ sku: o.sku, ok: true, external_id: String(productId) }));
    }
    if (!result || typeof result.success !== 'boolean') {
      throw new MalformedResponseError('aliexpress.solution.product.post: result.success missing');
    }
    const message = String(result.error_message ?? result.error_code ?? 'refused');
    return group.map((o) => ({ sku: o.sku, ok: false, message }));
  }

  /** Listings AliExpress already has: their price and inventory are set with the batch APIs. */
  private async updateListings(offers: OfferInput[]): Promise<OfferResult[]> {
    const receipt = await this.pushStock(
      offers.map((o) => ({ sku: o.sku, quantity: o.quantity, price: o.price, external_id: o.external_id })),
    );
    const failed = new Map(receipt.failed.map((f) => [f.sku, f.message]));
    return offers.map((o) =>
      failed.has(o.sku)
        ? { sku: o.sku, ok: false, message: failed.get(o.sku)! }
        : { sku: o.sku, ok: true, external_id: o.external_id ?? null },
    );
  }

  // ---------- stock ----------

  async pushStock(updates: StockUpdate[]): Promise<PushReceipt> {
    const submission = `aliexpress-${this.now().getTime()}-${++this.pushes}`;
    const failed: PushReceipt['failed'] = [];
    const figures: (SkuFigure & { sku: string })[] = [];
    const prices: { product_id: string; sku_code: string; price: NonNullable<StockUpdate['price']> }[] = [];
    for (const u of updates) {
      if (!u.external_id) {
        failed.push({ sku: u.sku, message: 'not published on AliExpress yet (no product id)' });
        continue;
      }
      figures.push({ sku: u.sku, product_id: u.external_id, sku_code: u.sku, inventory: u.quantity });
      if (u.price) prices.push({ product_id: u.external_id, sku_code: u.sku, price: u.price });
    }
    type Batch = { product_id: string; multiple_sku_update_list: { sku_code: string }[] }[];
    const skusOf = (batch: Batch) => batch.flatMap((p) => p.multiple_sku_update_list.map((s) => s.sku_code));
    const calls: { method: string; batch: Batch }[] = [
      ...priceBatches(prices).map((batch) => ({ method: 'aliexpress.solution.batch.product.price.update', batch })),
      ...inventoryBatches(figures).map((batch) => ({
        method: 'aliexpress.solution.batch.product.inventory.update',
        batch,
      })),
    ];
    for (let i = 0; i < calls.length; i++) {
      const { method, batch } = calls[i]!;
      let result: Record<string, unknown> | undefined;
      try {
        const res = await this.client.call(
          method,
          { mutiple_product_update_list: JSON.stringify(batch) },
          { retryOnTimeout: true }, // absolute figures: sending one twice changes nothing
        );
        result = res.result as Record<string, unknown> | undefined;
      } catch (err) {
        // Nothing sent yet: the caller sees the real cause (throttled, auth, …) and retries with the latest figures.
        if (i === 0 || !(err instanceof MarketplaceError) || !err.retryable) throw err;
        // Some batches went through: the rest are reported failed, to be retried with their latest figure.
        for (const rest of calls.slice(i)) {
          for (const sku of skusOf(rest.batch)) failed.push({ sku, message: err.message });
        }
        break;
      }
      if (!result || typeof result.update_success !== 'boolean') {
        throw new MalformedResponseError(`${method}: result.update_success missing`);
      }
      if (!result.update_success) {
        const message = String(result.update_error_message ?? result.update_error_code ?? 'refused');
        for (const sku of skusOf(batch)) failed.push({ sku, message });
      }
    }
    const unique = new Map(failed.map((f) => [f.sku, f]));
    return { submission_id: submission, state: 'done', failed: [...unique.values()] };
  }

  /** AliExpress applies batch updates synchronously: a receipt is final when it is returned. */
  async pushStatus(submissionId: string): Promise<PushReceipt> {
    return { submission_id: submissionId, state: 'done', failed: [] };
  }

  // ---------- orders ----------

  private async orderPage(query: OrderQuery) {
    const cursor = decodeCursor(query.cursor) ?? { page: 1, endMs: this.now().getTime(), total: 0 };
    const res = await this.client.call(
      'aliexpress.solution.order.get',
      {
        param0: JSON.stringify({
          modified_date_start: toPacific(query.since),
          modified_date_end: toPacific(new Date(cursor.endMs)),
          page_size: MAX_ORDER_PAGE_SIZE,
          current_page: cursor.page,
        }),
      },
      { retryOnTimeout: true },
    );
    const page = parseOrderPage(res.result, cursor.page);
    if (!page.ok) throw new MalformedResponseError(`aliexpress.solution.order.get: ${page.reason}`);
    const next = nextCursor(cursor, page.value);
    return { ...page.value, next: next ? encodeCursor(next) : null };
  }

  async listOrders(query: OrderQuery): Promise<OrderPage> {
    const page = await this.orderPage(query);
    const withAddress = this.setting('fetch_addresses') !== 'false';
    const orders: MarketplaceOrder[] = [];
    for (const { order } of page.orders) {
      if (withAddress && order.status === 'unshipped') order.shipping_address = await this.receipt(order.external_id);
      orders.push(order);
    }
    return { orders, next_cursor: page.next };
  }

  private async receipt(orderId: string) {
    const res = await this.client.call(
      'aliexpress.solution.order.receiptinfo.get',
      { param1: JSON.stringify({ order_id: Number(orderId) }) },
      { retryOnTimeout: true },
    );
    return mapReceipt(res.result);
  }

  async listChanges(query: OrderQuery): Promise<ChangePage> {
    const page = await this.orderPage(query);
    return { changes: page.orders.flatMap((o) => (o.cancellation ? [o.cancellation] : [])), next_cursor: page.next };
  }

  async confirmShipment(c: ShipmentConfirmation): Promise<void> {
    const res = await this.client.call(
      'aliexpress.solution.order.fulfill',
      {
        service_name: this.serviceName(c.carrier),
        out_ref: c.external_order_id,
        send_type: c.final === false ? 'part' : 'all',
        logistics_no: c.tracking,
        ...(this.setting('tracking_website') ? { tracking_website: this.setting('tracking_website')! } : {}),
      },
      // Safe to repeat: a confirmation whose first try landed is recognised below by its tracking number.
      { retryOnTimeout: true },
    );
    const result = res.result as Record<string, unknown> | undefined;
    if (!result || typeof result.result_success !== 'boolean') {
      throw new MalformedResponseError('aliexpress.solution.order.fulfill: result.result_success missing');
    }
    if (!result.result_success) {
      // Refused: perhaps because it is already shipped — by an earlier try of this very confirmation whose
      // answer was lost. The order's logistics say which; only a different (or no) shipment is a refusal.
      const info = await this.client.call(
        'aliexpress.solution.order.info.get',
        { param1: JSON.stringify({ order_id: Number(c.external_order_id), ext_info_bit_flag: 0 }) },
        { retryOnTimeout: true },
      );
      if (shippedWith(info.result, c.tracking)) return;
      throw new MarketplaceRejectedError(
        `aliexpress.solution.order.fulfill: ${String(result.result_error_code ?? '')} ${String(result.result_error_desc ?? '')}`.trim(),
      );
    }
  }

  /** Our carrier name → AliExpress's logistics service key (settings.carrier_map, JSON), else upper-cased. */
  private serviceName(carrier: string): string {
    const raw = this.setting('carrier_map');
    if (raw) {
      try {
        const map = JSON.parse(raw) as Record<string, unknown>;
        const hit = map[carrier] ?? map[carrier.toLowerCase()];
        if (typeof hit === 'string' && hit) return hit;
      } catch {
        throw new MarketplaceRejectedError('aliexpress: settings.carrier_map is not JSON');
      }
    }
    return this.setting('default_service_name') ?? carrier.toUpperCase();
  }

  async cancelOrder(externalOrderId: string, _reason: string): Promise<void> {
    throw new MarketplaceRejectedError(
      `aliexpress: the seller API cannot cancel order ${externalOrderId}; cancel it in Seller Center ` +
        '(the buyer is refunded by AliExpress and the cancellation then comes back through listChanges)',
    );
  }
}
