import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { startAmazonFake, amazonOrder, type AmazonFake } from './fakes/amazon-fake.js';
import { FAKE_ENV, setupAmazonShop, type AmazonShop } from './fixtures.js';

/**
 * PostgreSQL only (real concurrent connections): the same Amazon return applied by several workers at
 * once (two runs reading overlapping reports) is one Omnia return and one unit back in stock.
 */
describe('one Amazon return applied by several workers at once', () => {
  let t: TestApp;
  let fake: AmazonFake;
  let shop: AmazonShop;
  beforeAll(async () => {
    fake = await startAmazonFake();
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true }), env: FAKE_ENV });
    shop = await setupAmazonShop(t, fake);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('records it once', async () => {
    const mk = t.omnia.services.marketplaces;
    const sku = shop.skus[0]!;
    const id = '404-5555555-0000001';
    fake.orders.push(amazonOrder(id, [{ sku, quantity: 3 }]));
    await mk.syncNow(shop.connectionId);
    const row = (await t.request('GET', '/v1/marketplaces/orders?status=imported')).body.items[0];
    expect(row.external_id).toBe(id);
    await t.omnia.dispatcher.drain();
    await t.omnia.services.fulfillment.processInbox();
    await t.omnia.dispatcher.drain();
    const [task] = await t.omnia.services.fulfillment.ofOrder(row.order_id);
    for (const body of [
      { action: 'accept' },
      { action: 'pick' },
      { action: 'pack' },
      { action: 'ship', tracking: 'R1' },
    ])
      expect((await t.request('POST', `/v1/fulfillments/${task!.id}/actions`, { body })).status).toBe(200);
    await t.omnia.dispatcher.drain();
    const onHand = async () => (await t.omnia.services.inventory.stock(sku)).levels[0]!.on_hand;
    const before = await onHand();
    const connection = await mk.connections.require(shop.connectionId);
    const now = new Date();
    const ret = {
      external_key: 'RACE-RMA',
      external_order_id: id,
      lines: [{ sku, quantity: 2 }],
      reason: 'NO_LONGER_NEEDED',
      requested_at: now,
      received_at: now,
      disposition: null,
      raw_status: 'Approved',
    };
    await Promise.all(Array.from({ length: 6 }, () => mk.returnsImport.apply(connection, ret)));
    const returns = await t.omnia.services.returns.list({ order_id: row.order_id, limit: 10 });
    expect(returns).toHaveLength(1);
    expect(returns[0]!.lines[0]!.quantity).toBe(2);
    expect(await onHand()).toBe(before + 2);
    const rows = await t.database.db.selectFrom('marketplace_returns').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'recorded', return_id: returns[0]!.id });
  });
});
