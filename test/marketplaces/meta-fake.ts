/**
 * A local Meta Graph API for tests (node:http), speaking the documented Commerce Platform shapes the
 * Meta connector uses: `GET /{cms}/commerce_orders` (state filter, updated_after, `limit`, cursor paging
 * with `paging.cursors.after` and `paging.next`), `GET /{order}/items`, `POST /{cms}/acknowledge_orders`
 * (CREATED → IN_PROGRESS), `POST /{order}/shipments` (IN_PROGRESS → COMPLETED once every item shipped),
 * `POST /{order}/cancellations`, `POST /{catalog}/items_batch` and `GET /{catalog}/check_batch_request_status`.
 * Like Graph it refuses a bad token with HTTP 400 and error code 190, reports throttling as HTTP 400 with
 * code 4 (when told to), and applies a repeated idempotency_key once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetaFakeOrder {
  id: string;
  state: 'FB_PROCESSING' | 'CREATED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';
  created: string;
  last_updated: string;
  channel: 'instagram' | 'facebook';
  buyer: { name: string; email: string };
  address: Record<string, string>;
  items: { id: string; retailer_id: string; quantity: number; amount: string; currency: string }[];
  shipped: Map<string, number>;
}

export interface MetaFake {
  url: string;
  credentials: { access_token: string };
  settings: { cms_id: string; catalog_id: string };
  orders: MetaFakeOrder[];
  acknowledged: string[];
  shipments: { orderId: string; body: any }[];
  cancellations: { orderId: string; body: any }[];
  /** What the catalog shows per SKU after the Batch API (quantity_to_sell_on_facebook, price). */
  catalog: Map<string, { quantity: number; price: string | null }>;
  calls: { path: string; status: number }[];
  pageSize: number;
  /** The next N calls answer Graph's throttling error (HTTP 400, code 4). */
  throttleNext: number;
  close(): Promise<void>;
}

export function metaOrder(
  id: string,
  lines: { sku: string; quantity: number; amount?: string }[],
  opts: { state?: MetaFakeOrder['state']; at?: string; channel?: 'instagram' | 'facebook' } = {},
): MetaFakeOrder {
  const at = opts.at ?? new Date().toISOString();
  return {
    id,
    state: opts.state ?? 'CREATED',
    created: at,
    last_updated: at,
    channel: opts.channel ?? 'instagram',
    buyer: { name: 'Lucía Pérez', email: `lucia.${id}@example.com` },
    address: { name: 'Lucía Pérez', street1: 'Calle Mayor 5', city: 'Madrid', postal_code: '28013', country: 'ES' },
    items: lines.map((l, i) => ({
      id: `${id}-item-${i + 1}`,
      retailer_id: l.sku,
      quantity: l.quantity,
      amount: l.amount ?? '19.95',
      currency: 'EUR',
    })),
    shipped: new Map(),
  };
}

export async function startMetaFake(opts: { pageSize?: number } = {}): Promise<MetaFake> {
  const token = 'EAAG-test-system-user-token';
  const seenKeys = new Map<string, unknown>();
  const batches = new Map<string, { polls: number; errors: { id: string; message: string }[] }>();
  const fake: Omit<MetaFake, 'url' | 'close'> = {
    credentials: { access_token: token },
    settings: { cms_id: '1111222233334444', catalog_id: '5555666677778888' },
    orders: [],
    acknowledged: [],
    shipments: [],
    cancellations: [],
    catalog: new Map(),
    calls: [],
    pageSize: opts.pageSize ?? 25,
    throttleNext: 0,
  };
  const iso = (s: string) => s.replace(/\.\d{3}Z$/, '+00:00');
  const orderJson = (o: MetaFakeOrder) => ({
    id: o.id,
    order_status: { state: o.state },
    created: iso(o.created),
    last_updated: iso(o.last_updated),
    channel: o.channel,
    buyer_details: { name: o.buyer.name, email: o.buyer.email, email_remarketing_option: false },
    shipping_address: o.address,
  });
  const touch = (o: MetaFakeOrder) => {
    o.last_updated = new Date(Math.max(Date.now(), Date.parse(o.last_updated) + 1000)).toISOString();
  };
  /** A list page as Graph pages: `after` is the index of the next element, `next` only when there is one. */
  function pageOf<T>(all: T[], after: string | null, limit: number, path: string) {
    const from = after ? Number(Buffer.from(after, 'base64url').toString()) : 0;
    const data = all.slice(from, from + limit);
    const more = from + limit < all.length;
    const cursor = Buffer.from(String(from + limit)).toString('base64url');
    return {
      data,
      paging: {
        cursors: { before: Buffer.from(String(from)).toString('base64url'), after: cursor },
        ...(more ? { next: `${path}?after=${cursor}` } : {}),
      },
    };
  }

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const path = u.pathname.replace(/^\/v\d+\.\d+/, '');
      const send = (status: number, body: unknown) => {
        fake.calls.push({ path: `${req.method} ${path}`, status });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const graphError = (status: number, code: number, message: string) =>
        send(status, { error: { message, type: 'OAuthException', code, fbtrace_id: 'Afake' } });
      if (req.headers.authorization !== `Bearer ${token}`)
        return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (fake.throttleNext > 0) {
        fake.throttleNext--;
        return graphError(400, 4, 'Application request limit reached');
      }
      let body: any = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return graphError(400, 100, 'Invalid JSON');
      }
      /** A write with an idempotency_key seen before answers as the first time, and changes nothing. */
      const once = (key: string | undefined, apply: () => unknown) => {
        if (key && seenKeys.has(key)) return send(200, seenKeys.get(key));
        const answer = apply();
        if (key) seenKeys.set(key, answer);
        return send(200, answer);
      };
      const parts = path.split('/').filter(Boolean);
      const { cms_id: cms, catalog_id: catalog } = fake.settings;

      if (req.method === 'GET' && parts[0] === cms && parts[1] === 'commerce_orders') {
        const states = (u.searchParams.get('state') ?? 'CREATED,IN_PROGRESS').split(',');
        const after = Number(u.searchParams.get('updated_after') ?? 0) * 1000;
        const limit = Math.min(Number(u.searchParams.get('limit') ?? fake.pageSize), fake.pageSize);
        const list = fake.orders
          .filter((o) => states.includes(o.state) && Date.parse(o.last_updated) >= after)
          .sort((a, b) => a.created.localeCompare(b.created));
        const p = pageOf(list, u.searchParams.get('after'), limit, path);
        return send(200, { ...p, data: p.data.map(orderJson) });
      }
      if (req.method === 'GET' && parts.length === 2 && parts[1] === 'items') {
        const o = fake.orders.find((x) => x.id === parts[0]);
        if (!o) return graphError(400, 100, 'Unsupported get request');
        const items = o.items.map((i) => ({
          id: i.id,
          retailer_id: i.retailer_id,
          product_id: `fb-${i.retailer_id}`,
          quantity: i.quantity,
          price_per_unit: { amount: i.amount, currency: i.currency, formatted: `€${i.amount}` },
        }));
        return send(200, pageOf(items, u.searchParams.get('after'), 25, path));
      }
      if (req.method === 'POST' && parts[0] === cms && parts[1] === 'acknowledge_orders')
        return once(body.idempotency_key, () => ({
          orders: (body.orders as { id: string }[]).map(({ id }) => {
            const o = fake.orders.find((x) => x.id === id);
            if (o && o.state === 'CREATED') {
              o.state = 'IN_PROGRESS';
              touch(o);
              fake.acknowledged.push(id);
            }
            return { id, state: o?.state ?? 'UNKNOWN' };
          }),
        }));
      if (req.method === 'POST' && parts.length === 2 && parts[1] === 'shipments') {
        const o = fake.orders.find((x) => x.id === parts[0]);
        if (!o) return graphError(400, 100, 'Unsupported post request');
        const repeat = seenKeys.has(body.idempotency_key);
        if (!repeat && o.state !== 'IN_PROGRESS') return graphError(400, 100, `order is ${o.state}, not IN_PROGRESS`);
        return once(body.idempotency_key, () => {
          fake.shipments.push({ orderId: o.id, body });
          for (const i of body.items as { item_id: string; quantity: number }[])
            o.shipped.set(i.item_id, (o.shipped.get(i.item_id) ?? 0) + i.quantity);
          if (o.items.every((i) => (o.shipped.get(i.id) ?? 0) >= i.quantity)) o.state = 'COMPLETED';
          touch(o);
          return { success: true };
        });
      }
      if (req.method === 'POST' && parts.length === 2 && parts[1] === 'cancellations') {
        const o = fake.orders.find((x) => x.id === parts[0]);
        if (!o) return graphError(400, 100, 'Unsupported post request');
        return once(body.idempotency_key, () => {
          fake.cancellations.push({ orderId: o.id, body });
          o.state = 'CANCELLED';
          touch(o);
          return { success: true };
        });
      }
      if (req.method === 'POST' && parts[0] === catalog && parts[1] === 'items_batch')
        return once(body.idempotency_key, () => {
          const handle = `batch-${batches.size + 1}`;
          const errors: { id: string; message: string }[] = [];
          for (const r of body.requests as { method: string; data: any }[]) {
            if (typeof r.data?.id !== 'string') continue;
            fake.catalog.set(r.data.id, {
              quantity: r.data.quantity_to_sell_on_facebook,
              price: r.data.price ?? fake.catalog.get(r.data.id)?.price ?? null,
            });
          }
          batches.set(handle, { polls: 0, errors });
          return { handles: [handle], validation_status: [] };
        });
      if (req.method === 'GET' && parts[0] === catalog && parts[1] === 'check_batch_request_status') {
        const b = batches.get(u.searchParams.get('handle') ?? '');
        if (!b) return graphError(400, 100, 'unknown handle');
        b.polls++;
        return send(200, {
          data: [
            { status: b.polls > 1 ? 'finished' : 'in_progress', errors: b.errors, errors_total_count: b.errors.length },
          ],
        });
      }
      return graphError(400, 100, `Unsupported ${req.method} request: ${path}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  // The same object the server reads: a test that sets throttleNext or pageSize changes what it answers.
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/v19.0`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
