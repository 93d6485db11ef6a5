/**
 * Capture at departure on PostgreSQL, where other connections can look while it runs: the provider
 * is called after the fulfillment transaction committed (nothing holds the task or payment row), and
 * the two tasks of a split order shipping at once capture the payment once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import type { TestProviderLedger } from '../../src/payments/index.js';
import { act, HOME, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

describe('payment capture outside the fulfillment transaction (PostgreSQL)', () => {
  let t: TestApp;
  let net: Net;
  const payments = () => t.omnia.services.payments;
  const ledger = () => (payments().provider('test') as unknown as { ledger: TestProviderLedger }).ledger;
  /** Whether another connection can lock the row right now (NOWAIT: a held lock fails at once, no timing). */
  const lockable = async (table: 'fulfillments' | 'payments', id: string): Promise<boolean> => {
    try {
      await t.database.db.transaction().execute(async (trx) => {
        await sql`select id from ${sql.table(table)} where id = ${id} for update nowait`.execute(trx);
      });
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false; // lock_not_available
      throw err;
    }
  };

  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true, poolSize: 6 }) });
    net = await setupNetwork(t);
    await product(t, 'coat', [{ sku: 'COAT', price: 9000 }]);
    await product(t, 'scarf', [{ sku: 'SCARF', price: 2500 }]);
    await receive(t, 'COAT', net.warehouse, 10);
    await receive(t, 'SCARF', net.sol, 10);
  });
  afterAll(async () => t?.close());

  it('the provider is asked after the commit: during the call neither the task nor the payment row is locked', async () => {
    const order = await placeOrder(t, net, [['COAT', 1]], { method: 'home', address: HOME });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, f!.id, { action })).status).toBe(200);
    const payment = (await t.omnia.services.orders.get(order.id)).payment!;
    const provider = payments().provider('test');
    const capture = provider.capture;
    const seen: { task: boolean; payment: boolean; status: string }[] = [];
    provider.capture = async (ref, amount, call) => {
      seen.push({
        task: await lockable('fulfillments', f!.id),
        payment: await lockable('payments', payment.id),
        // committed already: another connection sees the task shipped while the provider is asked
        status: (
          await t.database.db
            .selectFrom('fulfillments')
            .select('status')
            .where('id', '=', f!.id)
            .executeTakeFirstOrThrow()
        ).status,
      });
      return capture(ref, amount, call);
    };
    try {
      expect((await act(t, f!.id, { action: 'ship', tracking: 'PG-1' })).status).toBe(200);
    } finally {
      provider.capture = capture;
    }
    expect(seen).toEqual([{ task: true, payment: true, status: 'shipped' }]);
    expect((await payments().get(payment.id)).status).toBe('captured');
  });

  it('two tasks of one split order shipping at once: one capture operation, one provider capture, one event', async () => {
    const order = await placeOrder(
      t,
      net,
      [
        ['COAT', 1],
        ['SCARF', 1],
      ],
      { method: 'home', address: HOME },
    );
    const tasks = await t.omnia.services.fulfillment.ofOrder(order.id);
    expect(tasks).toHaveLength(2);
    const tokenOf = (locationId: string) => (locationId === net.sol.id ? net.solStaff : undefined);
    for (const action of ['accept', 'pick', 'pack'])
      for (const f of tasks) expect((await act(t, f.id, { action }, tokenOf(f.location_id))).status).toBe(200);
    const payment = (await t.omnia.services.orders.get(order.id)).payment!;

    const res = await Promise.all(
      tasks.map((f, i) => act(t, f.id, { action: 'ship', tracking: `PG-S${i}` }, tokenOf(f.location_id))),
    );
    expect(res.map((r) => r.status)).toEqual([200, 200]);

    const o = await t.omnia.services.orders.get(order.id);
    expect(o.status).toBe('fulfilled');
    expect(o.payment).toMatchObject({ status: 'captured', captured_amount: order.total.amount });
    const ops = await t.database.db
      .selectFrom('payment_operations')
      .select(['id', 'status'])
      .where('payment_id', '=', payment.id)
      .where('kind', '=', 'capture')
      .execute();
    expect(ops).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    expect(ledger().captures.filter((c) => c.ref === payment.provider_ref)).toHaveLength(1);
    const captured = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'payment.captured')
      .where('aggregate_id', '=', payment.id)
      .execute();
    expect(captured).toHaveLength(1);
  });
});
