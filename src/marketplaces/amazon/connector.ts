import { ConnectorHttp, resolveDeps, type HttpRequest } from '../http.js';
import {
  MalformedResponseError,
  MarketplaceAuthError,
  MarketplaceRejectedError,
  type ConnectorFactory,
  type MarketplaceConnector,
  type MarketplaceOrder,
  type OfferResult,
  type PushReceipt,
} from '../types.js';
import {
  cancelAcknowledgement,
  listingBody,
  listingsFeed,
  parseItemsPage,
  parseOrdersPage,
  reportFailures,
  shipmentBody,
  toOrder,
  type AmazonOrderItem,
} from './mapping.js';
import { fetchReturnsReport } from './returns-report.js';

/** Login with Amazon's token endpoint (the same for every region). */
export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';
/** A token is renewed this long before Amazon says it expires. */
const TOKEN_MARGIN_MS = 60_000;
/** SKUs of feeds this process sent, to name the SKU of a processing-report issue (by messageId). */
const FEED_MEMORY = 200;

/**
 * Amazon through the Selling Partner API, as documented: Login with Amazon's refresh-token grant for
 * the access token (sent as `x-amz-access-token`), Listings Items 2021-08-01 to publish, Feeds
 * 2021-06-30 with a JSON_LISTINGS_FEED for batched quantity/price updates (createFeedDocument → upload
 * to the returned URL → createFeed → getFeed → the result document), Orders v0 getOrders with
 * NextToken paging and getOrderItems, confirmShipment, and the returns report through Reports 2021-06-30
 * (returns-report.ts). Throttling (429) and timeouts are retried with
 * jittered back-off by the shared client, honouring `x-amzn-RateLimit-Limit`.
 *
 * Configuration: base_url (the regional endpoint, e.g. https://sellingpartnerapi-eu.amazon.com),
 * credentials { client_id, client_secret, refresh_token }, settings { seller_id, marketplace_id
 * (A1RKKUPIHCS9HS is amazon.es), product_type (default PRODUCT), lwa_url (default Amazon's) }.
 */
export const amazonConnector: ConnectorFactory = (config, deps) => {
  const d = resolveDeps(deps);
  const http = new ConnectorHttp(d);
  const base = config.base_url.replace(/\/+$/, '');
  const need = (bag: Record<string, string>, key: string, where: string) => {
    const v = bag[key];
    if (!v) throw new MarketplaceAuthError(`amazon: ${where}.${key} is not configured`);
    return v;
  };
  const sellerId = () => need(config.settings, 'seller_id', 'settings');
  const marketplaceId = () => need(config.settings, 'marketplace_id', 'settings');
  const productType = config.settings.product_type || 'PRODUCT';
  let token: { value: string; until: number } | null = null;
  const feedSkus = new Map<string, string[]>();

  async function accessToken(force = false): Promise<string> {
    if (!force && token && token.until > d.now().getTime()) return token.value;
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: need(config.credentials, 'refresh_token', 'credentials'),
      client_id: need(config.credentials, 'client_id', 'credentials'),
      client_secret: need(config.credentials, 'client_secret', 'credentials'),
    });
    // LWA answers a bad grant or client with 400/401 (invalid_grant, invalid_client): credentials, not data.
    const res = await http
      .json({
        operation: 'lwa.token',
        method: 'POST',
        url: config.settings.lwa_url || LWA_TOKEN_URL,
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: form.toString(),
        retryOnTimeout: true,
      })
      .catch((err: unknown) => {
        if (err instanceof MarketplaceRejectedError)
          throw new MarketplaceAuthError(`lwa.token: ${err.message}`, err.status);
        throw err;
      });
    const b = res.body as { access_token?: unknown; expires_in?: unknown } | null;
    if (!b || typeof b.access_token !== 'string' || typeof b.expires_in !== 'number')
      throw new MalformedResponseError('lwa.token: no access_token/expires_in in the answer');
    token = { value: b.access_token, until: d.now().getTime() + b.expires_in * 1000 - TOKEN_MARGIN_MS };
    return token.value;
  }

  /** One SP-API call with the access token; a token refused once (expired early) is renewed and tried again. */
  async function call(
    req: Omit<HttpRequest, 'url' | 'headers'> & { path: string; query?: Record<string, string> },
  ): Promise<unknown> {
    const qs = req.query ? `?${new URLSearchParams(req.query).toString()}` : '';
    const send = async (force: boolean) =>
      http.json({
        ...req,
        url: `${base}${req.path}${qs}`,
        headers: {
          'x-amz-access-token': await accessToken(force),
          accept: 'application/json',
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      });
    try {
      return (await send(false)).body;
    } catch (err) {
      if (err instanceof MarketplaceAuthError && err.status === 403) return (await send(true)).body;
      throw err;
    }
  }

  /** createFeedDocument → upload → createFeed; returns the feed id. */
  async function submitFeed(feedType: string, contentType: string, content: string): Promise<string> {
    const doc = (await call({
      operation: 'feeds.createFeedDocument',
      method: 'POST',
      path: '/feeds/2021-06-30/documents',
      body: JSON.stringify({ contentType }),
      retryOnTimeout: true,
    })) as { feedDocumentId?: unknown; url?: unknown } | null;
    if (!doc || typeof doc.feedDocumentId !== 'string' || typeof doc.url !== 'string')
      throw new MalformedResponseError('createFeedDocument: no feedDocumentId/url in the answer');
    // The upload goes to the pre-signed URL as is: no access token (it is not an SP-API endpoint).
    await http.send({
      operation: 'feeds.upload',
      method: 'PUT',
      url: doc.url,
      headers: { 'content-type': contentType },
      body: content,
      retryOnTimeout: true,
    });
    const feed = (await call({
      operation: 'feeds.createFeed',
      method: 'POST',
      path: '/feeds/2021-06-30/feeds',
      body: JSON.stringify({ feedType, marketplaceIds: [marketplaceId()], inputFeedDocumentId: doc.feedDocumentId }),
    })) as { feedId?: unknown } | null;
    if (!feed || typeof feed.feedId !== 'string')
      throw new MalformedResponseError('createFeed: no feedId in the answer');
    return feed.feedId;
  }

  async function orderItems(orderId: string): Promise<AmazonOrderItem[]> {
    const all: AmazonOrderItem[] = [];
    let next: string | null = null;
    do {
      const body = await call({
        operation: 'orders.getOrderItems',
        method: 'GET',
        path: `/orders/v0/orders/${encodeURIComponent(orderId)}/orderItems`,
        ...(next ? { query: { NextToken: next } } : {}),
      });
      const page = parseItemsPage(body);
      all.push(...page.items);
      next = page.next;
    } while (next);
    return all;
  }

  const connector: MarketplaceConnector = {
    provider: 'amazon',

    async publishOffers(offers) {
      const results: OfferResult[] = [];
      for (const offer of offers) {
        try {
          const body = (await call({
            operation: 'listings.putListingsItem',
            method: 'PUT',
            path: `/listings/2021-08-01/items/${encodeURIComponent(sellerId())}/${encodeURIComponent(offer.sku)}`,
            query: { marketplaceIds: marketplaceId() },
            body: JSON.stringify(listingBody(offer, marketplaceId(), productType)),
            // A PUT replaces the listing whole: trying it again is harmless.
            retryOnTimeout: true,
          })) as { status?: unknown; issues?: unknown } | null;
          if (!body || typeof body.status !== 'string')
            throw new MalformedResponseError('putListingsItem: no status in the answer');
          const issues = Array.isArray(body.issues) ? (body.issues as { severity?: string; message?: string }[]) : [];
          const errors = issues.filter((i) => i.severity === 'ERROR').map((i) => i.message ?? 'error');
          results.push(
            body.status === 'ACCEPTED'
              ? { sku: offer.sku, ok: true, external_id: null }
              : { sku: offer.sku, ok: false, message: errors.join('; ') || `status ${body.status}` },
          );
        } catch (err) {
          if (!(err instanceof MarketplaceRejectedError)) throw err;
          results.push({ sku: offer.sku, ok: false, message: err.message });
        }
      }
      return results;
    },

    async pushStock(updates) {
      const doc = listingsFeed(sellerId(), marketplaceId(), productType, updates);
      const feedId = await submitFeed('JSON_LISTINGS_FEED', 'application/json; charset=UTF-8', JSON.stringify(doc));
      feedSkus.set(
        feedId,
        updates.map((u) => u.sku),
      );
      if (feedSkus.size > FEED_MEMORY) feedSkus.delete(feedSkus.keys().next().value!);
      return { submission_id: feedId, state: 'pending', failed: [] };
    },

    async pushStatus(feedId): Promise<PushReceipt> {
      const feed = (await call({
        operation: 'feeds.getFeed',
        method: 'GET',
        path: `/feeds/2021-06-30/feeds/${encodeURIComponent(feedId)}`,
      })) as { processingStatus?: unknown; resultFeedDocumentId?: unknown } | null;
      const status = feed?.processingStatus;
      if (typeof status !== 'string') throw new MalformedResponseError('getFeed: no processingStatus');
      if (status === 'IN_QUEUE' || status === 'IN_PROGRESS')
        return { submission_id: feedId, state: 'pending', failed: [] };
      if (status === 'CANCELLED' || status === 'FATAL' || typeof feed?.resultFeedDocumentId !== 'string') {
        return { submission_id: feedId, state: 'failed', failed: [{ sku: '*', message: `feed ${status}` }] };
      }
      const doc = (await call({
        operation: 'feeds.getFeedDocument',
        method: 'GET',
        path: `/feeds/2021-06-30/documents/${encodeURIComponent(feed.resultFeedDocumentId)}`,
      })) as { url?: unknown } | null;
      if (!doc || typeof doc.url !== 'string') throw new MalformedResponseError('getFeedDocument: no url');
      const report = await http.json({ operation: 'feeds.download', method: 'GET', url: doc.url });
      const { failed, wholeFeed } = reportFailures(report.body, feedSkus.get(feedId) ?? null);
      if (wholeFeed) return { submission_id: feedId, state: 'failed', failed: [{ sku: '*', message: wholeFeed }] };
      return { submission_id: feedId, state: 'done', failed };
    },

    async listOrders(q) {
      const query: Record<string, string> = q.cursor
        ? { MarketplaceIds: marketplaceId(), NextToken: q.cursor }
        : { MarketplaceIds: marketplaceId(), LastUpdatedAfter: q.since.toISOString() };
      const page = parseOrdersPage(
        await call({ operation: 'orders.getOrders', method: 'GET', path: '/orders/v0/orders', query }),
      );
      const orders: MarketplaceOrder[] = [];
      for (const o of page.orders) {
        // Amazon's own logistics (FBA) ships those: Omnia's stock is not involved.
        if (o.FulfillmentChannel === 'AFN') continue;
        const wanted = o.OrderStatus === 'Unshipped' || o.OrderStatus === 'PartiallyShipped';
        orders.push(toOrder(o, wanted ? await orderItems(o.AmazonOrderId) : []));
      }
      return { orders, next_cursor: page.next };
    },

    async confirmShipment(c) {
      await call({
        operation: 'orders.confirmShipment',
        method: 'POST',
        path: `/orders/v0/orders/${encodeURIComponent(c.external_order_id)}/shipmentConfirmation`,
        body: JSON.stringify(shipmentBody(c, marketplaceId(), c.tracking || c.external_order_id)),
        // Confirming the same package twice is refused by Amazon, never doubled: a retry is safe.
        retryOnTimeout: true,
      });
    },

    // Amazon reports a cancellation as the order's status (Canceled) in getOrders; returns come by reports.
    async listChanges() {
      return { changes: [], next_cursor: null };
    },

    // Returns come by the Reports API (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE): see returns-report.ts.
    listReturns(since) {
      return fetchReturnsReport(call, d, marketplaceId(), since);
    },

    async cancelOrder(externalOrderId) {
      await submitFeed(
        'POST_ORDER_ACKNOWLEDGEMENT_DATA',
        'text/xml; charset=UTF-8',
        cancelAcknowledgement(sellerId(), externalOrderId),
      );
    },
  };
  return connector;
};
