/**
 * A local stand-in for the AliExpress Open Platform gateway (`/sync`), speaking its documented request and
 * answer formats, for the connector's tests (this machine has no internet).
 *
 * It refuses what the real gateway refuses: an unknown app key, a wrong or missing signature (HMAC-SHA256 over
 * the ASCII-sorted parameters, upper-case hex — computed here on its own, not with the connector's code), a
 * timestamp more than 7200 s from its clock, a wrong access token, more calls than its rate limit allows
 * (`ApiCallLimit … This ban will last for N more seconds`, at HTTP 200 as the gateway does), batches over 20
 * products or 200 SKUs a product, order pages over 50. It pages order lists by a modified-time window, and it
 * can inject faults into the next calls: throttling (coded, or a plain HTTP 429), an answer slower than the
 * client's timeout, a body that is not JSON, a JSON body without the documented fields, and a 503.
 *
 * Its clock is injected (`now`), so a test that advances a ManualClock moves the rate window and timestamps.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeFault = 'throttle' | 'throttle_http' | 'timeout' | 'malformed' | 'bad_shape' | 'unavailable';

export interface FakeSku {
  inventory: number;
  price: string;
}
export interface FakeProduct {
  category: number;
  subject: string;
  skus: Map<string, FakeSku>;
}

export interface FakeCall {
  method: string;
  params: Record<string, string>;
  /** What the fake answered: 'ok', an error code, or the injected fault. */
  outcome: string;
}

export interface AliExpressFakeOptions {
  now?: () => Date;
  /** At most `calls` accepted calls per `windowMs` (the app's flow control); null: no limit. */
  rateLimit?: { calls: number; windowMs: number } | null;
  /** How long an injected 'timeout' holds the answer back (real ms). */
  slowMs?: number;
}

const PAGE_MAX = 50;
const BATCH_PRODUCTS_MAX = 20;
const BATCH_SKUS_MAX = 200;

export class AliExpressFake {
  readonly appKey = '34567890';
  readonly appSecret = 'fake-app-secret-0123456789abcdef';
  /** The seller's current access token; a token refresh replaces it (the old one stops working). */
  accessToken = '50000a01b2c3d4e5f6fake-seller-token';
  /** OAuth codes the seller's authorisation would hand to the callback (single use). */
  readonly authCodes = new Set(['3_34567890_fakeAuthCode']);
  refreshToken = '50001a01b2c3d4e5f6fake-refresh-token';
  private tokenGeneration = 0;
  /** Orders by id (the `order_dto` as the list shows it) and their receipt addresses. */
  readonly orders = new Map<string, Record<string, unknown>>();
  readonly receipts = new Map<string, Record<string, unknown>>();
  readonly products = new Map<string, FakeProduct>();
  readonly fulfilments: { out_ref: string; service_name: string; logistics_no: string; send_type: string }[] = [];
  readonly calls: FakeCall[] = [];
  /** Every inventory figure applied, in order: what the marketplace showed buyers, and when. */
  readonly inventoryLog: { at: number; product_id: string; sku_code: string; inventory: number }[] = [];
  /** The largest batch seen (products in one call, SKUs in one product). */
  readonly largest = { products: 0, skus: 0 };

  private server: http.Server | null = null;
  private readonly faults: FakeFault[] = [];
  private accepted: number[] = [];
  private nextProductId = 1005006000000001;
  private readonly now: () => Date;
  private readonly slowMs: number;
  rateLimit: { calls: number; windowMs: number } | null;
  url = '';

  constructor(opts: AliExpressFakeOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.rateLimit = opts.rateLimit === undefined ? { calls: 10, windowMs: 1000 } : opts.rateLimit;
    this.slowMs = opts.slowMs ?? 600;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/sync`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` calls meet this fault (queued in order). */
  inject(fault: FakeFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  /** Adds a product directly (as if listed earlier in Seller Center). */
  addProduct(productId: string, skus: Record<string, FakeSku>, subject = 'product'): void {
    this.products.set(productId, { category: 1, subject, skus: new Map(Object.entries(skus)) });
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---------- the gateway ----------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const form = new URLSearchParams(req.method === 'POST' ? Buffer.concat(chunks).toString('utf8') : url.search);
    const params: Record<string, string> = {};
    for (const [k, v] of form) params[k] = v;
    const method = params.method ?? '';
    const call: FakeCall = { method, params, outcome: 'ok' };
    this.calls.push(call);
    const send = (status: number, body: string) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(body);
    };

    const fault = this.faults.shift();
    if (fault) {
      call.outcome = fault;
      if (fault === 'throttle') return send(200, this.error('ApiCallLimit', 'This ban will last for 1 more seconds'));
      if (fault === 'throttle_http') {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' });
        return void res.end('Too Many Requests');
      }
      if (fault === 'unavailable') return send(503, '<html>Service Unavailable</html>');
      if (fault === 'malformed') return send(200, '{"aliexpress_solution_order_get_response": {"result": ');
      if (fault === 'timeout') {
        await new Promise((r) => setTimeout(r, this.slowMs));
        // answer as if nothing happened, too late: the client has given up by now
      }
      if (fault === 'bad_shape') return send(200, JSON.stringify({ [`${method.replace(/\./g, '_')}_response`]: {} }));
    }

    const restPath = url.pathname.startsWith('/rest/') ? url.pathname.slice('/rest'.length) : null;
    const refused = this.authenticate(params, url.pathname, restPath === null);
    if (refused) {
      call.outcome = refused.code;
      // /rest answers are flat ({ code, type, message }); /sync ones wrap the error
      return restPath
        ? send(200, JSON.stringify({ code: refused.code, type: 'ISV', message: refused.msg, request_id: 'fake' }))
        : send(200, this.error(refused.code, refused.msg));
    }
    if (restPath) {
      call.method = restPath;
      const answer = this.token(restPath, params);
      call.outcome = String(answer.code);
      return send(200, JSON.stringify({ ...answer, request_id: 'fake' }));
    }
    const throttled = this.throttle();
    if (throttled !== null) {
      call.outcome = 'ApiCallLimit';
      return send(200, this.error('ApiCallLimit', `This ban will last for ${throttled} more seconds`));
    }
    const handler = this.handlers[method];
    if (!handler) {
      call.outcome = 'InvalidApiPath';
      return send(200, this.error('InvalidApiPath', `The specified API ${method} does not exist`));
    }
    let result: unknown;
    try {
      result = handler(params);
    } catch (err) {
      call.outcome = 'InvalidParameter';
      return send(200, this.error('InvalidParameter', (err as Error).message, 'isv.invalid-parameter'));
    }
    send(200, JSON.stringify({ [`${method.replace(/\./g, '_')}_response`]: { result, request_id: 'fake' } }));
  }

  private error(code: string, msg: string, sub_code?: string): string {
    const type = code === 'ApiCallLimit' || code.startsWith('Invalid') ? 'ISV' : 'SYSTEM';
    return JSON.stringify({
      error_response: { type, code, msg, ...(sub_code ? { sub_code } : {}), request_id: 'fake' },
    });
  }

  /** The gateway's checks, in its order: app key, timestamp, signature, then the seller's token. */
  private authenticate(
    p: Record<string, string>,
    pathname: string,
    needsToken: boolean,
  ): { code: string; msg: string } | null {
    if (p.app_key !== this.appKey) return { code: 'InvalidAppKey', msg: 'The specified app key is invalid' };
    const ts = /^\d+$/.test(p.timestamp ?? '') ? Number(p.timestamp) : Number.NaN;
    if (!Number.isFinite(ts) || Math.abs(this.now().getTime() - ts) > 7_200_000) {
      return { code: 'InvalidTimestamp', msg: 'The timestamp is out of the allowed range' };
    }
    if (p.sign_method !== 'sha256' || !p.sign) {
      return { code: 'IncompleteSignature', msg: 'The request signature does not conform to platform standards' };
    }
    const apiPath = pathname.startsWith('/rest/') ? pathname.slice('/rest'.length) : '';
    const base =
      apiPath +
      Object.keys(p)
        .filter((k) => k !== 'sign')
        .sort()
        .map((k) => k + p[k])
        .join('');
    const expected = Buffer.from(createHmac('sha256', this.appSecret).update(base, 'utf8').digest('hex').toUpperCase());
    const given = Buffer.from(p.sign);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return { code: 'IncompleteSignature', msg: 'The request signature does not conform to platform standards' };
    }
    if (needsToken && p.access_token !== this.accessToken) {
      return { code: 'IllegalAccessToken', msg: 'The specified access token is invalid or expired' };
    }
    return null;
  }

  /** /rest/auth/token/create (code → tokens) and /rest/auth/token/refresh (refresh token → new tokens). */
  private token(path: string, p: Record<string, string>): Record<string, unknown> {
    if (path === '/auth/token/create') {
      if (!p.code || !this.authCodes.delete(p.code))
        return { code: 'InvalidCode', type: 'ISV', message: 'invalid code' };
    } else if (path === '/auth/token/refresh') {
      if (p.refresh_token !== this.refreshToken) {
        return { code: 'IllegalRefreshToken', type: 'ISV', message: 'the refresh token is invalid or expired' };
      }
      this.tokenGeneration++;
      this.accessToken = `50000fake-seller-token-${this.tokenGeneration}`;
      this.refreshToken = `50001fake-refresh-token-${this.tokenGeneration}`;
    } else {
      return { code: 'InvalidApiPath', type: 'ISV', message: `no API ${path}` };
    }
    const now = this.now().getTime();
    return {
      code: '0',
      access_token: this.accessToken,
      refresh_token: this.refreshToken,
      expire_time: now + 30 * 86_400_000,
      refresh_token_valid_time: now + 60 * 86_400_000,
      expires_in: 30 * 86_400,
      seller_id: 2000000001,
      account: 'seller@example.com',
    };
  }

  /** Null when the call is within the limit; otherwise the seconds until the window frees a slot. */
  private throttle(): number | null {
    if (!this.rateLimit) return null;
    const t = this.now().getTime();
    this.accepted = this.accepted.filter((at) => t - at < this.rateLimit!.windowMs);
    if (this.accepted.length >= this.rateLimit.calls) {
      return Math.max(1, Math.ceil((this.accepted[0]! + this.rateLimit.windowMs - t) / 1000));
    }
    this.accepted.push(t);
    return null;
  }

  private readonly handlers: Record<string, (p: Record<string, string>) => unknown> = {
    'aliexpress.solution.order.get': (p) => {
      const q = json(p.param0, 'param0') as Record<string, unknown>;
      const size = Number(q.page_size ?? 20);
      const page = Number(q.current_page ?? 1);
      if (!Number.isInteger(size) || size < 1 || size > PAGE_MAX) throw new Error(`page_size must be 1..${PAGE_MAX}`);
      if (!Number.isInteger(page) || page < 1) throw new Error('current_page must be ≥ 1');
      const inWindow = (v: unknown, from: unknown, to: unknown) =>
        (typeof from !== 'string' || String(v) >= from) && (typeof to !== 'string' || String(v) <= to);
      const all = [...this.orders.values()]
        .filter((o) => inWindow(o.gmt_update, q.modified_date_start, q.modified_date_end))
        .filter((o) => inWindow(o.gmt_create, q.create_date_start, q.create_date_end))
        .sort((a, b) => String(b.gmt_create).localeCompare(String(a.gmt_create)));
      const slice = all.slice((page - 1) * size, page * size);
      return {
        success: true,
        total_count: all.length,
        total_page: Math.ceil(all.length / size),
        current_page: page,
        page_size: size,
        target_list: { order_dto: slice },
      };
    },
    'aliexpress.solution.order.receiptinfo.get': (p) => {
      const q = json(p.param1, 'param1') as Record<string, unknown>;
      const receipt = this.receipts.get(String(q.order_id));
      if (!receipt) throw new Error(`order ${String(q.order_id)} not found`);
      return receipt;
    },
    'aliexpress.solution.product.post': (p) => {
      const r = json(p.post_product_request, 'post_product_request') as Record<string, unknown>;
      const skus = r.sku_info_list as Record<string, unknown>[] | undefined;
      if (typeof r.aliexpress_category_id !== 'number' || !Array.isArray(skus) || skus.length === 0) {
        return { success: false, error_code: 'PARAM_INVALID', error_message: 'category and sku_info_list required' };
      }
      const product: FakeProduct = {
        category: r.aliexpress_category_id,
        subject: String((r.multi_language_subject_list as { subject: string }[] | undefined)?.[0]?.subject ?? ''),
        skus: new Map(),
      };
      for (const s of skus) {
        if (typeof s.sku_code !== 'string' || !/^\d+(\.\d{1,2})?$/.test(String(s.price))) {
          return { success: false, error_code: 'SKU_INVALID', error_message: 'sku_code and price required' };
        }
        product.skus.set(s.sku_code, { inventory: Number(s.inventory ?? 0), price: String(s.price) });
      }
      const id = String(this.nextProductId++);
      this.products.set(id, product);
      for (const [code, s] of product.skus) this.logInventory(id, code, s.inventory);
      return { success: true, product_id: Number(id) };
    },
    'aliexpress.solution.batch.product.inventory.update': (p) => this.batch(p, 'inventory'),
    'aliexpress.solution.batch.product.price.update': (p) => this.batch(p, 'price'),
    'aliexpress.solution.order.info.get': (p) => {
      const q = json(p.param1, 'param1') as Record<string, unknown>;
      const order = this.orders.get(String(q.order_id));
      if (!order) return { error_code: 'ORDER_NOT_FOUND', error_msg: 'no order' };
      const shipped = this.fulfilments.filter((f) => f.out_ref === String(q.order_id));
      return {
        data: {
          id: order.order_id,
          order_status: order.order_status,
          logistic_info_list: {
            global_aeop_tp_logistic_info_dto: shipped.map((f) => ({
              logistics_no: f.logistics_no,
              logistics_service_name: f.service_name,
            })),
          },
        },
      };
    },
    'aliexpress.solution.order.fulfill': (p) => {
      for (const k of ['service_name', 'out_ref', 'send_type', 'logistics_no']) {
        if (!p[k]) throw new Error(`${k} is required`);
      }
      const order = this.orders.get(p.out_ref!);
      if (!order) return { result_success: false, result_error_code: 'ORDER_NOT_FOUND', result_error_desc: 'no order' };
      if (order.order_status !== 'WAIT_SELLER_SEND_GOODS' && order.order_status !== 'SELLER_PART_SEND_GOODS') {
        return { result_success: false, result_error_code: 'ORDER_STATUS_ERROR', result_error_desc: 'not shippable' };
      }
      order.order_status = p.send_type === 'all' ? 'WAIT_BUYER_ACCEPT_GOODS' : 'SELLER_PART_SEND_GOODS';
      this.fulfilments.push({
        out_ref: p.out_ref!,
        service_name: p.service_name!,
        logistics_no: p.logistics_no!,
        send_type: p.send_type!,
      });
      return { result_success: true };
    },
  };

  private batch(p: Record<string, string>, field: 'inventory' | 'price'): unknown {
    const list = json(p.mutiple_product_update_list, 'mutiple_product_update_list') as {
      product_id: unknown;
      multiple_sku_update_list: Record<string, unknown>[];
    }[];
    if (!Array.isArray(list)) throw new Error('mutiple_product_update_list must be a list');
    this.largest.products = Math.max(this.largest.products, list.length);
    for (const e of list) this.largest.skus = Math.max(this.largest.skus, e.multiple_sku_update_list?.length ?? 0);
    if (list.length > BATCH_PRODUCTS_MAX) {
      return { update_success: false, update_error_code: 'PRODUCT_SIZE_OVER_LIMIT', update_error_message: '> 20' };
    }
    // Validate the whole batch before applying any of it: the gateway applies a batch or refuses it.
    for (const e of list) {
      const product = this.products.get(String(e.product_id));
      if (!product)
        return {
          update_success: false,
          update_error_code: 'PRODUCT_NOT_EXIST',
          update_error_message: String(e.product_id),
        };
      if (!Array.isArray(e.multiple_sku_update_list) || e.multiple_sku_update_list.length > BATCH_SKUS_MAX) {
        return { update_success: false, update_error_code: 'SKU_SIZE_OVER_LIMIT', update_error_message: '> 200' };
      }
      for (const s of e.multiple_sku_update_list) {
        if (!product.skus.has(String(s.sku_code))) {
          return {
            update_success: false,
            update_error_code: 'SKU_NOT_EXIST',
            update_error_message: String(s.sku_code),
          };
        }
        const v = String(s[field]);
        if (field === 'inventory' ? !/^\d+$/.test(v) : !/^\d+(\.\d{1,2})?$/.test(v)) {
          return { update_success: false, update_error_code: 'PARAM_INVALID', update_error_message: `${field} ${v}` };
        }
      }
    }
    for (const e of list) {
      const product = this.products.get(String(e.product_id))!;
      for (const s of e.multiple_sku_update_list) {
        const sku = product.skus.get(String(s.sku_code))!;
        if (field === 'inventory') {
          sku.inventory = Number(s.inventory);
          this.logInventory(String(e.product_id), String(s.sku_code), sku.inventory);
        } else sku.price = String(s.price);
      }
    }
    return { update_success: true };
  }

  private logInventory(product_id: string, sku_code: string, inventory: number): void {
    this.inventoryLog.push({ at: this.now().getTime(), product_id, sku_code, inventory });
  }
}

function json(text: string | undefined, name: string): unknown {
  if (!text) throw new Error(`${name} is required`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${name} is not JSON`);
  }
}
