import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  amazonConnector,
  MalformedResponseError,
  MarketplaceAuthError,
  MarketplaceTimeoutError,
  ThrottledError,
  type MarketplaceConnector,
} from '../../src/marketplaces/index.js';
import { amazonOrder, startAmazonFake, type AmazonFake } from './fakes/amazon-fake.js';

/** The Amazon connector against the local fake SP-API: no database, the documented shapes only. */
describe('Amazon SP-API connector', () => {
  let fake: AmazonFake;
  let waits: number[];
  const build = (over: { credentials?: Record<string, string>; timeoutMs?: number; maxAttempts?: number } = {}) =>
    amazonConnector(
      { base_url: fake.url, credentials: over.credentials ?? fake.credentials, settings: fake.settings },
      {
        // Back-off waits are recorded, not slept: the test sees how long the connector would wait.
        sleep: async (ms) => void waits.push(ms),
        random: () => 0.5,
        timeoutMs: over.timeoutMs ?? 2000,
        maxAttempts: over.maxAttempts ?? 5,
      },
    );
  let amazon: MarketplaceConnector;

  beforeAll(async () => {
    fake = await startAmazonFake({ pageSize: 3 });
  });
  afterAll(async () => fake?.close());
  beforeEach(() => {
    waits = [];
    fake.clearFaults();
    amazon = build();
  });

  it('exchanges the refresh token for an access token once and reuses it', async () => {
    const before = fake.tokensIssued;
    await amazon.listOrders({ since: new Date('2020-01-01') });
    await amazon.listOrders({ since: new Date('2020-01-01') });
    expect(fake.tokensIssued - before).toBe(1);
  });

  it('renews an access token the API no longer accepts', async () => {
    await amazon.listOrders({ since: new Date('2020-01-01') });
    fake.expireTokens();
    const before = fake.tokensIssued;
    await amazon.listOrders({ since: new Date('2020-01-01') });
    expect(fake.tokensIssued - before).toBe(1);
  });

  it('refuses wrong credentials as an auth error, not a retry', async () => {
    const bad = build({ credentials: { ...fake.credentials, refresh_token: 'Atzr|wrong' } });
    await expect(bad.listOrders({ since: new Date('2020-01-01') })).rejects.toBeInstanceOf(MarketplaceAuthError);
    expect(waits).toEqual([]);
  });

  it('pages orders with NextToken and reads each order’s items', async () => {
    const since = new Date(Date.now() - 1000);
    const ids = Array.from({ length: 7 }, (_, i) => `171-5550000-00000${i}`);
    for (const id of ids)
      fake.orders.push(
        amazonOrder(id, [
          { sku: 'P-1', quantity: 1 },
          { sku: 'P-2', quantity: 2, price: '31.90' },
        ]),
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await amazon.listOrders({ since, cursor });
      seen.push(...page.orders.map((o) => o.external_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.filter((s) => ids.includes(s)).sort()).toEqual(ids);
    const one = (await amazon.listOrders({ since })).orders[0]!;
    expect(one.status).toBe('unshipped');
    expect(one.lines[1]).toMatchObject({ sku: 'P-2', quantity: 2, unit_price: { amount: 1595, currency: 'EUR' } });
    expect(one.shipping_address?.postal_code).toBe('28014');
  });

  it('backs off exponentially with jitter on 429 and honours the announced rate', async () => {
    fake.inject('orders.getOrders', 'throttle', 3);
    await amazon.listOrders({ since: new Date('2020-01-01') });
    expect(waits).toHaveLength(3);
    // getOrders is announced at 0.0167 requests/s: never back sooner than one slot (≈ 60 s).
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(20_000);
  });

  it('gives up after its attempts with a ThrottledError (the job tries again later)', async () => {
    fake.inject('orders.getOrderItems', 'throttle', 10);
    fake.orders.push(amazonOrder('171-5550000-999999', [{ sku: 'P-1', quantity: 1 }]));
    const err = await amazon.listOrders({ since: new Date(Date.now() - 1000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottledError);
    expect(waits).toHaveLength(4); // 5 attempts
    expect(waits[1]!).toBeGreaterThanOrEqual(waits[0]!);
  });

  it('is held to its usage plan by the API: past the burst it is throttled, waits a slot of the announced rate, then gives up', async () => {
    fake.rate('feeds.getFeed', 0.001, 2);
    const id = (await amazon.pushStock([{ sku: 'RATE-1', quantity: 3 }])).submission_id;
    await amazon.pushStatus(id);
    await amazon.pushStatus(id);
    waits = [];
    await expect(amazon.pushStatus(id)).rejects.toBeInstanceOf(ThrottledError);
    expect(fake.calls.filter((c) => c.operation === 'feeds.getFeed' && c.status === 429).length).toBe(5);
    // 0.001 requests/s asks for 1000 s; the wait is capped at the back-off ceiling (20 s), never shorter.
    expect(waits).toEqual([20_000, 20_000, 20_000, 20_000]);
    fake.rate('feeds.getFeed', 1000, 1000);
  });

  it('retries a timed-out read, and reports a malformed answer as such', async () => {
    const quick = build({ timeoutMs: 150 });
    fake.inject('orders.getOrders', 'timeout', 1);
    await quick.listOrders({ since: new Date('2020-01-01') });
    expect(waits).toHaveLength(1);
    fake.inject('orders.getOrders', 'timeout', 10);
    await expect(
      build({ timeoutMs: 100, maxAttempts: 2 }).listOrders({ since: new Date('2020-01-01') }),
    ).rejects.toBeInstanceOf(MarketplaceTimeoutError);
    fake.clearFaults();
    fake.inject('orders.getOrders', 'malformed', 10);
    await expect(build({ maxAttempts: 2 }).listOrders({ since: new Date('2020-01-01') })).rejects.toBeInstanceOf(
      MalformedResponseError,
    );
  });

  it('publishes a listing and pushes a JSON_LISTINGS_FEED whose refused SKUs come back failed', async () => {
    const res = await amazon.publishOffers([
      {
        sku: 'PUB-1',
        gtin: null,
        title: 'Tee - M',
        price: { amount: 1995, currency: 'EUR' },
        quantity: 4,
        attributes: { size: 'M' },
      },
    ]);
    expect(res).toEqual([{ sku: 'PUB-1', ok: true, external_id: null }]);
    expect(fake.listings.get('PUB-1')).toEqual({ quantity: 4, price: 1995 });
    fake.rejectSkus.add('PUB-BAD');
    const receipt = await amazon.pushStock([
      { sku: 'PUB-1', quantity: 2 },
      { sku: 'PUB-BAD', quantity: 1 },
    ]);
    expect(receipt.state).toBe('pending');
    let status = await amazon.pushStatus(receipt.submission_id);
    while (status.state === 'pending') status = await amazon.pushStatus(receipt.submission_id);
    expect(status.state).toBe('done');
    expect(status.failed.map((f) => f.sku)).toEqual(['PUB-BAD']);
    expect(fake.listings.get('PUB-1')!.quantity).toBe(2);
  });

  it('confirms a shipment with carrier, tracking and the order items', async () => {
    fake.orders.push(amazonOrder('171-5550000-777777', [{ sku: 'S-1', quantity: 2 }]));
    await amazon.confirmShipment({
      external_order_id: '171-5550000-777777',
      lines: [{ external_line_id: '171-5550000-777777-1', quantity: 2 }],
      carrier: 'Correos',
      tracking: 'PQ123456789ES',
      shipped_at: new Date('2026-01-02T10:00:00Z'),
    });
    const s = fake.shipments.find((x) => x.orderId === '171-5550000-777777')!;
    expect(s.body.packageDetail).toMatchObject({
      carrierCode: 'Correos',
      trackingNumber: 'PQ123456789ES',
      orderItems: [{ orderItemId: '171-5550000-777777-1', quantity: 2 }],
    });
  });
});
