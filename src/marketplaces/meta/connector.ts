import { ConnectorHttp, resolveDeps } from '../http.js';
import {
  MalformedResponseError,
  MarketplaceAuthError,
  MarketplaceRejectedError,
  type ConnectorFactory,
  type MarketplaceConnector,
  type MarketplaceOrder,
  type PushReceipt,
} from '../types.js';
import {
  GRAPH_AUTH_CODES,
  GRAPH_THROTTLE_CODES,
  ITEM_FIELDS,
  ORDER_FIELDS,
  batchRequests,
  cancellationBody,
  graphErrorCode,
  idempotencyKey,
  parseBatchStatus,
  parseItemsPage,
  parseOrdersPage,
  shipmentBody,
  toOrder,
  type MetaItem,
} from './mapping.js';

/** Graph API's endpoint with the version the shapes were written against. */
export const DEFAULT_BASE_URL = 'https://graph.facebook.com/v19.0';
/** Orders per page (Graph's `limit`); acknowledgements go in batches of this size too. */
const PAGE_SIZE = 25;

/**
 * Graph reports rate limits and bad tokens as HTTP 400/403 with an error code in the body, not as 429
 * and 401. This wrapper gives the shared client (../http.ts) the statuses it acts on: a throttling code
 * becomes 429 (retried with back-off), a token code becomes 401 (not retried). Nothing else changes.
 */
export function graphFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status !== 400 && res.status !== 403) return res;
    const text = await res.text();
    const code = graphErrorCode(text);
    const status =
      code !== null && GRAPH_THROTTLE_CODES.has(code)
        ? 429
        : code !== null && GRAPH_AUTH_CODES.has(code)
          ? 401
          : res.status;
    return new Response(text, { status, headers: res.headers });
  };
}

/**
 * Meta (Facebook and Instagram Shops) through the Commerce Platform Graph API, as documented: orders
 * listed with `GET /{cms-id}/commerce_orders` (state CREATED and IN_PROGRESS, `updated_after`, Graph
 * cursor paging), their items with `GET /{order-id}/items`, CREATED orders acknowledged with
 * `POST /{cms-id}/acknowledge_orders` (they then move to IN_PROGRESS, which Meta requires before
 * shipping), shipments with `POST /{order-id}/shipments` and cancellations with
 * `POST /{order-id}/cancellations`, each with an idempotency_key derived from its content. Listings
 * come from the catalog feed Meta fetches (GET /v1/feeds/{channel}); between two fetches, stock and
 * price go by the catalog Batch API (`items_batch`, checked with `check_batch_request_status`).
 *
 * Configuration: base_url (https://graph.facebook.com/v19.0), credentials { access_token } (a system
 * user token with commerce_manage_accounts and catalog_management), settings { cms_id (the commerce
 * account), catalog_id }.
 */
export const metaConnector: ConnectorFactory = (config, deps) => {
  const d = resolveDeps(deps);
  const http = new ConnectorHttp({ ...d, fetch: graphFetch(d.fetch) });
  const base = config.base_url.replace(/\/+$/, '');
  const need = (bag: Record<string, string>, key: string, where: string) => {
    const v = bag[key];
    if (!v) throw new MarketplaceAuthError(`meta: ${where}.${key} is not configured`);
    return v;
  };
  const token = () => need(config.credentials, 'access_token', 'credentials');
  const cmsId = () => need(config.settings, 'cms_id', 'settings');
  const catalogId = () => need(config.settings, 'catalog_id', 'settings');

  async function call(
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    opts: { query?: Record<string, string>; body?: unknown; idempotent?: boolean } = {},
  ): Promise<unknown> {
    const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
    const res = await http.json({
      operation,
      method,
      url: `${base}${path}${qs}`,
      headers: {
        authorization: `Bearer ${token()}`,
        accept: 'application/json',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      // Writes carry an idempotency_key: Meta applies a repeated one once, so a timed-out write may be retried.
      retryOnTimeout: method === 'GET' || opts.idempotent === true,
    });
    return res.body;
  }

  async function items(orderId: string): Promise<MetaItem[]> {
    const all: MetaItem[] = [];
    let after: string | null = null;
    do {
      const p = parseItemsPage(
        await call('orders.items', 'GET', `/${encodeURIComponent(orderId)}/items`, {
          query: { fields: ITEM_FIELDS, limit: String(PAGE_SIZE), ...(after ? { after } : {}) },
        }),
      );
      all.push(...p.items);
      after = p.next;
    } while (after);
    return all;
  }

  async function acknowledge(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const body = await call('orders.acknowledge', 'POST', `/${encodeURIComponent(cmsId())}/acknowledge_orders`, {
      body: { idempotency_key: idempotencyKey('ack', ...ids), orders: ids.map((id) => ({ id })) },
      idempotent: true,
    });
    const orders = (body as { orders?: unknown } | null)?.orders;
    if (!Array.isArray(orders)) throw new MalformedResponseError('acknowledge_orders: no orders in the answer');
  }

  async function batch(requests: Record<string, unknown>[], key: string): Promise<string> {
    const body = (await call('catalog.items_batch', 'POST', `/${encodeURIComponent(catalogId())}/items_batch`, {
      body: { item_type: 'PRODUCT_ITEM', allow_upsert: true, idempotency_key: key, requests },
      idempotent: true,
    })) as { handles?: unknown } | null;
    const handle = Array.isArray(body?.handles) ? body.handles[0] : undefined;
    if (typeof handle !== 'string') throw new MalformedResponseError('items_batch: no handles in the answer');
    return handle;
  }

  const connector: MarketplaceConnector = {
    provider: 'meta',

    async publishOffers(offers) {
      if (offers.length === 0) return [];
      // The listing itself comes from the feed; this makes a SKU's price and stock current at once.
      await batch(batchRequests(offers), idempotencyKey('publish', JSON.stringify(batchRequests(offers))));
      return offers.map((o) => ({ sku: o.sku, ok: true, external_id: o.sku }));
    },

    async pushStock(updates): Promise<PushReceipt> {
      const requests = batchRequests(updates);
      const handle = await batch(requests, idempotencyKey('stock', JSON.stringify(requests)));
      return { submission_id: handle, state: 'pending', failed: [] };
    },

    async pushStatus(handle): Promise<PushReceipt> {
      const s = parseBatchStatus(
        await call(
          'catalog.check_batch_request_status',
          'GET',
          `/${encodeURIComponent(catalogId())}/check_batch_request_status`,
          {
            query: { handle },
          },
        ),
      );
      if (!s.done) return { submission_id: handle, state: 'pending', failed: [] };
      return { submission_id: handle, state: 'done', failed: s.failed.filter((f) => f.sku !== '*') };
    },

    async listOrders(q) {
      const query: Record<string, string> = {
        state: 'CREATED,IN_PROGRESS',
        updated_after: String(Math.floor(q.since.getTime() / 1000)),
        fields: ORDER_FIELDS,
        limit: String(PAGE_SIZE),
        ...(q.cursor ? { after: q.cursor } : {}),
      };
      const page = parseOrdersPage(
        await call('orders.list', 'GET', `/${encodeURIComponent(cmsId())}/commerce_orders`, { query }),
      );
      const orders: MarketplaceOrder[] = [];
      for (const o of page.orders) orders.push(toOrder(o, await items(o.id)));
      // Meta wants CREATED orders acknowledged (the seller has them) before they can ship. The import is
      // idempotent on the order id, and an acknowledged order is still listed (IN_PROGRESS) until shipped,
      // so acknowledging here loses nothing if Omnia stops before it records the order.
      await acknowledge(page.orders.filter((o) => o.order_status.state === 'CREATED').map((o) => o.id));
      return { orders, next_cursor: page.next };
    },

    async confirmShipment(c) {
      const body = await call('orders.shipments', 'POST', `/${encodeURIComponent(c.external_order_id)}/shipments`, {
        body: shipmentBody(c),
        idempotent: true,
      });
      if ((body as { success?: unknown } | null)?.success !== true)
        throw new MalformedResponseError('shipments: the answer does not say success');
    },

    // Buyer cancellations and refunds are not read yet (see docs/social.md): Meta lists them per order.
    async listChanges() {
      return { changes: [], next_cursor: null };
    },

    async cancelOrder(externalOrderId, reason) {
      const body = await call('orders.cancellations', 'POST', `/${encodeURIComponent(externalOrderId)}/cancellations`, {
        body: cancellationBody(externalOrderId, reason),
        idempotent: true,
      });
      if ((body as { success?: unknown } | null)?.success !== true)
        throw new MarketplaceRejectedError('cancellations: the answer does not say success');
    },
  };
  return connector;
};
