/**
 * Issue 11 point 4: an exchange that cannot be served never loses or repeats a refund. The return
 * (refund of the units not swapped + the exchange) is one transaction; the refund is a pending
 * operation paid out by the provider only after that transaction commits. Before, the provider
 * paid inside the transaction and the exchange's insufficient_stock rolled our record back: the
 * shopper was paid and a retry paid again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import type { TestProviderLedger } from '../../src/payments/index.js';
import { act, HOME, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

describe('returns with an exchange that cannot be served', () => {
  let t: TestApp;
  let net: Net;
  const ledger = () => (t.omnia.services.payments.provider('test') as unknown as { ledger: TestProviderLedger }).ledger;

  beforeAll(async () => {
    t = await startTestApp();
    net = await setupNetwork(t);
    await product(t, 'tee', [
      { sku: 'TEE-M', size: 'M', price: 2000 },
      { sku: 'TEE-XL', size: 'XL', price: 2000 },
    ]);
    await receive(t, 'TEE-M', net.warehouse, 10);
  });
  afterAll(async () => t?.close());

  it('pays nothing while the exchange fails, and exactly once when the retried return succeeds', async () => {
    const order = await placeOrder(t, net, [['TEE-M', 2]], { method: 'home', address: HOME });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack']) await act(t, f!.id, { action });
    await act(t, f!.id, { action: 'ship', tracking: 'TRK-X' });
    const line = (await t.omnia.services.orders.get(order.id)).lines[0]!;
    const body = {
      order_id: order.id,
      channel: 'f-web',
      lines: [{ line_id: line.line_id, quantity: 2, reason: 'too small' }],
      refund: 'original',
      // one unit swapped for an XL nobody has; the other refunded
      exchange: [{ for_line_id: line.line_id, sku: 'TEE-XL', quantity: 1 }],
    };
    const refundsBefore = ledger().refunds.length;
    const failed = await t.request('POST', '/v1/returns', { token: net.solStaff, body });
    expect(failed.status).toBe(409);
    expect(failed.body.code).toBe('insufficient_stock');
    expect(ledger().refunds.length).toBe(refundsBefore); // nobody was paid
    expect((await t.omnia.services.orders.get(order.id)).payment).toMatchObject({ refunded_amount: 0 });

    await receive(t, 'TEE-XL', net.warehouse, 1);
    const ok = await t.request('POST', '/v1/returns', { token: net.solStaff, body });
    expect(ok.status).toBe(201);
    expect(ok.body.refund.amount).toBe(line.total / 2);
    const paid = ledger().refunds.slice(refundsBefore);
    expect(paid).toHaveLength(1);
    expect(paid[0]!.amount).toBe(line.total / 2);
    expect((await t.omnia.services.orders.get(order.id)).payment).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: line.total / 2,
    });
    // the same return again is refused (the units are returned): no second payment
    const again = await t.request('POST', '/v1/returns', { token: net.solStaff, body });
    expect(again.status).toBe(409);
    expect(ledger().refunds.length).toBe(refundsBefore + 1);
  });
});
