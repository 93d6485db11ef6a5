/**
 * A local Selling Partner API for tests (node:http), speaking the documented shapes the Amazon connector
 * uses: Login with Amazon's token grant, Listings Items 2021-08-01 (PUT), Feeds 2021-06-30 (documents,
 * upload, createFeed, getFeed, result document), Orders v0 (getOrders with NextToken paging,
 * getOrderItems, confirmShipment), Reports 2021-06-30 for the returns report (createReport, getReport,
 * getReportDocument, a TSV document, GZIP on request). Like the real one it refuses a missing or unknown access token (403),
 * pages orders with an opaque NextToken, enforces a per-operation rate (token bucket, 429 with
 * `x-amzn-RateLimit-Limit`), and it can be told to answer an operation with 429, to hang past the
 * client's timeout, or to send malformed JSON.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface FakeOrder {
  AmazonOrderId: string;
  OrderStatus: string;
  PurchaseDate: string;
  LastUpdateDate: string;
  FulfillmentChannel?: string;
  OrderTotal?: { CurrencyCode: string; Amount: string };
  ShippingAddress?: Record<string, string>;
  BuyerInfo?: { BuyerEmail?: string; BuyerName?: string };
  items: {
    OrderItemId: string;
    SellerSKU: string;
    QuantityOrdered: number;
    ItemPrice?: { CurrencyCode: string; Amount: string };
  }[];
}

/** A row of the returns report, by Amazon's column names ("Order ID", "Merchant SKU", "Return quantity", …). */
export type FakeReturnRow = Record<string, string>;

interface Report {
  reportId: string;
  processingStatus: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
  reportDocumentId?: string;
  polls: number;
  /** The outcome fixed when it was requested, and its TSV. */
  outcome: 'DONE' | 'CANCELLED' | 'FATAL';
  content: string;
  gzip: boolean;
}

type Fault = 'throttle' | 'timeout' | 'malformed' | 'server_error';

interface Feed {
  feedId: string;
  feedType: string;
  inputFeedDocumentId: string;
  processingStatus: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL';
  resultFeedDocumentId?: string;
  polls: number;
}

export interface AmazonFake {
  url: string;
  credentials: { client_id: string; client_secret: string; refresh_token: string };
  settings: { seller_id: string; marketplace_id: string; lwa_url: string };
  orders: FakeOrder[];
  /** What each SKU shows on the marketplace now. */
  listings: Map<string, { quantity: number; price: number | null }>;
  /** Every quantity the marketplace ever showed per SKU, in order (published through listings or feeds). */
  history: Map<string, number[]>;
  feeds: Feed[];
  shipments: { orderId: string; body: any }[];
  cancellations: string[];
  calls: { operation: string; status: number }[];
  /** SKUs the feed processing refuses (an issue of severity ERROR). */
  rejectSkus: Set<string>;
  /** getOrders page size. */
  pageSize: number;
  /** Polls of getFeed that answer IN_PROGRESS before DONE. */
  feedPolls: number;
  tokensIssued: number;
  /** Rows of GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE (a report holds those requested since dataStartTime). */
  returns: FakeReturnRow[];
  /** Reports Amazon was asked for (Reports API 2021-06-30). */
  reports: Report[];
  /** How the next reports end (FATAL/CANCELLED: no document), polls answering IN_PROGRESS first, GZIP documents. */
  reportOutcome: 'DONE' | 'CANCELLED' | 'FATAL';
  reportPolls: number;
  reportGzip: boolean;
  /** The next `times` calls of `operation` fail this way. */
  inject(operation: string, fault: Fault, times?: number): void;
  /** Drops every fault still waiting to be injected. */
  clearFaults(): void;
  /** Sets an operation's rate: requests per second and burst. */
  rate(operation: string, perSecond: number, burst: number): void;
  /** Invalidates every access token issued so far (as if they expired). */
  expireTokens(): void;
  close(): Promise<void>;
}

const DEFAULT_RATES: Record<string, [number, number]> = {
  'orders.getOrders': [0.0167, 20],
  'orders.getOrderItems': [0.5, 30],
  'orders.confirmShipment': [2, 10],
  'feeds.createFeedDocument': [0.5, 15],
  'feeds.createFeed': [0.0083, 15],
  'feeds.getFeed': [2, 15],
  'feeds.getFeedDocument': [0.0222, 10],
  'listings.putListingsItem': [5, 10],
  'reports.createReport': [0.0167, 15],
  'reports.getReport': [2, 15],
  'reports.getReportDocument': [0.0167, 15],
};

/** The returns report's columns, in Amazon's documented order (a row may leave any of them out). */
export const RETURNS_COLUMNS = [
  'Order ID',
  'Order date',
  'Return request date',
  'Return request status',
  'Amazon RMA ID',
  'Merchant RMA ID',
  'Label type',
  'Label cost',
  'Currency code',
  'Return carrier',
  'Tracking ID',
  'Label to be paid by',
  'A-to-z claim',
  'Is prime',
  'ASIN',
  'Merchant SKU',
  'Item Name',
  'Return quantity',
  'Return reason',
  'In policy',
  'Return type',
  'Resolution',
  'Invoice number',
  'Return delivery date',
  'Order Amount',
  'Order quantity',
  'SafeT action reason',
  'SafeT claim id',
  'SafeT claim state',
  'SafeT claim creation time',
  'SafeT claim reimbursement amount',
  'Refunded Amount',
  'Category',
];

export async function startAmazonFake(opts: { pageSize?: number } = {}): Promise<AmazonFake> {
  const tokens = new Set<string>();
  const faults = new Map<string, { fault: Fault; left: number }[]>();
  const buckets = new Map<string, { tokens: number; at: number; rate: number; burst: number }>();
  const rates = new Map(Object.entries(DEFAULT_RATES));
  const documents = new Map<string, { content: string | null; contentType: string; result?: unknown }>();
  const hanging = new Set<http.ServerResponse>();

  const fake: AmazonFake = {
    url: '',
    credentials: {
      client_id: 'amzn1.application-oa2-client.test',
      client_secret: 'secret-' + randomBytes(6).toString('hex'),
      refresh_token: 'Atzr|refresh-' + randomBytes(6).toString('hex'),
    },
    settings: { seller_id: 'A2SELLERTEST', marketplace_id: 'A1RKKUPIHCS9HS', lwa_url: '' },
    orders: [],
    listings: new Map(),
    history: new Map(),
    feeds: [],
    shipments: [],
    cancellations: [],
    calls: [],
    rejectSkus: new Set(),
    pageSize: opts.pageSize ?? 100,
    feedPolls: 1,
    tokensIssued: 0,
    returns: [],
    reports: [],
    reportOutcome: 'DONE',
    reportPolls: 1,
    reportGzip: false,
    inject(operation, fault, times = 1) {
      (faults.get(operation) ?? faults.set(operation, []).get(operation)!).push({ fault, left: times });
    },
    clearFaults() {
      faults.clear();
    },
    rate(operation, perSecond, burst) {
      rates.set(operation, [perSecond, burst]);
      buckets.delete(operation);
    },
    expireTokens() {
      tokens.clear();
    },
    async close() {
      for (const r of hanging) r.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const show = (sku: string, quantity: number, price: number | null) => {
    const before = fake.listings.get(sku);
    fake.listings.set(sku, { quantity, price: price ?? before?.price ?? null });
    (fake.history.get(sku) ?? fake.history.set(sku, []).get(sku)!).push(quantity);
  };

  /** Token bucket per operation, as SP-API's usage plans: `rate` per second refills up to `burst`. */
  function allow(operation: string): { ok: boolean; limit: string } {
    const [rate, burst] = rates.get(operation) ?? [10, 10];
    const now = Date.now();
    const b = buckets.get(operation) ?? { tokens: burst, at: now, rate, burst };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    buckets.set(operation, b);
    if (b.tokens < 1) return { ok: false, limit: String(rate) };
    b.tokens -= 1;
    return { ok: true, limit: String(rate) };
  }

  function takeFault(operation: string): Fault | null {
    const list = faults.get(operation);
    const f = list?.[0];
    if (!f) return null;
    if (--f.left <= 0) list!.shift();
    return f.fault;
  }

  const send = (
    res: http.ServerResponse,
    operation: string,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    fake.calls.push({ operation, status });
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const errors = (code: string, message: string) => ({ errors: [{ code, message }] });

  function operationOf(method: string, path: string): string | null {
    if (method === 'POST' && path === '/auth/o2/token') return 'lwa.token';
    if (method === 'PUT' && /^\/listings\/2021-08-01\/items\/[^/]+\/[^/]+$/.test(path))
      return 'listings.putListingsItem';
    if (method === 'POST' && path === '/feeds/2021-06-30/documents') return 'feeds.createFeedDocument';
    if (method === 'GET' && /^\/feeds\/2021-06-30\/documents\/[^/]+$/.test(path)) return 'feeds.getFeedDocument';
    if (method === 'POST' && path === '/feeds/2021-06-30/feeds') return 'feeds.createFeed';
    if (method === 'GET' && /^\/feeds\/2021-06-30\/feeds\/[^/]+$/.test(path)) return 'feeds.getFeed';
    if (method === 'PUT' && path.startsWith('/uploads/')) return 'feeds.upload';
    if (method === 'GET' && path.startsWith('/results/')) return 'feeds.download';
    if (method === 'POST' && path === '/reports/2021-06-30/reports') return 'reports.createReport';
    if (method === 'GET' && /^\/reports\/2021-06-30\/reports\/[^/]+$/.test(path)) return 'reports.getReport';
    if (method === 'GET' && /^\/reports\/2021-06-30\/documents\/[^/]+$/.test(path)) return 'reports.getReportDocument';
    if (method === 'GET' && path.startsWith('/report-docs/')) return 'reports.download';
    if (method === 'GET' && path === '/orders/v0/orders') return 'orders.getOrders';
    if (method === 'GET' && /^\/orders\/v0\/orders\/[^/]+\/orderItems$/.test(path)) return 'orders.getOrderItems';
    if (method === 'POST' && /^\/orders\/v0\/orders\/[^/]+\/shipmentConfirmation$/.test(path))
      return 'orders.confirmShipment';
    return null;
  }

  /** Applies a processed feed to the listings; returns its processing report. */
  function process(feed: Feed): unknown {
    const doc = documents.get(feed.inputFeedDocumentId);
    const issues: unknown[] = [];
    if (feed.feedType === 'POST_ORDER_ACKNOWLEDGEMENT_DATA') {
      const id = /<AmazonOrderID>([^<]+)<\/AmazonOrderID>/.exec(doc?.content ?? '')?.[1];
      if (id) {
        fake.cancellations.push(id);
        const o = fake.orders.find((x) => x.AmazonOrderId === id);
        if (o) {
          o.OrderStatus = 'Canceled';
          o.LastUpdateDate = new Date().toISOString();
        }
      }
      return {
        header: { sellerId: fake.settings.seller_id, version: '2.0', feedId: feed.feedId },
        issues,
        summary: { errors: 0 },
      };
    }
    let parsed: any;
    try {
      parsed = JSON.parse(doc?.content ?? '');
    } catch {
      feed.processingStatus = 'FATAL';
      return null;
    }
    for (const m of parsed.messages ?? []) {
      if (fake.rejectSkus.has(m.sku)) {
        issues.push({ messageId: m.messageId, code: '90220', severity: 'ERROR', message: `SKU ${m.sku} is not valid` });
        continue;
      }
      let quantity: number | undefined;
      let price: number | null = null;
      for (const p of m.patches ?? []) {
        if (p.path === '/attributes/fulfillment_availability') quantity = p.value?.[0]?.quantity;
        if (p.path === '/attributes/purchasable_offer')
          price = Math.round((p.value?.[0]?.our_price?.[0]?.schedule?.[0]?.value_with_tax ?? 0) * 100);
      }
      if (typeof quantity === 'number') show(m.sku, quantity, price);
    }
    return {
      header: { sellerId: fake.settings.seller_id, version: '2.0', feedId: feed.feedId },
      issues,
      summary: { errors: issues.length, warnings: 0, messagesProcessed: parsed.messages?.length ?? 0 },
    };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = url.pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      const operation = operationOf(req.method ?? 'GET', path);
      if (!operation) return send(res, 'unknown', 404, errors('NotFound', `no route ${req.method} ${path}`));
      const fault = takeFault(operation);
      if (fault === 'timeout') {
        hanging.add(res); // never answered: the client's timeout fires
        fake.calls.push({ operation, status: 0 });
        return;
      }
      if (fault === 'malformed') {
        fake.calls.push({ operation, status: 200 });
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"payload": {"Orders": [ {"AmazonOrderId": ');
      }
      if (fault === 'server_error') return send(res, operation, 503, errors('ServiceUnavailable', 'try later'));
      if (operation === 'lwa.token') {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== fake.credentials.refresh_token)
          return send(res, operation, 400, {
            error: 'invalid_grant',
            error_description: 'The refresh token is invalid',
          });
        if (
          form.get('client_id') !== fake.credentials.client_id ||
          form.get('client_secret') !== fake.credentials.client_secret
        )
          return send(res, operation, 401, {
            error: 'invalid_client',
            error_description: 'Client authentication failed',
          });
        const t = 'Atza|' + randomBytes(12).toString('hex');
        tokens.add(t);
        fake.tokensIssued++;
        return send(res, operation, 200, {
          access_token: t,
          token_type: 'bearer',
          expires_in: 3600,
          refresh_token: fake.credentials.refresh_token,
        });
      }
      // The pre-signed upload and download URLs carry no access token (they are not SP-API endpoints).
      if (operation === 'feeds.upload') {
        const doc = documents.get(path.slice('/uploads/'.length));
        if (!doc) return send(res, operation, 404, errors('NotFound', 'no such document'));
        doc.content = body;
        return send(res, operation, 200, undefined);
      }
      if (operation === 'feeds.download') {
        const doc = documents.get(path.slice('/results/'.length));
        if (!doc) return send(res, operation, 404, errors('NotFound', 'no such document'));
        return send(res, operation, 200, doc.result);
      }
      if (operation === 'reports.download') {
        const r = fake.reports.find((x) => x.reportDocumentId === path.slice('/report-docs/'.length));
        if (!r) return send(res, operation, 404, errors('NotFound', 'no such document'));
        fake.calls.push({ operation, status: 200 });
        res.writeHead(200, { 'content-type': 'text/tab-separated-values; charset=UTF-8' });
        return res.end(r.gzip ? gzipSync(r.content) : r.content);
      }
      const token = req.headers['x-amz-access-token'];
      if (typeof token !== 'string' || !tokens.has(token))
        return send(res, operation, 403, errors('Unauthorized', 'Access to requested resource is denied.'));
      const limit = allow(operation);
      const rateHeader = { 'x-amzn-RateLimit-Limit': limit.limit };
      if (fault === 'throttle' || !limit.ok)
        return send(
          res,
          operation,
          429,
          errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'),
          rateHeader,
        );
      let json: any = null;
      if (body) {
        try {
          json = JSON.parse(body);
        } catch {
          return send(res, operation, 400, errors('InvalidInput', 'body is not JSON'), rateHeader);
        }
      }
      switch (operation) {
        case 'listings.putListingsItem': {
          const [, , , , seller, rawSku] = path.split('/');
          const sku = decodeURIComponent(rawSku!);
          if (seller !== fake.settings.seller_id)
            return send(res, operation, 403, errors('Unauthorized', 'not your seller id'), rateHeader);
          if (url.searchParams.get('marketplaceIds') !== fake.settings.marketplace_id)
            return send(res, operation, 400, errors('InvalidInput', 'marketplaceIds'), rateHeader);
          const a = json?.attributes ?? {};
          if (fake.rejectSkus.has(sku) || !a.purchasable_offer)
            return send(
              res,
              operation,
              200,
              {
                sku,
                status: 'INVALID',
                submissionId: randomBytes(8).toString('hex'),
                issues: [{ code: '90220', message: 'purchasable_offer is required', severity: 'ERROR' }],
              },
              rateHeader,
            );
          const price = Math.round(
            (a.purchasable_offer?.[0]?.our_price?.[0]?.schedule?.[0]?.value_with_tax ?? 0) * 100,
          );
          show(sku, a.fulfillment_availability?.[0]?.quantity ?? 0, price);
          return send(
            res,
            operation,
            200,
            { sku, status: 'ACCEPTED', submissionId: randomBytes(8).toString('hex'), issues: [] },
            rateHeader,
          );
        }
        case 'feeds.createFeedDocument': {
          const id = 'amzn1.tortuga.4.eu.' + randomBytes(8).toString('hex');
          documents.set(id, { content: null, contentType: String(json?.contentType ?? '') });
          return send(res, operation, 201, { feedDocumentId: id, url: `${fake.url}/uploads/${id}` }, rateHeader);
        }
        case 'feeds.createFeed': {
          const doc = documents.get(json?.inputFeedDocumentId);
          if (!doc || doc.content === null)
            return send(
              res,
              operation,
              400,
              errors('InvalidInput', 'inputFeedDocumentId: nothing uploaded'),
              rateHeader,
            );
          if (!Array.isArray(json?.marketplaceIds) || json.marketplaceIds[0] !== fake.settings.marketplace_id)
            return send(res, operation, 400, errors('InvalidInput', 'marketplaceIds'), rateHeader);
          const feed: Feed = {
            feedId: String(50000 + fake.feeds.length),
            feedType: json.feedType,
            inputFeedDocumentId: json.inputFeedDocumentId,
            processingStatus: 'IN_QUEUE',
            polls: 0,
          };
          fake.feeds.push(feed);
          return send(res, operation, 202, { feedId: feed.feedId }, rateHeader);
        }
        case 'feeds.getFeed': {
          const feed = fake.feeds.find((f) => f.feedId === path.split('/').pop());
          if (!feed) return send(res, operation, 404, errors('NotFound', 'no such feed'), rateHeader);
          if (feed.processingStatus === 'IN_QUEUE' || feed.processingStatus === 'IN_PROGRESS') {
            if (feed.polls++ < fake.feedPolls) feed.processingStatus = 'IN_PROGRESS';
            else {
              const report = process(feed);
              if ((feed.processingStatus as Feed['processingStatus']) !== 'FATAL') {
                const rid = 'amzn1.tortuga.4.eu.result.' + randomBytes(6).toString('hex');
                documents.set(rid, { content: null, contentType: 'application/json', result: report });
                feed.resultFeedDocumentId = rid;
                feed.processingStatus = 'DONE';
              }
            }
          }
          return send(
            res,
            operation,
            200,
            {
              feedId: feed.feedId,
              feedType: feed.feedType,
              marketplaceIds: [fake.settings.marketplace_id],
              createdTime: new Date().toISOString(),
              processingStatus: feed.processingStatus,
              ...(feed.resultFeedDocumentId ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
            },
            rateHeader,
          );
        }
        case 'feeds.getFeedDocument': {
          const id = path.split('/').pop()!;
          if (!documents.has(id)) return send(res, operation, 404, errors('NotFound', 'no such document'), rateHeader);
          return send(res, operation, 200, { feedDocumentId: id, url: `${fake.url}/results/${id}` }, rateHeader);
        }
        case 'reports.createReport': {
          if (json?.reportType !== 'GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE')
            return send(res, operation, 400, errors('InvalidInput', 'reportType not served here'), rateHeader);
          if (!Array.isArray(json?.marketplaceIds) || json.marketplaceIds[0] !== fake.settings.marketplace_id)
            return send(res, operation, 400, errors('InvalidInput', 'marketplaceIds'), rateHeader);
          const from = Date.parse(json?.dataStartTime ?? '');
          if (Number.isNaN(from)) return send(res, operation, 400, errors('InvalidInput', 'dataStartTime'), rateHeader);
          const rows = fake.returns.filter((r) => Date.parse(r['Return request date'] ?? '') >= from);
          // The header names every documented column; a row's missing ones are empty cells.
          const content = [RETURNS_COLUMNS, ...rows.map((r) => RETURNS_COLUMNS.map((c) => r[c] ?? ''))]
            .map((cells) => cells.join('\t'))
            .join('\n');
          const report: Report = {
            reportId: String(70000 + fake.reports.length),
            processingStatus: 'IN_QUEUE',
            polls: 0,
            outcome: fake.reportOutcome,
            content: content + '\n',
            gzip: fake.reportGzip,
          };
          fake.reports.push(report);
          return send(res, operation, 202, { reportId: report.reportId }, rateHeader);
        }
        case 'reports.getReport': {
          const r = fake.reports.find((x) => x.reportId === path.split('/').pop());
          if (!r) return send(res, operation, 404, errors('NotFound', 'no such report'), rateHeader);
          if (r.processingStatus === 'IN_QUEUE' || r.processingStatus === 'IN_PROGRESS') {
            if (r.polls++ < fake.reportPolls) r.processingStatus = 'IN_PROGRESS';
            else {
              r.processingStatus = r.outcome;
              if (r.outcome === 'DONE') r.reportDocumentId = 'amzn1.spdoc.1.4.eu.' + randomBytes(6).toString('hex');
            }
          }
          return send(
            res,
            operation,
            200,
            {
              reportId: r.reportId,
              reportType: 'GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE',
              marketplaceIds: [fake.settings.marketplace_id],
              createdTime: new Date().toISOString(),
              processingStatus: r.processingStatus,
              ...(r.reportDocumentId ? { reportDocumentId: r.reportDocumentId } : {}),
            },
            rateHeader,
          );
        }
        case 'reports.getReportDocument': {
          const id = path.split('/').pop()!;
          const r = fake.reports.find((x) => x.reportDocumentId === id);
          if (!r) return send(res, operation, 404, errors('NotFound', 'no such document'), rateHeader);
          return send(
            res,
            operation,
            200,
            {
              reportDocumentId: id,
              url: `${fake.url}/report-docs/${id}`,
              ...(r.gzip ? { compressionAlgorithm: 'GZIP' } : {}),
            },
            rateHeader,
          );
        }
        case 'orders.getOrders': {
          if (url.searchParams.get('MarketplaceIds') !== fake.settings.marketplace_id)
            return send(res, operation, 400, errors('InvalidInput', 'MarketplaceIds is required'), rateHeader);
          let after: string;
          let offset = 0;
          const next = url.searchParams.get('NextToken');
          if (next) {
            try {
              ({ after, offset } = JSON.parse(Buffer.from(next, 'base64').toString('utf8')));
            } catch {
              return send(res, operation, 400, errors('InvalidInput', 'Invalid NextToken'), rateHeader);
            }
          } else {
            after = url.searchParams.get('LastUpdatedAfter') ?? '';
            if (!after || Number.isNaN(Date.parse(after)))
              return send(
                res,
                operation,
                400,
                errors('InvalidInput', 'CreatedAfter or LastUpdatedAfter is required'),
                rateHeader,
              );
          }
          const matching = fake.orders
            .filter((o) => Date.parse(o.LastUpdateDate) >= Date.parse(after))
            .sort(
              (a, b) =>
                a.LastUpdateDate.localeCompare(b.LastUpdateDate) || a.AmazonOrderId.localeCompare(b.AmazonOrderId),
            );
          const page = matching.slice(offset, offset + fake.pageSize);
          const more = offset + fake.pageSize < matching.length;
          return send(
            res,
            operation,
            200,
            {
              payload: {
                Orders: page.map(({ items: _items, ...o }) => ({ ...o, MarketplaceId: fake.settings.marketplace_id })),
                ...(more
                  ? {
                      NextToken: Buffer.from(JSON.stringify({ after, offset: offset + fake.pageSize })).toString(
                        'base64',
                      ),
                    }
                  : {}),
                LastUpdatedBefore: new Date().toISOString(),
              },
            },
            rateHeader,
          );
        }
        case 'orders.getOrderItems': {
          const id = decodeURIComponent(path.split('/')[4]!);
          const o = fake.orders.find((x) => x.AmazonOrderId === id);
          if (!o) return send(res, operation, 404, errors('NotFound', 'no such order'), rateHeader);
          return send(
            res,
            operation,
            200,
            {
              payload: {
                AmazonOrderId: id,
                OrderItems: o.items.map((i) => ({ ASIN: 'B0' + i.SellerSKU.length, ...i })),
              },
            },
            rateHeader,
          );
        }
        case 'orders.confirmShipment': {
          const id = decodeURIComponent(path.split('/')[4]!);
          const o = fake.orders.find((x) => x.AmazonOrderId === id);
          if (!o) return send(res, operation, 404, errors('NotFound', 'no such order'), rateHeader);
          const p = json?.packageDetail;
          if (
            json?.marketplaceId !== fake.settings.marketplace_id ||
            !p?.carrierCode ||
            !p?.trackingNumber ||
            !Array.isArray(p?.orderItems)
          )
            return send(
              res,
              operation,
              400,
              errors('InvalidInput', 'packageDetail needs carrierCode, trackingNumber and orderItems'),
              rateHeader,
            );
          fake.shipments.push({ orderId: id, body: json });
          o.OrderStatus = 'Shipped';
          o.LastUpdateDate = new Date().toISOString();
          return send(res, operation, 204, undefined, rateHeader);
        }
      }
      return send(res, operation, 404, errors('NotFound', 'no route'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.settings.lwa_url = `${fake.url}/auth/o2/token`;
  return fake;
}

/** An Unshipped order of the given lines, updated `at`. */
export function amazonOrder(
  id: string,
  lines: { sku: string; quantity: number; price?: string }[],
  at = new Date(),
): FakeOrder {
  return {
    AmazonOrderId: id,
    OrderStatus: 'Unshipped',
    PurchaseDate: at.toISOString(),
    LastUpdateDate: at.toISOString(),
    FulfillmentChannel: 'MFN',
    OrderTotal: { CurrencyCode: 'EUR', Amount: '10.00' },
    ShippingAddress: {
      Name: 'Lucía Pérez',
      AddressLine1: 'Calle Alcalá 20',
      City: 'Madrid',
      PostalCode: '28014',
      CountryCode: 'ES',
      StateOrRegion: 'Madrid',
    },
    BuyerInfo: { BuyerEmail: `${id.replace(/[^0-9]/g, '')}@marketplace.amazon.es` },
    items: lines.map((l, i) => ({
      OrderItemId: `${id}-${i + 1}`,
      SellerSKU: l.sku,
      QuantityOrdered: l.quantity,
      ItemPrice: { CurrencyCode: 'EUR', Amount: l.price ?? '10.00' },
    })),
  };
}
