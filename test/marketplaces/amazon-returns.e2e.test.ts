import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { startAmazonFake, amazonOrder, type AmazonFake, type FakeReturnRow } from './fakes/amazon-fake.js';
import { FAKE_ENV, setupAmazonShop, type AmazonShop } from './fixtures.js';

/** Returns made on Amazon (its returns report, through the local fake SP-API) recorded as Omnia returns. */
describe('Amazon returns through the marketplace service', () => {
  let t: TestApp;
  let fake: AmazonFake;
  let shop: AmazonShop;
  const clock = new ManualClock(new Date());
  const mk = () => t.omnia.services.marketplaces;
  const onHand = async (sku: string) => (await t.omnia.services.inventory.stock(sku)).levels[0]!.on_hand;
  /** Makes the returns job due now and runs it once. */
  async function runReturns(): Promise<number> {
    await t.database.db.updateTable('marketplace_return_cursors').set({ due_at: clock.now() }).execute();
    return mk().returnsDue();
  }
  const row = (o: Partial<FakeReturnRow>): FakeReturnRow => ({
    'Order date': new Date(clock.now().getTime() - 86_400_000).toISOString(),
    'Return request date': clock.now().toISOString(),
    'Return request status': 'Approved',
    'Currency code': 'EUR',
    'Return quantity': '1',
    'Return reason': 'NO_LONGER_NEEDED',
    'Return type': 'C-Returns',
    Resolution: 'StandardRefund',
    ...o,
  });
  const returnsOf = (orderId: string) => t.omnia.services.returns.list({ order_id: orderId, limit: 50 });

  /** An Amazon order imported into Omnia and shipped by Omnia's fulfillment; its Omnia order id. */
  async function shippedOrder(id: string, sku: string, quantity: number): Promise<string> {
    fake.orders.push(amazonOrder(id, [{ sku, quantity }]));
    await mk().syncNow(shop.connectionId);
    const got = await t.request('GET', '/v1/marketplaces/orders?status=imported&limit=100');
    const orderId = got.body.items.find((o: { external_id: string }) => o.external_id === id).order_id as string;
    await t.omnia.dispatcher.drain();
    await t.omnia.services.fulfillment.processInbox();
    await t.omnia.dispatcher.drain();
    const [task] = await t.omnia.services.fulfillment.ofOrder(orderId);
    for (const body of [
      { action: 'accept' },
      { action: 'pick' },
      { action: 'pack' },
      { action: 'ship', tracking: `TR-${id}` },
    ])
      expect((await t.request('POST', `/v1/fulfillments/${task!.id}/actions`, { body })).status).toBe(200);
    await t.omnia.dispatcher.drain();
    return orderId;
  }

  beforeAll(async () => {
    fake = await startAmazonFake();
    fake.reportPolls = 0;
    t = await startTestApp({ clock, env: FAKE_ENV });
    shop = await setupAmazonShop(t, fake);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('records a return delivered back as one Omnia return, restocked, however often the report lists it', async () => {
    const sku = shop.skus[0]!;
    const orderId = await shippedOrder('402-1000001-0000001', sku, 2);
    const before = await onHand(sku);
    // Requested but not back yet: nothing moves.
    const pending = row({
      'Order ID': '402-1000001-0000001',
      'Amazon RMA ID': 'DQr9XbQ1RRMA',
      'Merchant SKU': sku,
    });
    fake.returns.push(pending);
    expect(await runReturns()).toBe(1);
    expect(await returnsOf(orderId)).toHaveLength(0);
    // The parcel arrives: the next report says so.
    pending['Return delivery date'] = clock.now().toISOString();
    clock.advance(60_000);
    await runReturns();
    const [ret, ...more] = await returnsOf(orderId);
    expect(more).toHaveLength(0);
    expect(ret).toMatchObject({ status: 'received', refund: { amount: 0 }, refund_method: 'original' });
    expect(ret!.lines).toMatchObject([{ sku, quantity: 1, condition: 'sellable', restock: 'restock' }]);
    expect(await onHand(sku)).toBe(before + 1);
    // The same report pulled again (and again by the overlap window): still one return, one unit back.
    await runReturns();
    clock.advance(60_000);
    await runReturns();
    expect(await returnsOf(orderId)).toHaveLength(1);
    expect(await onHand(sku)).toBe(before + 1);
    // Each run asked Amazon for a fresh report.
    expect(
      fake.calls.filter((c) => c.operation === 'reports.createReport' && c.status === 202).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('books a defective return as damage (no unit back on the shelf)', async () => {
    const sku = shop.skus[1]!;
    const orderId = await shippedOrder('402-1000002-0000001', sku, 1);
    const before = await onHand(sku);
    fake.returns.push(
      row({
        'Order ID': '402-1000002-0000001',
        'Merchant SKU': sku,
        'Return reason': 'DEFECTIVE',
        'Return delivery date': clock.now().toISOString(),
      }),
    );
    await runReturns();
    const [ret] = await returnsOf(orderId);
    expect(ret!.lines).toMatchObject([{ sku, quantity: 1, condition: 'damaged', restock: 'damage' }]);
    expect(await onHand(sku)).toBe(before);
  });

  it('makes a return for an order never imported, or for more units than sold, an exception; retry records it once fixed', async () => {
    fake.returns.push(
      row({
        'Order ID': '402-9999999-0000001',
        'Amazon RMA ID': 'UNKNOWNRMA',
        'Merchant SKU': shop.skus[0]!,
        'Return delivery date': clock.now().toISOString(),
      }),
    );
    const sku = shop.skus[0]!;
    const orderId = await shippedOrder('402-1000003-0000001', sku, 1);
    fake.returns.push(
      row({
        'Order ID': '402-1000003-0000001',
        'Amazon RMA ID': 'TOOMANYRMA',
        'Merchant SKU': sku,
        'Return quantity': '3',
        'Return delivery date': clock.now().toISOString(),
      }),
    );
    await runReturns();
    await runReturns();
    const list = await t.request('GET', '/v1/marketplaces/orders?status=exception&limit=100');
    const unknown = list.body.items.filter((o: { external_id: string }) => o.external_id === 'return:UNKNOWNRMA');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({
      problem: { type: 'return_unknown_order' },
      lines: [{ sku, quantity: 1 }],
    });
    const tooMany = list.body.items.find((o: { external_id: string }) => o.external_id === 'return:TOOMANYRMA');
    expect(tooMany.problem.type).toBe('return_validation_failed');
    expect(tooMany.problem.detail).toMatch(/only 1 unit/);
    expect(await returnsOf(orderId)).toHaveLength(0);
    // Staff see it in the webhook too, and cannot "cancel" it (that would cancel the order on Amazon).
    await t.omnia.dispatcher.drain();
    const events = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'marketplace.order_exception')
      .execute();
    expect(JSON.stringify(events)).toContain('return:UNKNOWNRMA');
    const cancel = await t.request('POST', `/v1/marketplaces/orders/${unknown[0].id}/cancel`, {
      body: { reason: 'no' },
    });
    expect(cancel.status).toBe(409);
    expect(fake.cancellations).toHaveLength(0);
    // Amazon corrects the quantity; staff retry: one return, the exception leaves the queue.
    fake.returns.find((r) => r['Amazon RMA ID'] === 'TOOMANYRMA')!['Return quantity'] = '1';
    await runReturns(); // an exception is not re-tried by the job on its own
    expect(await returnsOf(orderId)).toHaveLength(0);
    // The corrected report is kept for the retry.
    const kept = await t.database.db
      .selectFrom('marketplace_returns')
      .select('payload')
      .where('external_key', '=', 'TOOMANYRMA')
      .executeTakeFirstOrThrow();
    expect((kept.payload as { lines: { quantity: number }[] }).lines[0]!.quantity).toBe(1);
    const retried = await t.request('POST', `/v1/marketplaces/orders/${tooMany.id}/retry`, { body: {} });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('resolved');
    expect(await returnsOf(orderId)).toHaveLength(1);
    await t.request('POST', `/v1/marketplaces/orders/${tooMany.id}/retry`, { body: {} });
    expect(await returnsOf(orderId)).toHaveLength(1);
  });

  it('records a FATAL report as the connection error and reads the window again next run', async () => {
    const sku = shop.skus[0]!;
    const orderId = await shippedOrder('402-1000004-0000001', sku, 1);
    fake.returns.push(
      row({
        'Order ID': '402-1000004-0000001',
        'Amazon RMA ID': 'AFTERFATAL',
        'Merchant SKU': sku,
        'Return delivery date': clock.now().toISOString(),
      }),
    );
    const cursorBefore = await t.database.db
      .selectFrom('marketplace_return_cursors')
      .selectAll()
      .executeTakeFirstOrThrow();
    fake.reportOutcome = 'FATAL';
    fake.reportPolls = 1; // one IN_PROGRESS answer first, then FATAL
    await runReturns();
    const cursor = await t.database.db.selectFrom('marketplace_return_cursors').selectAll().executeTakeFirstOrThrow();
    expect(cursor.last_error).toMatch(/FATAL/);
    expect(cursor.since.getTime()).toBe(cursorBefore.since.getTime());
    expect(cursor.due_at.getTime()).toBeLessThanOrEqual(clock.now().getTime() + 60_000);
    const conn = await t.request('GET', `/v1/marketplaces/connections/${shop.connectionId}`);
    expect(conn.body.last_error).toMatch(/returns: .*FATAL/);
    expect(await returnsOf(orderId)).toHaveLength(0);
    fake.reportOutcome = 'DONE';
    fake.reportPolls = 0;
    clock.advance(61_000);
    expect(await mk().returnsDue()).toBeGreaterThan(0); // due again by itself after the retry delay
    expect(await returnsOf(orderId)).toHaveLength(1);
    const after = await t.database.db.selectFrom('marketplace_return_cursors').selectAll().executeTakeFirstOrThrow();
    expect(after.last_error).toBeNull();
  });

  it('reads a GZIP-compressed report document', async () => {
    const sku = shop.skus[1]!;
    const orderId = await shippedOrder('402-1000005-0000001', sku, 1);
    fake.reportGzip = true;
    fake.returns.push({
      // Only the required columns and the delivery date: the others may be missing.
      'Order ID': '402-1000005-0000001',
      'Merchant SKU': sku,
      'Return quantity': '1',
      'Return request date': clock.now().toISOString(),
      'Return delivery date': clock.now().toISOString(),
    });
    // Throttled once on each step (429 with x-amzn-RateLimit-Limit): the client backs off and goes on.
    // (A faster usage plan than Amazon's 1 per minute, so the back-off it dictates stays short.)
    fake.rate('reports.createReport', 5, 15);
    fake.rate('reports.getReportDocument', 5, 15);
    fake.inject('reports.createReport', 'throttle');
    fake.inject('reports.getReportDocument', 'throttle');
    await runReturns();
    fake.reportGzip = false;
    expect(fake.calls.filter((c) => c.operation.startsWith('reports.') && c.status === 429)).toHaveLength(2);
    expect(fake.reports.at(-1)!.gzip).toBe(true);
    const [ret] = await returnsOf(orderId);
    expect(ret!.lines).toMatchObject([{ sku, quantity: 1, condition: 'sellable' }]);
  });
});
