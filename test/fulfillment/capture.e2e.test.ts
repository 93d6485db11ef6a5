/**
 * Issue 11 point 3, capture: the fulfillment transaction only asks for the capture (a pending
 * operation); the provider is called after it commits, and the payments job settles a capture
 * that nobody ran (a crash between the commit and the call, or no answer from the provider).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { inTx } from '../../src/platform/db/tx.js';
import type { TestProviderLedger } from '../../src/payments/index.js';
import { act, HOME, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

const CAPTURE_FAILS = '4000 0000 0000 0341';

describe('payment capture at departure, outside the fulfillment transaction', () => {
  let t: TestApp;
  let net: Net;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const payments = () => t.omnia.services.payments;
  const ledger = () => (payments().provider('test') as unknown as { ledger: TestProviderLedger }).ledger;
  const captureOps = (paymentId: string) =>
    t.database.db
      .selectFrom('payment_operations')
      .select(['id', 'status', 'reason', 'amount'])
      .where('payment_id', '=', paymentId)
      .where('kind', '=', 'capture')
      .execute();
  const events = async (type: string, paymentId: string) =>
    (await t.database.db.selectFrom('outbox').select('payload').where('type', '=', type).execute())
      .map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as Record<string, unknown>)
      .filter((p) => p.payment_id === paymentId);
  /** A home order with one task at the warehouse, packed and ready to ship. */
  const packed = async (card?: string) => {
    const order = await placeOrder(t, net, [['BAG', 1]], { method: 'home', address: HOME }, card);
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, f!.id, { action })).status).toBe(200);
    const payment = (await t.omnia.services.orders.get(order.id)).payment!;
    expect(payment.status).toBe('authorized');
    return { order, task: f!, payment };
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    net = await setupNetwork(t);
    await product(t, 'bag', [{ sku: 'BAG', price: 3000 }]);
    await receive(t, 'BAG', net.warehouse, 20);
  });
  afterAll(async () => t?.close());

  it('shipping asks for one capture and runs it after the commit: the payment is captured once', async () => {
    const { order, payment } = await packed();
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    expect((await act(t, f!.id, { action: 'ship', tracking: 'T-1' })).status).toBe(200);
    const after = await payments().get(payment.id);
    expect(after).toMatchObject({ status: 'captured', captured_amount: order.total.amount });
    const ops = await captureOps(payment.id);
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ status: 'succeeded' });
    expect(ledger().captures.filter((c) => c.key === ops[0]!.id)).toHaveLength(1);
    expect(await events('payment.captured', payment.id)).toHaveLength(1);
  });

  it('a capture left pending (the transaction committed, the call never made) is completed by the payments job', async () => {
    const { task, payment } = await packed();
    // Shipping inside a caller's transaction: the capture is only asked for, as when the process dies
    // right after the commit. Before the fix the provider was called in there and this was captured.
    await inTx(t.database.db, undefined, (trx) =>
      t.omnia.services.fulfillment.act(task.id, { action: 'ship', tracking: 'T-2' }, undefined, { trx }),
    );
    expect((await payments().get(payment.id)).status).toBe('authorized');
    const [op] = await captureOps(payment.id);
    expect(op).toMatchObject({ status: 'pending' });
    expect(ledger().captures.filter((c) => c.key === op!.id)).toHaveLength(0);

    clock.advance(6_000); // the job leaves operations younger than a few seconds to their requester
    expect(await payments().runOperations()).toBeGreaterThanOrEqual(1);
    expect(await payments().get(payment.id)).toMatchObject({
      status: 'captured',
      captured_amount: payment.amount.amount,
    });
    expect(await captureOps(payment.id)).toEqual([expect.objectContaining({ id: op!.id, status: 'succeeded' })]);
    expect(ledger().captures.filter((c) => c.key === op!.id)).toHaveLength(1);
    expect(await payments().runOperations()).toBe(0); // settled: the job does not pay it again
  });

  it('a provider that does not answer leaves the capture pending; the job retries it with the same key once the lease ends', async () => {
    const { task, payment } = await packed();
    const provider = payments().provider('test');
    const capture = provider.capture;
    provider.capture = async () => {
      throw new Error('connection reset');
    };
    try {
      expect((await act(t, task.id, { action: 'ship', tracking: 'T-3' })).status).toBe(200);
    } finally {
      provider.capture = capture;
    }
    const [op] = await captureOps(payment.id);
    expect(op).toMatchObject({ status: 'pending' });
    expect((await payments().get(payment.id)).status).toBe('authorized');
    clock.advance(30_000);
    expect(await payments().runOperations()).toBe(0); // still leased to the call that got no answer
    clock.advance(31_000);
    await payments().runOperations();
    expect((await payments().get(payment.id)).status).toBe('captured');
    expect(ledger().captures.filter((c) => c.key === op!.id)).toHaveLength(1);
  });

  it('a capture the provider refuses does not undo the shipment: the operation fails and payment.capture_failed is emitted', async () => {
    const { task, payment } = await packed(CAPTURE_FAILS);
    const res = await act(t, task.id, { action: 'ship', tracking: 'T-4' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('shipped');
    expect((await payments().get(payment.id)).status).toBe('authorized');
    expect(await captureOps(payment.id)).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'capture_failed' }),
    ]);
    expect(await events('payment.capture_failed', payment.id)).toEqual([
      expect.objectContaining({ order_id: payment.order_id, reason: 'capture_failed' }),
    ]);
    // Asked directly (staff), the refusal is still a problem, not a silent success.
    await expect(t.omnia.services.orders.capturePayment(payment.order_id)).rejects.toMatchObject({
      type: 'payment_declined',
    });
  });
});
