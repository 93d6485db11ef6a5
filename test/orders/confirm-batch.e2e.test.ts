/**
 * `order.placed` → confirmed as a batch consumer (orders/confirm-batch.ts): a delivery batch of orders
 * costs one lock, one update, one history insert and one outbox insert, and each order ends as a
 * confirm applied alone would leave it — a held or cancelled order is left as it is, an id seen twice
 * is confirmed once, a redelivery changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { statementCounter } from '../helpers/statements.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';

const counter = statementCounter();

describe('order.placed confirms a batch of orders with one statement of each kind', () => {
  let t: TestApp;
  let shop: Shop;
  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'cb' });
  });
  afterAll(async () => t?.close());

  /** A checkout whose order is placed (paid) and not yet confirmed: the consumers have not run. */
  async function placed(i: number): Promise<string> {
    const token = shop.keys.web;
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: shop.skus[i % 3], quantity: 1 } });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: {
        delivery: { method: 'home', address: HOME_ADDRESS },
        payment: { provider: 'test', card_number: GOOD_CARD },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('placed');
    return res.body.id as string;
  }

  async function confirmedEvents(ids: string[]): Promise<string[]> {
    const r = await sql<{ aggregate_id: string }>`
      select aggregate_id from outbox where type = 'order.confirmed' and aggregate_id = any(${ids}) order by aggregate_id`.execute(
      t.omnia.database.db,
    );
    return r.rows.map((x) => x.aggregate_id);
  }

  it('confirms the placed orders of a batch in four statements, skipping held and cancelled ones', async () => {
    const orders = t.omnia.services.orders;
    const ids = [await placed(0), await placed(1), await placed(2), await placed(3), await placed(4)];
    const [a, b, c, held, cancelled] = ids as [string, string, string, string, string];
    await orders.hold(held, 'fraud review');
    await orders.cancel(cancelled, { reason: 'customer asked' });

    counter.reset();
    const n = await t.omnia.database.db
      .transaction()
      .execute((trx) => orders.confirmPlaced([c, a, held, b, cancelled, a], trx.withPlugin(counter.plugin)));
    expect(n).toBe(3);
    // lock + update + history + outbox, whatever the number of orders (it was four per order)
    expect(counter.count).toBe(4);

    for (const id of [a, b, c]) {
      expect((await orders.get(id)).status).toBe('confirmed');
      expect((await orders.history(id)).map((h) => h.to_status)).toEqual(['payment_pending', 'placed', 'confirmed']);
    }
    expect(await orders.get(held)).toMatchObject({ status: 'placed', hold_reason: 'fraud review' });
    expect((await orders.get(cancelled)).status).toBe('cancelled');
    expect(await confirmedEvents(ids)).toEqual([a, b, c].sort());

    // The consumer's own deliveries of these order.placed events (and any redelivery) change nothing more.
    await t.omnia.dispatcher.drain();
    expect(await t.omnia.database.db.transaction().execute((trx) => orders.confirmPlaced(ids, trx))).toBe(0);
    expect(await confirmedEvents(ids)).toEqual([a, b, c].sort());
    for (const id of [a, b, c]) expect(await orders.history(id)).toHaveLength(3);
    expect(await orders.get(held)).toMatchObject({ status: 'placed', hold_reason: 'fraud review' });
  });

  it('the order.placed consumer confirms what checkout placed (one delivery batch)', async () => {
    const ids = [await placed(5), await placed(6), await placed(7)];
    await t.omnia.dispatcher.drain();
    for (const id of ids) expect((await t.omnia.services.orders.get(id)).status).toBe('confirmed');
    expect(await confirmedEvents(ids)).toEqual([...ids].sort());
  });
});
