import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { startAmazonFake, amazonOrder, type AmazonFake } from './fakes/amazon-fake.js';
import { FAKE_ENV, setupAmazonShop, type AmazonShop } from './fixtures.js';

/** The generic marketplace service driving Amazon (the local fake SP-API) on a real database. */
describe('Amazon through the marketplace service', () => {
  let t: TestApp;
  let fake: AmazonFake;
  let shop: AmazonShop;
  const clock = new ManualClock(new Date());
  const mk = () => t.omnia.services.marketplaces;
  /** Lets debounce windows pass and runs the feed job until every feed is processed and nothing waits. */
  async function pushAndSettle(): Promise<void> {
    for (let i = 0; i < 8; i++) {
      clock.advance(31_000);
      await mk().pushDue();
      const open = await t.database.db
        .selectFrom('marketplace_feeds')
        .select('id')
        .where('state', 'in', ['sending', 'pending'])
        .execute();
      const dirty = await t.database.db
        .selectFrom('marketplace_offers')
        .select('sku')
        .where('dirty_mark', 'is not', null)
        .execute();
      if (open.length === 0 && dirty.length === 0) return;
    }
    throw new Error('feeds did not settle');
  }

  beforeAll(async () => {
    fake = await startAmazonFake({ pageSize: 2 });
    t = await startTestApp({ clock, env: FAKE_ENV });
    shop = await setupAmazonShop(t, fake, { safety_stock: 2, buffer_pct: 10 });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('keeps the credentials sealed at rest and never shows them', async () => {
    const row = await t.database.db
      .selectFrom('marketplace_connections')
      .select('credentials')
      .where('id', '=', shop.connectionId)
      .executeTakeFirstOrThrow();
    expect(row.credentials.startsWith('v1.')).toBe(true);
    expect(row.credentials).not.toContain(fake.credentials.client_secret);
    expect(row.credentials).not.toContain(fake.credentials.refresh_token);
    const view = await t.request('GET', `/v1/marketplaces/connections/${shop.connectionId}`);
    expect(view.status).toBe(200);
    expect(view.body.credential_names).toEqual(['client_id', 'client_secret', 'refresh_token']);
    expect(JSON.stringify(view.body)).not.toContain(fake.credentials.client_secret);
  });

  it("publishes offers at the channel's price and its availability after buffer and safety stock", async () => {
    const res = await t.request('POST', `/v1/marketplaces/connections/${shop.connectionId}/offers`, {
      body: { skus: shop.skus },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    for (const sku of shop.skus) {
      const atp = await t.request('GET', `/v1/availability?sku=${sku}&channel=m-amazon`);
      expect(fake.listings.get(sku)!.quantity).toBe(atp.body.available);
    }
    // 20 on hand, safety stock 2, buffer 10 %: never the raw 20.
    expect(fake.listings.get(shop.skus[0]!)!.quantity).toBeLessThan(20);
    expect(fake.listings.get(shop.skus[0]!)!.price).toBe(1995);
  });

  it('imports an order once however often Amazon reports it, reserving its stock', async () => {
    fake.orders.push(amazonOrder('402-0000001-0000001', [{ sku: shop.skus[0]!, quantity: 2 }]));
    await mk().importDue();
    // Reported again (the overlap window, a second worker): still one order.
    clock.advance(600_000);
    await mk().importDue();
    await mk().syncNow(shop.connectionId);
    const rows = await t.request('GET', '/v1/marketplaces/orders?status=imported');
    const mine = rows.body.items.filter((o: { external_id: string }) => o.external_id === '402-0000001-0000001');
    expect(mine).toHaveLength(1);
    const order = await t.request('GET', `/v1/orders/${mine[0].order_id}`);
    expect(order.body.channel_id).toBe(shop.channelId);
    const orders = await t.omnia.services.orders.list({ channel: shop.channelId } as never);
    expect(orders.filter((o) => o.channel_id === shop.channelId)).toHaveLength(1);
    const level = (await t.omnia.services.inventory.stock(shop.skus[0]!)).levels[0]!;
    expect(level.reserved).toBe(2);
  });

  it('confirms the shipment to Amazon with carrier and tracking when Omnia ships', async () => {
    const rows = await t.request('GET', '/v1/marketplaces/orders?status=imported');
    const row = rows.body.items.find((o: { external_id: string }) => o.external_id === '402-0000001-0000001');
    await t.omnia.dispatcher.drain();
    await t.omnia.services.fulfillment.processInbox();
    await t.omnia.dispatcher.drain();
    const [task] = await t.omnia.services.fulfillment.ofOrder(row.order_id);
    for (const body of [
      { action: 'accept' },
      { action: 'pick' },
      { action: 'pack' },
      { action: 'ship', tracking: 'PQ1ES' },
    ])
      expect((await t.request('POST', `/v1/fulfillments/${task!.id}/actions`, { body })).status).toBe(200);
    await t.omnia.dispatcher.drain();
    await mk().actionsDue();
    const sent = fake.shipments.filter((x) => x.orderId === '402-0000001-0000001');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.packageDetail).toMatchObject({
      trackingNumber: 'PQ1ES',
      orderItems: [{ orderItemId: '402-0000001-0000001-1', quantity: 2 }],
    });
    // A redelivered event or a second run sends nothing more.
    await t.omnia.dispatcher.drain();
    await mk().actionsDue();
    expect(fake.shipments.filter((x) => x.orderId === '402-0000001-0000001')).toHaveLength(1);
  });

  it('applies a cancellation made on Amazon once: the Omnia order is cancelled and its stock released', async () => {
    const sku = shop.skus[0]!;
    const id = '402-0000003-0000001';
    const reserved = async () => (await t.omnia.services.inventory.stock(sku)).levels[0]!.reserved;
    const before = await reserved();
    const order = amazonOrder(id, [{ sku, quantity: 1 }]);
    fake.orders.push(order);
    await mk().syncNow(shop.connectionId);
    expect(await reserved()).toBe(before + 1);
    const row = (await t.request('GET', '/v1/marketplaces/orders?status=imported&limit=100')).body.items.find(
      (o: { external_id: string }) => o.external_id === id,
    );
    // The buyer cancels on Amazon: getOrders reports it Canceled, changed later.
    order.OrderStatus = 'Canceled';
    order.LastUpdateDate = new Date(clock.now().getTime() + 1000).toISOString();
    clock.advance(2000);
    await mk().syncNow(shop.connectionId);
    // Reported again (the overlap window): nothing more happens.
    await mk().syncNow(shop.connectionId);
    const after = await t.request('GET', `/v1/marketplaces/orders/${row.id}`);
    expect(after.body.status).toBe('cancelled');
    expect((await t.request('GET', `/v1/orders/${row.order_id}`)).body.status).toBe('cancelled');
    expect(await reserved()).toBe(before);
    const events = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'marketplace.order_cancelled')
      .execute();
    const mine = events.filter((e) => (e.payload as { external_id: string }).external_id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.payload).toMatchObject({ by: 'marketplace' });
    // A cancellation that came from Amazon is not sent back to it.
    await t.omnia.dispatcher.drain();
    await mk().actionsDue();
    expect(fake.cancellations).not.toContain(id);
  });

  it('pages through every order with NextToken', async () => {
    for (let i = 2; i <= 6; i++)
      fake.orders.push(amazonOrder(`402-0000001-000000${i}`, [{ sku: shop.skus[1]!, quantity: 1 }]));
    const before = fake.calls.filter((c) => c.operation === 'orders.getOrders').length;
    await mk().syncNow(shop.connectionId);
    const pages = fake.calls.filter((c) => c.operation === 'orders.getOrders').length - before;
    expect(pages).toBeGreaterThanOrEqual(3); // 6 orders, 2 a page
    const rows = await t.request('GET', '/v1/marketplaces/orders?limit=100');
    const ext = rows.body.items.map((o: { external_id: string }) => o.external_id);
    for (let i = 1; i <= 6; i++) expect(ext).toContain(`402-0000001-000000${i}`);
  });

  it('turns an order for stock that is gone into an exception and a webhook event, never an oversell', async () => {
    const last = shop.skus[2]!;
    // The last unit (safety stock aside, the channel may promise none of it): the order cannot be filled.
    fake.orders.push(amazonOrder('402-0000009-0000001', [{ sku: last, quantity: 1 }]));
    await mk().syncNow(shop.connectionId);
    const ex = await t.request('GET', '/v1/marketplaces/orders?status=exception');
    const row = ex.body.items.find((o: { external_id: string }) => o.external_id === '402-0000009-0000001');
    expect(row.problem.type).toBe('insufficient_stock');
    expect(row.order_id).toBeNull();
    const level = (await t.omnia.services.inventory.stock(last)).levels[0]!;
    expect(level.reserved).toBe(0);
    const events = await t.database.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('type', '=', 'marketplace.order_exception')
      .execute();
    expect(events.some((e) => (e.payload as { external_id: string }).external_id === '402-0000009-0000001')).toBe(true);
    // Retrying while stock is still short keeps it an exception; cancelling tells Amazon.
    const retry = await t.request('POST', `/v1/marketplaces/orders/${row.id}/retry`, { body: {} });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('exception');
    const cancel = await t.request('POST', `/v1/marketplaces/orders/${row.id}/cancel`, {
      body: { reason: 'out of stock' },
    });
    expect(cancel.body.status).toBe('cancelled');
    await mk().actionsDue();
    expect(fake.feeds.some((f) => f.feedType === 'POST_ORDER_ACKNOWLEDGEMENT_DATA')).toBe(true);
    const again = await t.request('POST', `/v1/marketplaces/orders/${row.id}/cancel`, { body: { reason: 'x' } });
    expect(again.status).toBe(409);
  });

  it('resolves an exception by hand: it leaves the queue with the note, nothing placed or sent', async () => {
    const last = shop.skus[2]!;
    fake.orders.push(amazonOrder('402-0000009-0000002', [{ sku: last, quantity: 1 }]));
    await mk().syncNow(shop.connectionId);
    const ex = await t.request('GET', '/v1/marketplaces/orders?status=exception');
    const row = ex.body.items.find((o: { external_id: string }) => o.external_id === '402-0000009-0000002');
    expect(row.lines[0]).toMatchObject({ sku: last, quantity: 1, unit_price: { amount: 1000, currency: 'EUR' } });
    expect(row.ship_to).toMatchObject({ city: 'Madrid', country: 'ES' });
    const conn = await t.request('GET', `/v1/marketplaces/connections/${shop.connectionId}`);
    expect(conn.body.open_exceptions).toBe(1);
    expect(conn.body.last_import_at).not.toBeNull();
    const bad = await t.request('POST', `/v1/marketplaces/orders/${row.id}/resolve`, { body: { note: '' } });
    expect(bad.status).toBe(400);
    const feedsBefore = fake.feeds.length;
    const res = await t.request('POST', `/v1/marketplaces/orders/${row.id}/resolve`, {
      body: { note: 'shipped from the outlet by hand' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'resolved',
      order_id: null,
      resolution: 'shipped from the outlet by hand',
    });
    await mk().actionsDue();
    expect(fake.feeds.length).toBe(feedsBefore);
    const events = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'marketplace.order_resolved')
      .execute();
    expect(events.map((e) => (e.payload as { external_id: string }).external_id)).toContain('402-0000009-0000002');
    expect((await t.request('GET', `/v1/marketplaces/connections/${shop.connectionId}`)).body.open_exceptions).toBe(0);
    const again = await t.request('POST', `/v1/marketplaces/orders/${row.id}/resolve`, { body: { note: 'x' } });
    expect(again.status).toBe(409);
  });

  it('during a flash sale pushes one feed per window with the latest figure, never more than the channel may promise', async () => {
    const sku = shop.skus[0]!;
    await pushAndSettle();
    const feedsBefore = fake.feeds.filter((f) => f.feedType === 'JSON_LISTINGS_FEED').length;
    // The web shop sells unit after unit; each sale changes stock and marks the SKU.
    for (let i = 0; i < 6; i++) {
      const cart = await t.request('POST', '/v1/carts', { token: shop.webKey, body: {} });
      await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: shop.webKey, body: { sku, quantity: 1 } });
      const co = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
        token: shop.webKey,
        body: {
          delivery: {
            method: 'home',
            address: { line1: 'Calle 2', city: 'Madrid', postal_code: '28002', country: 'ES' },
          },
          email: 'a@example.com',
          payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
        },
      });
      expect(co.status).toBe(201);
      await t.omnia.dispatcher.drain();
      // Mid-sale the job runs but the window has not passed: no feed per movement.
      await mk().pushDue();
    }
    await pushAndSettle();
    // Six movements, two debounce windows: the first change goes at once, the rest wait for the window.
    const feeds = fake.feeds.filter((f) => f.feedType === 'JSON_LISTINGS_FEED').length - feedsBefore;
    expect(feeds).toBeGreaterThanOrEqual(1);
    expect(feeds).toBeLessThanOrEqual(2);
    const atp = await t.request('GET', `/v1/availability?sku=${sku}&channel=m-amazon`);
    expect(fake.listings.get(sku)!.quantity).toBe(atp.body.available);
    // Stock only fell during the sale, so every figure shown must only fall too: none above an earlier one.
    const hist = fake.history.get(sku)!.slice(-feeds - 1);
    for (let i = 1; i < hist.length; i++) expect(hist[i]!).toBeLessThanOrEqual(hist[i - 1]!);
  });

  it('retries a failed push with the latest figure, not the one that failed', async () => {
    const sku = shop.skus[1]!;
    await pushAndSettle();
    const shownBefore = fake.history.get(sku)?.length ?? 0;
    fake.inject('feeds.createFeed', 'server_error', 10); // every try of this push fails
    await t.omnia.services.inventory.recordMovement({
      sku,
      location_id: shop.warehouse.id,
      type: 'receipt',
      quantity: 5,
    });
    await t.omnia.dispatcher.drain();
    clock.advance(31_000);
    await mk().pushDue();
    const failed = await t.database.db
      .selectFrom('marketplace_feeds')
      .selectAll()
      .where('state', '=', 'failed')
      .execute();
    expect(failed.length).toBeGreaterThan(0);
    const failedFigure = (failed.at(-1)!.items as { sku: string; quantity: number }[]).find(
      (i) => i.sku === sku,
    )!.quantity;
    // Stock moves again before the retry.
    await t.omnia.services.inventory.recordMovement({
      sku,
      location_id: shop.warehouse.id,
      type: 'receipt',
      quantity: 7,
    });
    await t.omnia.dispatcher.drain();
    fake.clearFaults();
    await pushAndSettle();
    const atp = await t.request('GET', `/v1/availability?sku=${sku}&channel=m-amazon`);
    expect(atp.body.available).toBeGreaterThan(failedFigure);
    expect(fake.listings.get(sku)!.quantity).toBe(atp.body.available);
    // The failed figure was never shown afterwards: the only figure published since is the latest.
    expect(fake.history.get(sku)!.slice(shownBefore)).toEqual([atp.body.available]);
  });

  it("carries a price change to the next feed, once, at the channel's price", async () => {
    const sku = shop.skus[1]!;
    await pushAndSettle();
    const feedsWithPrice = async () =>
      (await t.database.db.selectFrom('marketplace_feeds').select(['id', 'items']).orderBy('id').execute()).filter(
        (f) => (f.items as { sku: string; price?: { amount: number } }[]).some((i) => i.sku === sku && i.price),
      );
    const before = (await feedsWithPrice()).length;
    // A price for the Amazon channel only: the marketplace shows it, the default price stays for others.
    const put = await t.request('PUT', '/v1/prices', {
      body: { prices: [{ sku, currency: 'EUR', channel_id: shop.channelId, list_amount: 2495 }] },
    });
    expect(put.status).toBe(200);
    await t.omnia.dispatcher.drain();
    const offer = await t.request('GET', `/v1/marketplaces/connections/${shop.connectionId}/offers?limit=50`);
    expect(offer.body.items.find((o: { sku: string }) => o.sku === sku).pending_update).toBe(true);
    await pushAndSettle();
    expect(fake.listings.get(sku)!.price).toBe(2495);
    const priced = (await feedsWithPrice()).slice(before);
    expect(priced).toHaveLength(1);
    const item = (priced[0]!.items as { sku: string; price?: { amount: number } }[]).find((i) => i.sku === sku)!;
    expect(item.price).toMatchObject({ amount: 2495, currency: 'EUR' });
    // A later stock change goes out without the price again: it was published once.
    await t.omnia.services.inventory.recordMovement({
      sku,
      location_id: shop.warehouse.id,
      type: 'receipt',
      quantity: 1,
    });
    await t.omnia.dispatcher.drain();
    const feedsBefore = await t.database.db.selectFrom('marketplace_feeds').select('id').execute();
    await pushAndSettle();
    const feedsAfter = await t.database.db.selectFrom('marketplace_feeds').select('id').execute();
    expect(feedsAfter.length).toBeGreaterThan(feedsBefore.length);
    expect((await feedsWithPrice()).slice(before)).toHaveLength(1);
    const row = await t.database.db
      .selectFrom('marketplace_offers')
      .select('published_price')
      .where('connection_id', '=', shop.connectionId)
      .where('sku', '=', sku)
      .executeTakeFirstOrThrow();
    expect(Number(row.published_price)).toBe(2495);
  });

  it('re-checks published prices, so a sale that opens by the clock reaches the marketplace', async () => {
    const sku = shop.skus[0]!;
    await pushAndSettle();
    const start = new Date(clock.now().getTime() + 3_600_000);
    const put = await t.request('PUT', '/v1/prices', {
      body: {
        prices: [
          {
            sku,
            currency: 'EUR',
            list_amount: 1995,
            sale_amount: 1495,
            valid_from: start.toISOString(),
            valid_to: null,
          },
        ],
      },
    });
    expect(put.status).toBe(200);
    await t.omnia.dispatcher.drain();
    await pushAndSettle();
    expect(fake.listings.get(sku)!.price).toBe(1995); // not on sale yet
    expect(await mk().recheckPrices()).toBe(0);
    // The sale opens with no event at all; the re-check sees the price moved and marks it, once.
    clock.set(new Date(start.getTime() + 1000));
    expect(await mk().recheckPrices()).toBe(1);
    expect(await mk().recheckPrices()).toBe(0);
    await pushAndSettle();
    expect(fake.listings.get(sku)!.price).toBe(1495);
    expect(await mk().recheckPrices()).toBe(0);
  });

  it('pushes waiting stock at once when staff sync now, inside the debounce window', async () => {
    const sku = shop.skus[0]!;
    await pushAndSettle();
    const feeds = () => fake.feeds.filter((f) => f.feedType === 'JSON_LISTINGS_FEED').length;
    fake.rate('orders.getOrders', 50, 50); // earlier tests spent the burst; "sync now" imports too
    // A feed just went out: the window is open for another 30 s, and the next change waits for it …
    await t.database.db
      .updateTable('marketplace_connections')
      .set({ feed_due_at: new Date(clock.now().getTime() + 30_000) })
      .where('id', '=', shop.connectionId)
      .execute();
    const before = feeds();
    await t.omnia.services.inventory.recordMovement({
      sku,
      location_id: shop.warehouse.id,
      type: 'receipt',
      quantity: 1,
    });
    await t.omnia.dispatcher.drain();
    await mk().pushDue();
    expect(feeds()).toBe(before);
    // … unless staff press "sync now".
    const res = await t.request('POST', `/v1/marketplaces/connections/${shop.connectionId}/sync`, { body: {} });
    expect(res.status).toBe(200);
    expect(feeds()).toBe(before + 1);
  });

  it('refuses to run a connector without OMNIA_SECRETS_KEY', async () => {
    const bare = await startTestApp();
    try {
      await bare.omnia.services.network.createChannel({ code: 'x-amazon', type: 'marketplace', name: 'A' });
      const res = await bare.request('POST', '/v1/marketplaces/connections', {
        body: {
          channel: 'x-amazon',
          provider: 'amazon',
          base_url: fake.url,
          credentials: fake.credentials,
          settings: fake.settings,
        },
      });
      expect(res.status).toBe(503);
      expect(res.body.detail).toContain('OMNIA_SECRETS_KEY');
      expect(bare.omnia.services.marketplaces.enabled).toBe(false);
    } finally {
      await bare.close();
    }
  });
});
