/**
 * The AliExpress connector against the local fake gateway (fakes/aliexpress-fake.ts), over real HTTP: signatures,
 * paging, throttling with back-off, timeouts, malformed answers, batched stock pushes during a flash sale,
 * publishing, shipment confirmation and cancellations. Time is a ManualClock shared by both sides; the connector's
 * back-off "sleeps" by moving it, so the fake's rate window moves too and no test waits for real (except the
 * timeout cases, which need a real slow answer).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { AliExpressConnector } from '../../src/marketplaces/aliexpress/index.js';
import { toPacific } from '../../src/marketplaces/aliexpress/rules.js';
import { createTokens, refreshTokens } from '../../src/marketplaces/aliexpress/tokens.js';
import {
  MalformedResponseError,
  MarketplaceAuthError,
  MarketplaceRejectedError,
  ThrottledError,
  type ConnectorDeps,
  type MarketplaceOrder,
  type OfferInput,
  type StockUpdate,
} from '../../src/marketplaces/types.js';
import { AliExpressFake, type AliExpressFakeOptions } from './fakes/aliexpress-fake.js';

let clock: ManualClock;
let fake: AliExpressFake;
let sleeps: number[];

async function startFake(opts: AliExpressFakeOptions = {}) {
  fake = await new AliExpressFake({ now: () => clock.now(), ...opts }).start();
}

function connector(over: { secret?: string; settings?: Record<string, string>; deps?: ConnectorDeps } = {}) {
  return new AliExpressConnector(
    {
      base_url: fake.url,
      credentials: { app_key: fake.appKey, app_secret: over.secret ?? fake.appSecret, access_token: fake.accessToken },
      settings: over.settings ?? {},
    },
    {
      now: () => clock.now(),
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
      random: () => 0.5,
      timeoutMs: 2000,
      maxAttempts: 5,
      ...over.deps,
    },
  );
}

/** An order as the fake's list shows it, created `minutesAgo` before the clock. */
function seedOrder(id: number, opts: { minutesAgo?: number; status?: string; sku?: string; qty?: number } = {}) {
  const at = toPacific(new Date(clock.now().getTime() - (opts.minutesAgo ?? 10) * 60_000));
  fake.orders.set(String(id), {
    order_id: id,
    order_status: opts.status ?? 'WAIT_SELLER_SEND_GOODS',
    gmt_create: at,
    gmt_update: at,
    logistics_status: 'WAIT_SELLER_SEND_GOODS',
    pay_amount: { amount: '19.99', currency_code: 'EUR' },
    buyer_signer_fullname: `Buyer ${id}`,
    product_list: {
      order_product_dto: [
        {
          child_id: id * 10,
          sku_code: opts.sku ?? 'TS-M',
          product_count: opts.qty ?? 1,
          product_unit_price: { amount: '19.99', currency_code: 'EUR' },
        },
      ],
    },
  });
  fake.receipts.set(String(id), {
    contact_person: `Buyer ${id}`,
    address: 'Calle Mayor 1',
    city: 'Madrid',
    country: 'ES',
  });
}

/** Reads every page since `since`, as the service does. */
async function readAll(c: AliExpressConnector, since: Date): Promise<MarketplaceOrder[]> {
  const all: MarketplaceOrder[] = [];
  let cursor: string | null = null;
  do {
    const page = await c.listOrders({ since, cursor });
    all.push(...page.orders);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

beforeEach(() => {
  clock = new ManualClock('2026-11-30T12:00:00Z');
  sleeps = [];
});
afterEach(async () => {
  await fake?.stop();
});

describe('signatures', () => {
  it('is accepted when right and refused, as a credentials error, when wrong or stale', async () => {
    await startFake();
    seedOrder(1);
    const since = new Date('2026-11-30T00:00:00Z');
    expect((await connector().listOrders({ since })).orders.map((o) => o.external_id)).toEqual(['1']);

    const wrong = connector({ secret: 'not-the-secret' });
    await expect(wrong.listOrders({ since })).rejects.toBeInstanceOf(MarketplaceAuthError);
    expect(fake.calls.at(-1)!.outcome).toBe('IncompleteSignature');

    const stale = connector({ deps: { now: () => new Date(clock.now().getTime() - 7_300_000) } });
    await expect(stale.listOrders({ since })).rejects.toThrow(/InvalidTimestamp/);
    expect(sleeps).toEqual([]); // credential refusals are not retried
  });

  it('refuses a request whose parameters were changed after signing', async () => {
    await startFake();
    const { AliExpressClient } = await import('../../src/marketplaces/aliexpress/client.js');
    const { resolveDeps } = await import('../../src/marketplaces/http.js');
    const client = new AliExpressClient(
      fake.url,
      { app_key: fake.appKey, app_secret: fake.appSecret, access_token: fake.accessToken },
      resolveDeps({ now: () => clock.now() }),
    );
    const form = client.signedForm(
      'aliexpress.solution.order.fulfill',
      { out_ref: '1', logistics_no: 'A1' },
      clock.now(),
    );
    form.set('logistics_no', 'B2');
    const res = await fetch(fake.url, { method: 'POST', body: form });
    expect(((await res.json()) as { error_response: { code: string } }).error_response.code).toBe(
      'IncompleteSignature',
    );
  });
});

describe('order import', () => {
  it('reads several pages of a fixed window, each order once, with the address of those to ship', async () => {
    await startFake({ rateLimit: null });
    for (let i = 1; i <= 120; i++)
      seedOrder(1000 + i, {
        minutesAgo: i,
        status: i % 30 === 0 ? 'WAIT_SELLER_SEND_GOODS' : 'WAIT_BUYER_ACCEPT_GOODS',
      });
    seedOrder(9999, { minutesAgo: 60 * 24 * 3 }); // before the window
    const orders = await readAll(connector(), new Date(clock.now().getTime() - 24 * 3600_000));
    expect(orders).toHaveLength(120);
    expect(new Set(orders.map((o) => o.external_id)).size).toBe(120);
    expect(fake.callsOf('aliexpress.solution.order.get').map((c) => JSON.parse(c.params.param0!).current_page)).toEqual(
      [1, 2, 3],
    );
    const toShip = orders.filter((o) => o.status === 'unshipped');
    expect(toShip).toHaveLength(4);
    expect(toShip.every((o) => o.shipping_address?.city === 'Madrid')).toBe(true);
    expect(fake.callsOf('aliexpress.solution.order.receiptinfo.get')).toHaveLength(4);
  });

  it('starts again from page 1 when the window shifts while paging, so no order is skipped', async () => {
    await startFake({ rateLimit: null });
    for (let i = 1; i <= 120; i++) seedOrder(2000 + i, { minutesAgo: i, status: 'WAIT_BUYER_ACCEPT_GOODS' });
    const c = connector();
    const since = new Date(clock.now().getTime() - 24 * 3600_000);
    const seen = new Set<string>();
    const first = await c.listOrders({ since });
    first.orders.forEach((o) => seen.add(o.external_id));
    // the newest order changes now: it leaves the fixed window and every later order moves up one place
    clock.advance(60_000);
    fake.orders.get('2001')!.gmt_update = toPacific(clock.now());
    let cursor = first.next_cursor;
    while (cursor) {
      const page = await c.listOrders({ since, cursor });
      page.orders.forEach((o) => seen.add(o.external_id));
      cursor = page.next_cursor;
    }
    expect(seen.size).toBe(120);
  });

  it('gives the same order the same id on every read: importing it twice is the service’s one order', async () => {
    await startFake();
    seedOrder(77);
    const c = connector();
    const since = new Date('2026-11-30T00:00:00Z');
    const a = await readAll(c, since);
    fake.orders.get('77')!.gmt_update = toPacific(clock.now()); // modified: it comes again in the next window
    const b = await readAll(c, since);
    expect(a.map((o) => o.external_id)).toEqual(['77']);
    expect(b.map((o) => o.external_id)).toEqual(['77']);
    expect(b[0]!.lines).toEqual(a[0]!.lines);
  });
});

describe('throttling', () => {
  it('backs off on the gateway’s call limit for at least the ban it announces, then completes', async () => {
    await startFake({ rateLimit: { calls: 2, windowMs: 1000 } });
    for (let i = 1; i <= 120; i++) seedOrder(3000 + i, { minutesAgo: i, status: 'WAIT_BUYER_ACCEPT_GOODS' });
    for (let i = 1; i <= 4; i++) seedOrder(3500 + i, { minutesAgo: 200 + i });
    const orders = await readAll(connector(), new Date(clock.now().getTime() - 24 * 3600_000));
    expect(orders).toHaveLength(124);
    const limited = fake.calls.filter((c) => c.outcome === 'ApiCallLimit');
    expect(limited.length).toBeGreaterThan(0);
    expect(sleeps).toHaveLength(limited.length);
    expect(sleeps.every((ms) => ms >= 1000)).toBe(true); // "This ban will last for 1 more seconds" is a floor
  });

  it('retries a plain HTTP 429, and gives up with a ThrottledError after its attempts', async () => {
    await startFake({ rateLimit: null });
    seedOrder(1);
    const since = new Date('2026-11-30T00:00:00Z');
    fake.inject('throttle_http');
    expect((await connector().listOrders({ since })).orders).toHaveLength(1);
    expect(sleeps).toHaveLength(1);

    fake.inject('throttle', 5);
    const err = await connector()
      .listOrders({ since })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect((err as ThrottledError).retryAfterMs).toBe(1000);
    expect(fake.calls.filter((c) => c.outcome === 'throttle')).toHaveLength(5);
  });
});

describe('timeouts and malformed answers', () => {
  it('retries a call that timed out; a shipment confirmation whose first try landed counts once', async () => {
    await startFake({ rateLimit: null, slowMs: 400 });
    seedOrder(1);
    const c = connector({ deps: { timeoutMs: 150 } });
    fake.inject('timeout');
    expect((await c.listOrders({ since: new Date('2026-11-30T00:00:00Z') })).orders).toHaveLength(1);
    expect(fake.callsOf('aliexpress.solution.order.get')).toHaveLength(2);

    // the fake applies the slow first try and answers too late; the retry is refused (already shipped) and the
    // order's logistics show our tracking number: done, once
    fake.inject('timeout');
    const shipment = { external_order_id: '1', lines: [], carrier: 'SEUR', tracking: 'ES1', shipped_at: clock.now() };
    await c.confirmShipment(shipment);
    expect(fake.callsOf('aliexpress.solution.order.fulfill')).toHaveLength(2);
    expect(fake.fulfilments).toEqual([{ out_ref: '1', service_name: 'SEUR', logistics_no: 'ES1', send_type: 'all' }]);

    // a different shipment for an order already shipped is a refusal
    await expect(c.confirmShipment({ ...shipment, tracking: 'ES2' })).rejects.toBeInstanceOf(MarketplaceRejectedError);
  });

  it('throws a clean error on an answer that is not JSON or not the documented shape, and loses nothing', async () => {
    await startFake({ rateLimit: null });
    for (let i = 1; i <= 3; i++) seedOrder(i, { minutesAgo: i });
    const c = connector();
    const since = new Date('2026-11-30T00:00:00Z');
    fake.inject('malformed');
    await expect(c.listOrders({ since })).rejects.toBeInstanceOf(MalformedResponseError);
    fake.inject('bad_shape');
    await expect(c.listOrders({ since })).rejects.toBeInstanceOf(MalformedResponseError);
    // the same query again (the cursor never moved) reads everything
    expect((await readAll(c, since)).map((o) => o.external_id).sort()).toEqual(['1', '2', '3']);

    // one order on the page without its SKU code: the page is refused whole, no order of it half-imported
    (
      fake.orders.get('2')!.product_list as { order_product_dto: Record<string, unknown>[] }
    ).order_product_dto[0]!.sku_code = '';
    await expect(c.listOrders({ since })).rejects.toThrow(/sku_code/);
  });
});

describe('stock pushes', () => {
  it('during a flash sale never publishes more than the channel may promise', async () => {
    await startFake({ rateLimit: { calls: 4, windowMs: 1000 } });
    // 45 products × 3 sizes, 10 each promised at the start
    const promise = new Map<string, number>();
    const productOf = new Map<string, string>();
    for (let p = 0; p < 45; p++) {
      const id = String(1005000000000000 + p);
      const skus: Record<string, { inventory: number; price: string }> = {};
      for (const size of ['S', 'M', 'L']) {
        const sku = `P${p}-${size}`;
        skus[sku] = { inventory: 10, price: '19.99' };
        promise.set(sku, 10);
        productOf.set(sku, id);
      }
      fake.addProduct(id, skus);
    }
    const c = connector();
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let dirty = new Set<string>(promise.keys());
    for (let tick = 0; tick < 25; tick++) {
      // sales between pushes: the promise only goes down
      for (let n = 0; n < 40; n++) {
        const sku = [...promise.keys()][Math.floor(rand() * promise.size)]!;
        if (promise.get(sku)! > 0) {
          promise.set(sku, promise.get(sku)! - 1);
          dirty.add(sku);
        }
      }
      if (tick % 5 === 2) fake.inject('throttle', 5); // a whole push throttled out: retried next tick
      const updates: StockUpdate[] = [...dirty].map(
        (sku) => ({ sku, quantity: promise.get(sku)!, external_id: productOf.get(sku) }) as StockUpdate,
      );
      const logged = fake.inventoryLog.length;
      try {
        const receipt = await c.pushStock(updates);
        dirty = new Set(receipt.failed.map((f) => f.sku));
      } catch (err) {
        expect(err).toBeInstanceOf(ThrottledError); // nothing sent: every SKU stays dirty, sent later with its latest figure
      }
      for (const e of fake.inventoryLog.slice(logged))
        expect(e.inventory).toBeLessThanOrEqual(promise.get(e.sku_code)!);
    }
    const last = await c.pushStock(
      [...dirty].map((sku) => ({ sku, quantity: promise.get(sku)!, external_id: productOf.get(sku) }) as StockUpdate),
    );
    expect(last.failed).toEqual([]);
    for (const [sku, q] of promise) expect(fake.products.get(productOf.get(sku)!)!.skus.get(sku)!.inventory).toBe(q);
    expect(fake.largest.products).toBeLessThanOrEqual(20);
    expect(fake.calls.some((call) => call.outcome === 'ApiCallLimit' || call.outcome === 'throttle')).toBe(true);
  });

  it('reports SKUs it cannot address instead of guessing, and pushes the rest in batches of 20 products', async () => {
    await startFake({ rateLimit: null });
    for (let p = 0; p < 21; p++) fake.addProduct(String(p + 1), { [`S${p}`]: { inventory: 0, price: '1.00' } });
    const updates = [
      ...Array.from({ length: 21 }, (_, p) => ({ sku: `S${p}`, quantity: 3, external_id: String(p + 1) })),
      { sku: 'NEW', quantity: 3 },
    ] as StockUpdate[];
    const receipt = await connector().pushStock(updates);
    expect(receipt.state).toBe('done');
    expect(receipt.failed).toEqual([{ sku: 'NEW', message: expect.stringMatching(/not published/) }]);
    expect(fake.callsOf('aliexpress.solution.batch.product.inventory.update')).toHaveLength(2);
    expect(fake.products.get('21')!.skus.get('S20')!.inventory).toBe(3);
  });
});

describe('offers, shipments and cancellations', () => {
  const offer = (sku: string, size: string, over: Partial<OfferInput> = {}): OfferInput => ({
    sku,
    gtin: null,
    title: 'Camiseta básica',
    price: { amount: 1999, currency: 'EUR' },
    quantity: 5,
    attributes: { size, product_id: 'prd_1', image_urls: 'https://cdn.example.com/ts.jpg' },
    ...over,
  });

  it('posts a new product with its variants, then updates it in place', async () => {
    await startFake({ rateLimit: null });
    const c = connector({ settings: { category_id: '200000345' } });
    const first = await c.publishOffers([offer('TS-M', 'M'), offer('TS-L', 'L', { quantity: 2 })]);
    expect(first.every((r) => r.ok)).toBe(true);
    const productId = first[0]!.external_id!;
    expect(first[1]!.external_id).toBe(productId);
    expect([...fake.products.get(productId)!.skus]).toEqual([
      ['TS-M', { inventory: 5, price: '19.99' }],
      ['TS-L', { inventory: 2, price: '19.99' }],
    ]);

    const again = await c.publishOffers([
      {
        ...offer('TS-M', 'M', { quantity: 1, price: { amount: 1499, currency: 'EUR' } }),
        external_id: productId,
      } as OfferInput,
    ]);
    expect(again).toEqual([{ sku: 'TS-M', ok: true, external_id: productId }]);
    expect(fake.products.size).toBe(1);
    expect(fake.products.get(productId)!.skus.get('TS-M')).toEqual({ inventory: 1, price: '14.99' });

    const refused = await c.publishOffers([offer('X', 'S', { attributes: { size: 'S' } })]);
    expect(refused).toEqual([{ sku: 'X', ok: false, message: expect.stringMatching(/image/) }]);
    expect(fake.callsOf('aliexpress.solution.product.post')).toHaveLength(1);
  });

  it('confirms a shipment with the mapped logistics service and tracking, once however often it is sent', async () => {
    await startFake({ rateLimit: null });
    seedOrder(500);
    const c = connector({ settings: { carrier_map: JSON.stringify({ correos: 'CORREOS_ES' }) } });
    const shipment = {
      external_order_id: '500',
      lines: [],
      carrier: 'correos',
      tracking: 'PQ123ES',
      shipped_at: clock.now(),
    };
    await c.confirmShipment(shipment);
    expect(fake.fulfilments).toEqual([
      { out_ref: '500', service_name: 'CORREOS_ES', logistics_no: 'PQ123ES', send_type: 'all' },
    ]);
    await c.confirmShipment(shipment); // the service's retry of a confirmation it is unsure about
    expect(fake.fulfilments).toHaveLength(1);
    await expect(c.confirmShipment({ ...shipment, external_order_id: '404' })).rejects.toBeInstanceOf(
      MarketplaceRejectedError,
    );
    // a parcel that does not complete the order is sent as a part; the last one closes it
    seedOrder(501);
    await c.confirmShipment({ ...shipment, external_order_id: '501', tracking: 'P1', final: false });
    await c.confirmShipment({ ...shipment, external_order_id: '501', tracking: 'P2', final: true });
    expect(fake.fulfilments.filter((f) => f.out_ref === '501').map((f) => f.send_type)).toEqual(['part', 'all']);
  });

  it('reads cancellations from the order list and refuses to cancel through the seller API', async () => {
    await startFake({ rateLimit: null });
    seedOrder(600);
    seedOrder(601, { status: 'FINISH' });
    fake.orders.get('601')!.end_reason = 'buyer_cancel_order';
    const c = connector();
    const page = await c.listChanges({ since: new Date('2026-11-30T00:00:00Z') });
    expect(page.changes).toEqual([
      { kind: 'cancellation', external_order_id: '601', lines: [], reason: 'buyer_cancel_order', at: expect.any(Date) },
    ]);
    await expect(c.cancelOrder('600', 'out of stock')).rejects.toThrow(/Seller Center/);
  });
});

describe('seller authorisation (/rest token calls, signed with their path)', () => {
  it('exchanges the OAuth code once, renews the tokens, and the old access token stops working', async () => {
    await startFake({ rateLimit: null });
    seedOrder(1);
    const app = { app_key: fake.appKey, app_secret: fake.appSecret };
    const deps = { now: () => clock.now() };
    const first = await createTokens(fake.url, app, '3_34567890_fakeAuthCode', deps);
    expect(first.access_token).toBe(fake.accessToken);
    expect(first.expires_at.getTime()).toBe(clock.now().getTime() + 30 * 86_400_000);
    await expect(createTokens(fake.url, app, '3_34567890_fakeAuthCode', deps)).rejects.toBeInstanceOf(
      MarketplaceRejectedError,
    ); // a code is single use

    await expect(
      refreshTokens(fake.url, { ...app, app_secret: 'wrong' }, first.refresh_token, deps),
    ).rejects.toBeInstanceOf(MarketplaceAuthError);
    expect(fake.calls.at(-1)!.outcome).toBe('IncompleteSignature');

    const renewed = await refreshTokens(fake.url, app, first.refresh_token, deps);
    expect(renewed.access_token).not.toBe(first.access_token);
    const since = new Date('2026-11-30T00:00:00Z');
    await expect(connector().listOrders({ since })).resolves.toMatchObject({ orders: [{ external_id: '1' }] });
    const stale = new AliExpressConnector(
      {
        base_url: fake.url,
        credentials: { app_key: fake.appKey, app_secret: fake.appSecret, access_token: first.access_token },
        settings: {},
      },
      deps,
    );
    await expect(stale.listOrders({ since })).rejects.toThrow(/IllegalAccessToken/);
  });
});
