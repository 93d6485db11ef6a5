/**
 * Pure AliExpress rules: its answers → the connector interface's shapes, our offers and stock → its request
 * payloads, its error codes → our closed error set. No I/O, no clock: times and randomness come in as arguments.
 *
 * Shapes follow the Open Platform's seller ("solution") APIs as documented:
 *  - aliexpress.solution.order.get: `param0` = OrderQuery JSON (create/modified date window in US Pacific time
 *    "yyyy-MM-dd HH:mm:ss", page_size, current_page); answer `result` = { success, error_code, error_message,
 *    total_count, total_page, current_page, page_size, target_list: { order_dto: [...] } };
 *  - aliexpress.solution.batch.product.inventory.update / .price.update: `mutiple_product_update_list` (sic) =
 *    [{ product_id, multiple_sku_update_list: [{ sku_code, inventory | price }] }], at most 20 products a call
 *    and 200 SKUs a product;
 *  - errors: `{ error_response: { type, code, msg, sub_code, sub_msg, request_id } }` at HTTP 200.
 */
import { minorUnits } from '../../platform/money.js';
import type {
  MarketplaceAddress,
  MarketplaceChange,
  MarketplaceErrorKind,
  MarketplaceOrder,
  MarketplaceOrderStatus,
  Money,
} from '../types.js';

/** Documented maxima of the batch update APIs. */
export const MAX_PRODUCTS_PER_BATCH = 20;
export const MAX_SKUS_PER_PRODUCT = 200;
/** aliexpress.solution.order.get answers at most this many orders a page. */
export const MAX_ORDER_PAGE_SIZE = 50;

// ---------- time: the order APIs speak US Pacific wall-clock time ----------

const PACIFIC = 'America/Los_Angeles';
const pacificParts = new Intl.DateTimeFormat('en-US', {
  timeZone: PACIFIC,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function wallClock(t: number): { text: string; asUtcMs: number } {
  const p: Record<string, string> = {};
  for (const part of pacificParts.formatToParts(new Date(t))) p[part.type] = part.value;
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  return { text, asUtcMs: Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}Z`) };
}

/** A moment as the order APIs take it: "2026-11-30 04:00:00" (US Pacific, seconds). */
export function toPacific(at: Date): string {
  return wallClock(Math.floor(at.getTime() / 1000) * 1000).text;
}

/**
 * "2026-11-30 04:00:00" (US Pacific) → the moment. The zone's offset is found by asking what wall clock a first
 * guess shows, then correcting once (twice around a DST change); null for text that is not such a time.
 */
export function fromPacific(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const naive = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  if (Number.isNaN(naive)) return null;
  let guess = naive;
  for (let i = 0; i < 3; i++) {
    const shown = wallClock(guess).asUtcMs;
    if (shown === naive) return new Date(guess);
    guess += naive - shown;
  }
  return new Date(guess); // a wall time skipped by the spring-forward hour: the nearest real moment
}

// ---------- money ----------

/** `{ amount: "19.99", currency_code: "EUR" }` → `{ amount: 1999, currency: 'EUR' }`, exactly (no floats); null if unreadable. */
export function parseMoney(value: unknown): Money | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const currency = typeof v.currency_code === 'string' ? v.currency_code.toUpperCase() : null;
  const raw = typeof v.amount === 'number' ? String(v.amount) : v.amount;
  if (!currency || !/^[A-Z]{3}$/.test(currency) || typeof raw !== 'string') return null;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(raw.trim());
  if (!m) return null;
  let digits: number;
  try {
    digits = minorUnits(currency);
  } catch {
    return null; // not an ISO currency Intl knows
  }
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > digits) return null; // more precision than the currency has: not a price we can take as is
  const amount = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(amount) ? { amount, currency } : null;
}

/** `{ amount: 1999, currency: 'EUR' }` → "19.99", the decimal string the product APIs take. */
export function formatPrice(money: Money): string {
  const digits = minorUnits(money.currency);
  if (digits === 0) return String(money.amount);
  const s = String(Math.abs(money.amount)).padStart(digits + 1, '0');
  return `${money.amount < 0 ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

// ---------- orders ----------

/**
 * AliExpress order_status → ours. FINISH covers both a delivered order and one closed before it shipped
 * (buyer cancelled, payment timed out, risk control refused): `closedUnshipped` tells them apart.
 */
export function orderStatus(raw: string, closedUnshipped: boolean): MarketplaceOrderStatus | null {
  switch (raw) {
    case 'PLACE_ORDER_SUCCESS': // placed, not paid
    case 'RISK_CONTROL': // payment under the platform's risk check
    case 'WAIT_SELLER_EXAMINE_MONEY': // paid, being verified
      return 'pending';
    case 'WAIT_SELLER_SEND_GOODS':
    case 'IN_CANCEL': // the buyer asked to cancel; it stays ours to ship until the platform closes it
      return 'unshipped';
    case 'SELLER_PART_SEND_GOODS':
      return 'partially_shipped';
    case 'WAIT_BUYER_ACCEPT_GOODS':
    case 'FUND_PROCESSING':
    case 'IN_ISSUE':
    case 'IN_FROZEN':
      return 'shipped';
    case 'FINISH':
      return closedUnshipped ? 'cancelled' : 'shipped';
    default:
      return null;
  }
}

/** A FINISH order that never shipped: no shipping time and logistics never started, or an end reason that says so. */
function closedBeforeShipping(dto: Record<string, unknown>): boolean {
  const reason = typeof dto.end_reason === 'string' ? dto.end_reason : '';
  if (/cancel|timeout|close|reject|risk/i.test(reason)) return true;
  const sent = typeof dto.gmt_send_goods_time === 'string' && dto.gmt_send_goods_time.trim() !== '';
  const logistics = typeof dto.logistics_status === 'string' ? dto.logistics_status : '';
  return !sent && (logistics === 'WAIT_SELLER_SEND_GOODS' || logistics === 'NO_LOGISTICS');
}

/** `target_list: { order_dto: [...] }` (or a bare array, as some gateways simplify it) → the list, or null. */
export function listOf(value: unknown, element: string): unknown[] | null {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') {
    const inner = (value as Record<string, unknown>)[element];
    if (inner === undefined || inner === null) return [];
    if (Array.isArray(inner)) return inner;
  }
  return null;
}

const idText = (v: unknown): string | null =>
  (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) || (typeof v === 'string' && /^\d{1,20}$/.test(v))
    ? String(v)
    : null;

export type Mapped<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * One `order_dto` → the interface's order. Everything the import relies on is checked (ids, status, times,
 * lines with SKU code, positive integer counts); anything missing makes the whole order malformed, so a half-read
 * order is never imported. The buyer's e-mail is not given by AliExpress (it masks buyers): null.
 */
export function mapOrder(dto: unknown, address: MarketplaceAddress | null = null): Mapped<MarketplaceOrder> {
  if (!dto || typeof dto !== 'object') return { ok: false, reason: 'order is not an object' };
  const d = dto as Record<string, unknown>;
  const id = idText(d.order_id);
  if (!id) return { ok: false, reason: 'order_id missing' };
  const raw = typeof d.order_status === 'string' ? d.order_status : '';
  const status = orderStatus(raw, closedBeforeShipping(d));
  if (!status) return { ok: false, reason: `order ${id}: unknown order_status ${JSON.stringify(d.order_status)}` };
  const placed = fromPacific(d.gmt_create);
  if (!placed) return { ok: false, reason: `order ${id}: gmt_create unreadable` };
  const updated = fromPacific(d.gmt_update) ?? placed;
  const products = listOf(d.product_list, 'order_product_dto');
  if (!products || products.length === 0) return { ok: false, reason: `order ${id}: product_list missing` };
  const lines: MarketplaceOrder['lines'] = [];
  let currency: string | null = parseMoney(d.pay_amount)?.currency ?? null;
  for (const p of products) {
    if (!p || typeof p !== 'object') return { ok: false, reason: `order ${id}: a product line is not an object` };
    const l = p as Record<string, unknown>;
    const lineId = idText(l.child_id);
    const sku = typeof l.sku_code === 'string' ? l.sku_code.trim() : '';
    const qty = l.product_count;
    if (!lineId || !sku || typeof qty !== 'number' || !Number.isSafeInteger(qty) || qty <= 0) {
      return { ok: false, reason: `order ${id}: a line lacks child_id, sku_code or a positive product_count` };
    }
    const unit = parseMoney(l.product_unit_price);
    currency ??= unit?.currency ?? null;
    lines.push({ external_line_id: lineId, sku, quantity: qty, unit_price: unit });
  }
  if (!currency) return { ok: false, reason: `order ${id}: no currency in pay_amount or the line prices` };
  const name = typeof d.buyer_signer_fullname === 'string' && d.buyer_signer_fullname ? d.buyer_signer_fullname : null;
  return {
    ok: true,
    value: {
      external_id: id,
      status,
      placed_at: placed,
      updated_at: updated,
      currency,
      buyer: { email: null, name },
      shipping_address: address,
      lines,
      raw_status: raw,
    },
  };
}

/** aliexpress.solution.order.receiptinfo.get's `result` → an address; null when it carries none. */
export function mapReceipt(result: unknown): MarketplaceAddress | null {
  if (!result || typeof result !== 'object') return null;
  const r = result as Record<string, unknown>;
  const s = (k: string): string | null =>
    typeof r[k] === 'string' && (r[k] as string).trim() ? (r[k] as string) : null;
  const country = s('country');
  if (!s('address') && !s('city') && !country) return null;
  const phone = s('mobile_no') ?? s('phone_number');
  return {
    name: s('contact_person'),
    line1: s('address'),
    line2: s('address2'),
    city: s('city'),
    postal_code: s('zip'),
    region: s('province'),
    country: country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null,
    phone: phone ? `${s('phone_country') ? `+${s('phone_country')!.replace(/^\+/, '')} ` : ''}${phone}` : null,
  };
}

/** A cancelled order in the list → the change the service applies (whole order). */
export function cancellationOf(order: MarketplaceOrder, endReason: string | null): MarketplaceChange | null {
  if (order.status !== 'cancelled') return null;
  return {
    kind: 'cancellation',
    external_order_id: order.external_id,
    lines: [],
    reason: endReason,
    at: order.updated_at,
  };
}

/**
 * Whether aliexpress.solution.order.info.get's `result` shows the order already shipped with this tracking
 * number (`data.logistic_info_list.global_aeop_tp_logistic_info_dto[].logistics_no`): a confirmation repeated
 * after a lost answer is then recognised as done rather than refused.
 */
export function shippedWith(result: unknown, tracking: string): boolean {
  if (!result || typeof result !== 'object') return false;
  const data = (result as Record<string, unknown>).data;
  if (!data || typeof data !== 'object') return false;
  const infos = listOf((data as Record<string, unknown>).logistic_info_list, 'global_aeop_tp_logistic_info_dto') ?? [];
  return infos.some(
    (i) => !!i && typeof i === 'object' && String((i as Record<string, unknown>).logistics_no ?? '') === tracking,
  );
}

// ---------- paging cursor: page number within a window whose end is fixed at the first page ----------

/**
 * AliExpress pages by number, not by token, so a page can shift under us: an order on page 1 that changes
 * while we read leaves the window (its new modified time is past the window's end), and every later order
 * moves up one place — the first order of page 2 would then never be read. The window's end is fixed when
 * paging starts and the count seen on page 1 travels in the cursor; a later page that reports another count
 * means the window shifted, and paging starts again from page 1 (imports are idempotent, repeats are harmless).
 * The orders that left the window are newer than its end and come with the next window.
 */
export interface OrderCursor {
  page: number;
  /** The window's end (epoch ms), fixed when paging started so pages do not slide while we read them. */
  endMs: number;
  /** total_count the first page reported. */
  total: number;
}

export function encodeCursor(c: OrderCursor): string {
  return `p${c.page}:${c.endMs}:${c.total}`;
}

export function decodeCursor(text: string | null | undefined): OrderCursor | null {
  if (!text) return null;
  const m = /^p(\d{1,6}):(\d{1,16}):(\d{1,9})$/.exec(text);
  return m ? { page: Number(m[1]), endMs: Number(m[2]), total: Number(m[3]) } : null;
}

/** Where paging goes after reading `page` of a window whose first page counted `total`, now counting `seen`. */
export function nextCursor(c: OrderCursor, seen: { totalPages: number; totalCount: number }): OrderCursor | null {
  if (c.page > 1 && seen.totalCount !== c.total) return { page: 1, endMs: c.endMs, total: seen.totalCount };
  const total = c.page === 1 ? seen.totalCount : c.total;
  return c.page < seen.totalPages ? { page: c.page + 1, endMs: c.endMs, total } : null;
}

// ---------- stock and prices ----------

/** Where our SKU lives on AliExpress: its product and the SKU code the seller gave it (our SKU). */
export interface ListingRef {
  product_id: string;
  sku_code: string;
}

export interface SkuFigure extends ListingRef {
  inventory: number;
}

/**
 * The figure AliExpress receives for a SKU: exactly what the channel may promise, floored to a non-negative
 * integer — never rounded up, never more. A fractional or negative input (a bug upstream) cannot oversell.
 */
export function inventoryToSend(promise: number): number {
  if (!Number.isFinite(promise) || promise <= 0) return 0;
  return Math.floor(promise);
}

/**
 * Batches for aliexpress.solution.batch.product.inventory.update: at most 20 products a call and 200 SKUs a
 * product (a product with more SKUs continues in the next batch). The LAST figure given for a SKU wins, so a
 * batch never carries two figures for one SKU.
 */
export function inventoryBatches(
  figures: readonly SkuFigure[],
  maxProducts = MAX_PRODUCTS_PER_BATCH,
  maxSkus = MAX_SKUS_PER_PRODUCT,
): { product_id: string; multiple_sku_update_list: { sku_code: string; inventory: string }[] }[][] {
  const latest = new Map<string, SkuFigure>();
  for (const f of figures) latest.set(`${f.product_id}\u0000${f.sku_code}`, f);
  const byProduct = new Map<string, SkuFigure[]>();
  for (const f of latest.values()) {
    const list = byProduct.get(f.product_id) ?? [];
    list.push(f);
    byProduct.set(f.product_id, list);
  }
  const entries: { product_id: string; multiple_sku_update_list: { sku_code: string; inventory: string }[] }[] = [];
  for (const [productId, skus] of byProduct) {
    for (let i = 0; i < skus.length; i += maxSkus) {
      entries.push({
        product_id: productId,
        multiple_sku_update_list: skus
          .slice(i, i + maxSkus)
          .map((s) => ({ sku_code: s.sku_code, inventory: String(inventoryToSend(s.inventory)) })),
      });
    }
  }
  // A product split over several entries must not appear twice in one call: fill batches greedily, opening a
  // new batch when the product is already in the current one or the batch is full.
  const batches: (typeof entries)[] = [];
  let current: typeof entries = [];
  for (const e of entries) {
    if (current.length >= maxProducts || current.some((c) => c.product_id === e.product_id)) {
      batches.push(current);
      current = [];
    }
    current.push(e);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

// ---------- errors ----------

/** Throttling codes of the gateway (app-, api- and user-level call limits; TOP's numeric 7 "App Call Limited"). */
const THROTTLE_CODES = new Set(['apicalllimit', 'appcalllimit', 'usercalllimit', 'accesscontrol.limited', '7']);
/** Codes that refuse the credentials or the signature: retrying will not help. */
const AUTH_CODES = /signature|appkey|app_key|token|session|permission|unauthori|forbidden|invalidtimestamp|timestamp/i;

export interface IopError {
  code: string;
  sub_code: string | null;
  message: string;
}

/** The gateway's error → our error kind, and the wait it asked for ("This ban will last for 3 more seconds"). */
export function classifyError(e: IopError): { kind: MarketplaceErrorKind; retryAfterMs: number | null } {
  const code = e.code.toLowerCase();
  const sub = (e.sub_code ?? '').toLowerCase();
  const ban = /ban will last for (\d+) more second/i.exec(e.message);
  const retryAfterMs = ban ? Number(ban[1]) * 1000 : null;
  if (THROTTLE_CODES.has(code) || /call-?limit|limited-by|frequency|flow-?control/.test(sub)) {
    return { kind: 'throttled', retryAfterMs };
  }
  if (AUTH_CODES.test(code) || AUTH_CODES.test(sub)) return { kind: 'auth', retryAfterMs: null };
  if (/^isp\.|service.?unavailable|system.?error|^15$|^isp/i.test(sub || code) || code === 'systemerror') {
    return { kind: 'unavailable', retryAfterMs: null };
  }
  return { kind: 'rejected', retryAfterMs: null };
}
