import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MarketplaceAuthError, ThrottledError, type MarketplaceConnector } from '../../src/marketplaces/index.js';
import { metaConnector } from '../../src/marketplaces/meta/index.js';
import { metaOrder, startMetaFake, type MetaFake } from './meta-fake.js';

/** The Meta connector against the local fake Graph API: no database, the documented shapes only. */
describe('Meta Commerce Platform connector', () => {
  let fake: MetaFake;
  let waits: number[];
  let meta: MarketplaceConnector;
  const build = (credentials: Record<string, string> = fake.credentials) =>
    metaConnector(
      { base_url: fake.url, credentials, settings: fake.settings },
      { sleep: async (ms) => void waits.push(ms), random: () => 0.5, timeoutMs: 2000, maxAttempts: 4 },
    );

  beforeAll(async () => {
    fake = await startMetaFake({ pageSize: 2 });
  });
  afterAll(async () => fake?.close());
  beforeEach(() => {
    waits = [];
    fake.throttleNext = 0;
    meta = build();
  });

  it('pages through the orders with Graph cursors, reads their items and acknowledges the new ones', async () => {
    const t0 = '2026-11-30T10:00:00.000Z';
    for (let i = 1; i <= 5; i++)
      fake.orders.push(
        metaOrder(
          `ig-${i}`,
          [
            { sku: 'TEE-M', quantity: i },
            { sku: 'CAP', quantity: 1, amount: '12.00' },
          ],
          { at: t0 },
        ),
      );
    fake.orders.push(metaOrder('ig-pending', [{ sku: 'TEE-M', quantity: 1 }], { at: t0, state: 'FB_PROCESSING' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await meta.listOrders({ since: new Date('2026-11-30T09:00:00Z'), cursor });
      pages++;
      for (const o of page.orders) {
        seen.push(o.external_id);
        expect(o.status).toBe('unshipped');
        expect(o.lines).toHaveLength(2);
      }
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['ig-1', 'ig-2', 'ig-3', 'ig-4', 'ig-5']); // FB_PROCESSING is not the seller's yet
    const first = (await meta.listOrders({ since: new Date('2026-11-30T09:00:00Z') })).orders[0]!;
    expect(first).toMatchObject({
      external_id: 'ig-1',
      currency: 'EUR',
      buyer: { email: 'lucia.ig-1@example.com', name: 'Lucía Pérez' },
      shipping_address: { line1: 'Calle Mayor 5', city: 'Madrid', postal_code: '28013', country: 'ES' },
      lines: [
        { external_line_id: 'ig-1-item-1', sku: 'TEE-M', quantity: 1, unit_price: { amount: 1995, currency: 'EUR' } },
        { external_line_id: 'ig-1-item-2', sku: 'CAP', quantity: 1, unit_price: { amount: 1200, currency: 'EUR' } },
      ],
    });
    expect(fake.acknowledged.sort()).toEqual(['ig-1', 'ig-2', 'ig-3', 'ig-4', 'ig-5']);
    expect(fake.orders.find((o) => o.id === 'ig-1')!.state).toBe('IN_PROGRESS');
  });

  it('ships with tracking and carrier, and a retried shipment is applied once', async () => {
    const confirmation = {
      external_order_id: 'ig-1',
      lines: [
        { external_line_id: 'ig-1-item-1', quantity: 1 },
        { external_line_id: 'ig-1-item-2', quantity: 1 },
      ],
      carrier: 'Correos',
      tracking: 'PQ4ES',
      shipped_at: new Date(),
    };
    await meta.confirmShipment(confirmation);
    await meta.confirmShipment(confirmation); // the same idempotency_key: Meta applies it once
    expect(fake.shipments.filter((s) => s.orderId === 'ig-1')).toHaveLength(1);
    expect(fake.shipments[0]!.body).toMatchObject({
      items: [
        { item_id: 'ig-1-item-1', quantity: 1 },
        { item_id: 'ig-1-item-2', quantity: 1 },
      ],
      tracking_info: { tracking_number: 'PQ4ES', carrier: 'CORREOS' },
    });
    expect(fake.orders.find((o) => o.id === 'ig-1')!.state).toBe('COMPLETED');
  });

  it('cancels an order it cannot fill', async () => {
    await meta.cancelOrder('ig-2', 'out of stock');
    expect(fake.cancellations[0]).toMatchObject({
      orderId: 'ig-2',
      body: {
        cancel_reason: { reason_code: 'CANCEL_REASON_OTHER', reason_description: 'out of stock' },
        restock_items: true,
      },
    });
  });

  it("pushes stock and price by the catalog Batch API and reads the batch's status", async () => {
    const receipt = await meta.pushStock([
      { sku: 'TEE-M', quantity: 7, price: { amount: 1995, currency: 'EUR' } },
      { sku: 'CAP', quantity: 0 },
    ]);
    expect(receipt.state).toBe('pending');
    expect(fake.catalog.get('TEE-M')).toEqual({ quantity: 7, price: '19.95 EUR' });
    expect(fake.catalog.get('CAP')!.quantity).toBe(0);
    expect((await meta.pushStatus(receipt.submission_id)).state).toBe('pending');
    expect((await meta.pushStatus(receipt.submission_id)).state).toBe('done');
  });

  it("treats Graph's throttling code as 429 (retried with back-off) and a bad token as an auth error", async () => {
    fake.throttleNext = 2;
    await meta.listOrders({ since: new Date('2026-11-30T09:00:00Z') });
    expect(waits).toHaveLength(2);
    fake.throttleNext = 10;
    await expect(meta.listOrders({ since: new Date() })).rejects.toBeInstanceOf(ThrottledError);
    fake.throttleNext = 0;
    await expect(build({ access_token: 'expired' }).listOrders({ since: new Date() })).rejects.toBeInstanceOf(
      MarketplaceAuthError,
    );
  });
});
