import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { metaOrder, startMetaFake, type MetaFake } from './meta-fake.js';

/** The sealing key, and the development switch that lets the connector reach the fake on 127.0.0.1. */
const ENV = { OMNIA_SECRETS_KEY: 'b2'.repeat(32), OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' };

/** An Instagram Shop's orders through the generic marketplace service and the Meta connector (local fake Graph API). */
describe('Instagram Shop orders through the marketplace service', () => {
  let t: TestApp;
  let fake: MetaFake;
  let connectionId: string;
  let channelId: string;
  const clock = new ManualClock(new Date());
  const SKU = 'IG-TEE-M';
  const mk = () => t.omnia.services.marketplaces;

  beforeAll(async () => {
    fake = await startMetaFake({ pageSize: 2 });
    t = await startTestApp({ clock, env: ENV });
    const s = t.omnia.services;
    const [wh] = await s.network.createLocations([
      {
        code: 'ig-wh',
        type: 'warehouse',
        name: 'Warehouse',
        lat: 40.3,
        lng: -3.6,
        address: { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' },
        capabilities: ['ship'],
      },
    ]);
    await s.catalog.createProduct({
      code: 'ig-tee',
      name: 'Camiseta',
      category: 'clothing',
      variants: [{ sku: SKU, weight_g: 200, prices: [{ currency: 'EUR', list_amount: 1995 }] }],
    });
    await s.inventory.recordMovement({ sku: SKU, location_id: wh!.id, type: 'receipt', quantity: 10 });
    const channel = await s.network.createChannel({
      code: 'instagram',
      type: 'social',
      name: 'Instagram Shop',
      stock_policy: { safety_stock: 1, buffer_pct: 5 },
    });
    channelId = channel.id;
    const conn = await t.request('POST', '/v1/marketplaces/connections', {
      body: {
        channel: 'instagram',
        provider: 'meta',
        base_url: fake.url,
        credentials: fake.credentials,
        settings: fake.settings,
        orders_since: '2020-01-01T00:00:00Z',
      },
    });
    if (conn.status !== 201) throw new Error(`connection: ${JSON.stringify(conn.body)}`);
    connectionId = conn.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('imports an Instagram order once, however often Meta lists it, into the social channel', async () => {
    fake.orders.push(metaOrder('ig-100', [{ sku: SKU, quantity: 2 }], { at: clock.now().toISOString() }));
    await mk().importDue();
    // Listed again: acknowledged orders stay listed (IN_PROGRESS) until shipped, and a second worker may ask too.
    clock.advance(600_000);
    await mk().importDue();
    await mk().syncNow(connectionId);
    expect(fake.acknowledged).toEqual(['ig-100']);
    const rows = await t.request('GET', '/v1/marketplaces/orders?status=imported');
    const mine = rows.body.items.filter((o: { external_id: string }) => o.external_id === 'ig-100');
    expect(mine).toHaveLength(1);
    const order = await t.request('GET', `/v1/orders/${mine[0].order_id}`);
    expect(order.body.channel_id).toBe(channelId);
    const orders = await t.omnia.services.orders.list({ channel: channelId } as never);
    expect(orders.filter((o) => o.channel_id === channelId)).toHaveLength(1);
    expect((await t.omnia.services.inventory.stock(SKU)).levels[0]!.reserved).toBe(2);
  });

  it('tells Meta the order shipped, with carrier and tracking, once', async () => {
    const rows = await t.request('GET', '/v1/marketplaces/orders?status=imported');
    const row = rows.body.items.find((o: { external_id: string }) => o.external_id === 'ig-100');
    await t.omnia.dispatcher.drain();
    await t.omnia.services.fulfillment.processInbox();
    await t.omnia.dispatcher.drain();
    const [task] = await t.omnia.services.fulfillment.ofOrder(row.order_id);
    for (const body of [
      { action: 'accept' },
      { action: 'pick' },
      { action: 'pack' },
      { action: 'ship', tracking: 'PQ9ES' },
    ])
      expect((await t.request('POST', `/v1/fulfillments/${task!.id}/actions`, { body })).status).toBe(200);
    await t.omnia.dispatcher.drain();
    await mk().actionsDue();
    await t.omnia.dispatcher.drain();
    await mk().actionsDue();
    const sent = fake.shipments.filter((s) => s.orderId === 'ig-100');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({
      items: [{ item_id: 'ig-100-item-1', quantity: 2 }],
      tracking_info: { tracking_number: 'PQ9ES' },
    });
    expect(fake.orders.find((o) => o.id === 'ig-100')!.state).toBe('COMPLETED');
  });
});
