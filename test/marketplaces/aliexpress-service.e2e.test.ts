/**
 * AliExpress through the whole app: a connection made over the HTTP API (credentials sealed with
 * OMNIA_SECRETS_KEY), offers published with the channel's availability, orders imported from the fake gateway
 * (twice: one order), and a burst of stock movements pushed as one batched feed with the latest figure —
 * never more than the channel may promise. Real database (PGlite by default, PostgreSQL with OMNIA_TEST_DB=pg).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { toPacific } from '../../src/marketplaces/aliexpress/rules.js';
import { act, drain } from '../fulfillment/fixtures.js';
import { AliExpressFake } from './fakes/aliexpress-fake.js';

const SKUS = ['AE-TEE-M', 'AE-TEE-L'];
let t: TestApp;
let clock: ManualClock;
let fake: AliExpressFake;
let connectionId: string;
let warehouseId: string;

const available = async (sku: string): Promise<number> =>
  (await t.request('GET', `/v1/availability?sku=${sku}&channel=aliexpress`)).body.available as number;

beforeAll(async () => {
  clock = new ManualClock(new Date());
  t = await startTestApp({ clock, env: { OMNIA_SECRETS_KEY: 'a1'.repeat(32), OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' } });
  fake = await new AliExpressFake({ rateLimit: null, now: () => clock.now() }).start();
  const s = t.omnia.services;
  await s.network.createChannel({
    code: 'aliexpress',
    type: 'marketplace',
    name: 'AliExpress',
    currency: 'EUR',
    stock_policy: { locations: 'all', safety_stock: 1, buffer_pct: 20 },
  });
  const [warehouse] = await s.network.createLocations([
    {
      code: 'ae-wh',
      type: 'warehouse',
      name: 'Warehouse',
      lat: 40.3,
      lng: -3.6,
      address: { line1: 'Calle Mayor 1', city: 'Madrid', postal_code: '28013', country: 'ES' },
      capabilities: ['ship'],
    },
  ]);
  warehouseId = warehouse!.id;
  await s.catalog.createProduct({
    code: 'ae-tee',
    name: 'Camiseta',
    category: 'clothing',
    variants: SKUS.map((sku) => ({
      sku,
      size: sku.slice(-1),
      weight_g: 200,
      prices: [{ currency: 'EUR', list_amount: 1999 }],
    })),
  });
  for (const sku of SKUS) {
    await s.inventory.recordMovement({ sku, location_id: warehouseId, type: 'receipt', quantity: 20 });
  }
  const res = await t.request('POST', '/v1/marketplaces/connections', {
    body: {
      channel: 'aliexpress',
      provider: 'aliexpress',
      base_url: fake.url,
      credentials: { app_key: fake.appKey, app_secret: fake.appSecret, access_token: fake.accessToken },
      settings: {
        category_id: '200000345',
        image_url_template: 'https://img.example.com/{sku}.jpg',
        carrier_map: JSON.stringify({ correos: 'CORREOS_ES', seur: 'SEUR_ES' }),
        // the carrier named at ship wins over the connection's default (fulfillment.shipped carries it)
        default_carrier: 'seur',
      },
      orders_since: new Date(clock.now().getTime() - 86_400_000).toISOString(),
      feed_interval_s: 30,
    },
  });
  expect(res.status).toBe(201);
  connectionId = res.body.id;
});

afterAll(async () => {
  await fake?.stop();
  await t?.close();
});

describe('AliExpress through the marketplace service', () => {
  it('publishes the offers with what the channel may promise, not the stock on hand', async () => {
    const res = await t.request('POST', `/v1/marketplaces/connections/${connectionId}/offers`, {
      body: { skus: SKUS },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(fake.products.size).toBeLessThanOrEqual(SKUS.length);
    for (const sku of SKUS) {
      const promise = await available(sku);
      expect(promise).toBeLessThan(20); // safety stock and buffer held back
      const listed = [...fake.products.values()].find((p) => p.skus.has(sku))!;
      expect(listed.skus.get(sku)).toEqual({ inventory: promise, price: '19.99' });
    }
  });

  it('imports an order reported twice as one Omnia order of the channel', async () => {
    const at = toPacific(new Date(clock.now().getTime() - 5 * 60_000));
    fake.orders.set('8100000000001', {
      order_id: 8100000000001,
      order_status: 'WAIT_SELLER_SEND_GOODS',
      gmt_create: at,
      gmt_update: at,
      logistics_status: 'WAIT_SELLER_SEND_GOODS',
      pay_amount: { amount: '39.98', currency_code: 'EUR' },
      buyer_signer_fullname: 'Ana Pereira',
      product_list: {
        order_product_dto: [
          {
            child_id: 8100000000011,
            sku_code: 'AE-TEE-M',
            product_count: 2,
            product_unit_price: { amount: '19.99', currency_code: 'EUR' },
          },
        ],
      },
    });
    fake.receipts.set('8100000000001', {
      contact_person: 'Ana Pereira',
      address: 'Calle Luna 3',
      city: 'Madrid',
      zip: '28004',
      province: 'Madrid',
      country: 'ES',
      mobile_no: '600000000',
    });
    const before = await available('AE-TEE-M');
    expect((await t.request('POST', `/v1/marketplaces/connections/${connectionId}/sync`)).status).toBe(200);
    // the order changes on AliExpress and is listed again
    clock.advance(60_000);
    fake.orders.get('8100000000001')!.gmt_update = toPacific(clock.now());
    expect((await t.request('POST', `/v1/marketplaces/connections/${connectionId}/sync`)).status).toBe(200);

    const imported = await t.request('GET', `/v1/marketplaces/orders?connection_id=${connectionId}`);
    expect(imported.body.items).toHaveLength(1);
    expect(imported.body.items[0]).toMatchObject({ external_id: '8100000000001', problem: null });
    expect(imported.body.items[0].order_id).toEqual(expect.any(String));
    const orders = await t.request('GET', '/v1/orders?channel=aliexpress');
    expect(orders.body.items).toHaveLength(1);
    expect(await available('AE-TEE-M')).toBeLessThan(before); // its stock is reserved
  });

  it('confirms the shipment on AliExpress with carrier and tracking when Omnia ships it', async () => {
    const imported = await t.request('GET', `/v1/marketplaces/orders?connection_id=${connectionId}`);
    const orderId = imported.body.items.find(
      (o: { external_id: string }) => o.external_id === '8100000000001',
    ).order_id;
    await drain(t); // the order's fulfillment tasks are made from its event
    const [task] = await t.omnia.services.fulfillment.ofOrder(orderId);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, task!.id, { action })).status).toBe(200);
    expect((await act(t, task!.id, { action: 'ship', carrier: 'correos', tracking: 'PQ123ES' })).status).toBe(200);
    await drain(t);
    await t.omnia.services.marketplaces.actionsDue();
    expect(fake.fulfilments).toEqual([
      { out_ref: '8100000000001', service_name: 'CORREOS_ES', logistics_no: 'PQ123ES', send_type: 'all' },
    ]);
    await t.omnia.services.marketplaces.actionsDue(); // done once: nothing left to send
    expect(fake.callsOf('aliexpress.solution.order.fulfill')).toHaveLength(1);
  });

  it('turns an order for stock that is gone into an exception, never an oversell', async () => {
    // The connectors read the real clock (the app's ManualClock is ahead by now): stamp the order in real time.
    const at = toPacific(new Date(Date.now() - 30_000));
    fake.orders.set('8100000000002', {
      order_id: 8100000000002,
      order_status: 'WAIT_SELLER_SEND_GOODS',
      gmt_create: at,
      gmt_update: at,
      pay_amount: { amount: '1999.00', currency_code: 'EUR' },
      product_list: {
        order_product_dto: [{ child_id: 8100000000012, sku_code: 'AE-TEE-L', product_count: 100 }],
      },
    });
    fake.receipts.set('8100000000002', {
      contact_person: 'B',
      address: 'Rua 1',
      city: 'Porto',
      zip: '4000-001',
      country: 'PT',
    });
    const before = await available('AE-TEE-L');
    expect((await t.request('POST', `/v1/marketplaces/connections/${connectionId}/sync`)).status).toBe(200);
    const row = (await t.request('GET', `/v1/marketplaces/orders?connection_id=${connectionId}`)).body.items.find(
      (o: { external_id: string }) => o.external_id === '8100000000002',
    );
    expect(row).toMatchObject({ order_id: null, problem: { type: 'insufficient_stock' } });
    expect(await available('AE-TEE-L')).toBe(before);
    expect((await t.request('GET', '/v1/orders?channel=aliexpress')).body.items).toHaveLength(1);
  });

  it('cancels the Omnia order, giving its stock back, when the buyer cancels on AliExpress', async () => {
    const at = toPacific(new Date(Date.now() - 20_000));
    const dto: Record<string, unknown> = {
      order_id: 8100000000003,
      order_status: 'WAIT_SELLER_SEND_GOODS',
      gmt_create: at,
      gmt_update: at,
      logistics_status: 'WAIT_SELLER_SEND_GOODS',
      pay_amount: { amount: '19.99', currency_code: 'EUR' },
      product_list: { order_product_dto: [{ child_id: 8100000000013, sku_code: 'AE-TEE-L', product_count: 1 }] },
    };
    fake.orders.set('8100000000003', dto);
    fake.receipts.set('8100000000003', {
      contact_person: 'C',
      address: 'Rua 2',
      city: 'Porto',
      zip: '4000-002',
      country: 'PT',
    });
    const before = await available('AE-TEE-L');
    await t.request('POST', `/v1/marketplaces/connections/${connectionId}/sync`);
    expect(await available('AE-TEE-L')).toBeLessThan(before);
    const row = async () =>
      (await t.request('GET', `/v1/marketplaces/orders?connection_id=${connectionId}`)).body.items.find(
        (o: { external_id: string }) => o.external_id === '8100000000003',
      );
    const orderId = (await row()).order_id as string;

    Object.assign(dto, {
      order_status: 'FINISH',
      end_reason: 'buyer_cancel_order',
      gmt_update: toPacific(new Date(Date.now() - 5_000)),
    });
    await t.request('POST', `/v1/marketplaces/connections/${connectionId}/sync`);
    expect((await t.request('GET', `/v1/orders/${orderId}`)).body.status).toBe('cancelled');
    expect(await available('AE-TEE-L')).toBe(before);
  });

  it('pushes a burst of stock movements as one batched update with the latest figure', async () => {
    const calls = fake.callsOf('aliexpress.solution.batch.product.inventory.update').length;
    const logged = fake.inventoryLog.length;
    for (let i = 0; i < 6; i++) {
      await t.omnia.services.inventory.recordMovement({
        sku: SKUS[i % 2]!,
        location_id: warehouseId,
        type: 'damage',
        quantity: 1,
        reason: 'flash sale test',
      });
    }
    await t.omnia.dispatcher.drain();
    // one feed per connection per interval: the burst waits for the next slot and goes out as one
    clock.advance(31_000);
    await t.omnia.services.marketplaces.pushDue();
    await t.omnia.services.marketplaces.pushDue(); // nothing more to send
    expect(fake.callsOf('aliexpress.solution.batch.product.inventory.update').length).toBe(calls + 1);
    for (const e of fake.inventoryLog.slice(logged)) {
      expect(e.inventory).toBe(await available(e.sku_code));
    }
    expect(fake.inventoryLog.length - logged).toBe(2);
  });
});
