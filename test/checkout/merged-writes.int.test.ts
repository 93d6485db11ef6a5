/**
 * Checkout's merged writes (docs/scaling.md, "Checkout statements (eighth session)"), on a real
 * database (PGlite, and PostgreSQL with OMNIA_TEST_DB=pg): the order, its lines, its history, its
 * events, the pending payment and the completed cart are one statement (orders' place-statement.ts);
 * the settlement's payment update returns its row, the order's update writes its history row
 * (authorise-statement.ts) and the payment's event goes with the order's in one outbox insert.
 * What they write is what the separate statements wrote; a failing part writes nothing of the rest.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';
import type { CartActor } from '../../src/carts/index.js';
import type { DomainEvent } from '../../src/platform/events/outbox.js';

describe('checkout writes merged into fewer statements', () => {
  let t: TestApp;
  let shop: Shop;
  let web: CartActor;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'mw', stock: 100 });
    web = {
      kind: 'api_key',
      keyKind: 'secret',
      id: 'mw',
      channelId: (await t.omnia.services.network.channel('mw-web'))!.id,
      locationId: null,
    };
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  async function newCart(): Promise<string> {
    const s = t.omnia.services;
    const { cart } = await s.carts.create(web, {});
    await s.carts.addItem(web, cart.id, { sku: shop.skus[0]!, quantity: 2 });
    await s.carts.addItem(web, cart.id, { sku: shop.skus[1]!, quantity: 1 });
    return cart.id;
  }
  const checkout = (cartId: string) =>
    t.omnia.services.checkout.checkout(web, cartId, {
      delivery: { method: 'home', address: HOME_ADDRESS },
      payment: { provider: 'test', card_number: GOOD_CARD },
    });
  const events = async (ids: string[]) =>
    (
      await sql<{
        type: string;
        aggregate_id: string;
        payload: Record<string, unknown>;
      }>`select type, aggregate_id, payload from outbox where aggregate_id = any(${ids}::text[]) order by seq`.execute(
        db(),
      )
    ).rows;
  const counts = async () =>
    (
      await sql<{
        orders: string;
        lines: string;
        history: string;
        payments: string;
        outbox: string;
        reserved: string;
      }>`select (select count(*) from orders) as orders, (select count(*) from order_lines) as lines,
           (select count(*) from order_history) as history, (select count(*) from payments) as payments,
           (select count(*) from outbox) as outbox, (select coalesce(sum(reserved), 0) from stock_levels) as reserved`.execute(
        db(),
      )
    ).rows[0]!;

  it('a checkout writes the order, lines, history, payment, cart and events as the separate statements did', async () => {
    const cartId = await newCart();
    const { order } = await checkout(cartId);
    expect(order.status).toBe('placed');
    const orderRow = await db().selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(orderRow).toMatchObject({
      cart_id: cartId,
      status: 'placed',
      hold_reason: null,
      coupons: [],
      delivery: { method: 'home', address: HOME_ADDRESS },
      cancelled_amount: expect.anything(),
      gift: false,
      anonymised_at: null,
    });
    expect(Number(orderRow.cancelled_amount)).toBe(0);
    expect(orderRow.tax_breakdown).toEqual(order.tax_breakdown);
    const lines = await db()
      .selectFrom('order_lines')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('position')
      .execute();
    expect(lines.map((l) => [l.id, l.position, l.sku, l.quantity, l.fulfilled_quantity, l.cancelled_quantity])).toEqual(
      order.lines.map((l, i) => [l.line_id, i, l.sku, l.quantity, 0, 0]),
    );
    expect(lines.map((l) => l.applied)).toEqual(order.lines.map((l) => l.applied));
    const history = await db()
      .selectFrom('order_history')
      .select(['from_status', 'to_status', 'hold_reason', 'note'])
      .where('order_id', '=', order.id)
      .orderBy('seq')
      .execute();
    expect(history).toEqual([
      { from_status: null, to_status: 'payment_pending', hold_reason: null, note: null },
      { from_status: 'payment_pending', to_status: 'placed', hold_reason: null, note: null },
    ]);
    const pay = await db().selectFrom('payments').selectAll().where('order_id', '=', order.id).execute();
    expect(pay).toHaveLength(1);
    expect(pay[0]).toMatchObject({ id: order.payment!.id, status: 'authorized', provider: 'test', details: {} });
    expect(Number(pay[0]!.amount)).toBe(order.total.amount);
    const cart = await db().selectFrom('carts').selectAll().where('id', '=', cartId).executeTakeFirstOrThrow();
    expect(cart).toMatchObject({ status: 'completed', order_id: order.id });
    // every event, with its payload, in the order the separate statements wrote them
    const evs = await events([order.id, order.payment!.id]);
    expect(evs.map((e) => e.type)).toEqual([
      'order.status_changed',
      'payment.authorized',
      'order.placed',
      'order.status_changed',
    ]);
    expect(evs[0]!.payload).toEqual({ order_id: order.id, from: null, to: 'payment_pending', hold_reason: null });
    expect(evs[1]!.payload).toEqual({
      payment_id: order.payment!.id,
      order_id: order.id,
      provider: 'test',
      amount: order.total.amount,
      currency: 'EUR',
    });
    expect(evs[2]!.payload).toMatchObject({
      order_id: order.id,
      total: { amount: order.total.amount, currency: 'EUR' },
      lines: order.lines.map((l) => ({
        line_id: l.line_id,
        sku: l.sku,
        product_id: l.product_id,
        quantity: l.quantity,
        amount: l.total,
      })),
      reservation_id: order.reservation_id,
    });
    expect(evs[3]!.payload).toEqual({
      order_id: order.id,
      from: 'payment_pending',
      to: 'placed',
      hold_reason: null,
      customer_id: null,
    });
  });

  it('a part of the order statement that fails writes nothing: no order, lines, history, events, payment, cart change or stock', async () => {
    const cartId = await newCart();
    const before = await counts();
    const cartBefore = await db().selectFrom('carts').selectAll().where('id', '=', cartId).executeTakeFirstOrThrow();
    const payments = t.omnia.services.payments;
    const real = payments.pending.bind(payments);
    // the pending payment's insert fails (its amount breaks the table's check) inside the order's statement
    const spy = vi.spyOn(payments, 'pending').mockImplementation((input) => real({ ...input, amount: -1 }));
    try {
      await expect(checkout(cartId)).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(await counts()).toEqual(before);
    const cartAfter = await db().selectFrom('carts').selectAll().where('id', '=', cartId).executeTakeFirstOrThrow();
    expect(cartAfter).toMatchObject({ status: 'open', order_id: null, version: cartBefore.version });
    // and the cart checks out afterwards
    expect((await checkout(cartId)).order.status).toBe('placed');
  });

  it('an authorisation for an order cancelled meanwhile: the payment event is written, the order untouched', async () => {
    const s = t.omnia.services;
    const cartId = await newCart();
    const { order } = await checkout(cartId);
    // a second payment for the order, pending, then the order cancelled: the late authorisation finds it cancelled
    const { payment, insert } = s.payments.pending({
      order_id: order.id,
      amount: 100,
      currency: 'EUR',
      provider: 'test',
    });
    await insert.execute(db());
    await s.orders.cancel(order.id, { reason: 'test' });
    const historyBefore = await db()
      .selectFrom('order_history')
      .select('to_status')
      .where('order_id', '=', order.id)
      .execute();
    const deferred: DomainEvent[] = [];
    const placed = await db()
      .transaction()
      .execute(async (trx) => {
        const p = await s.payments.recordAuthorisation(
          payment.id,
          { ok: true, provider_ref: 'x' },
          { trx, defer: deferred },
        );
        expect(p?.status).toBe('authorized');
        return s.orders.paymentAuthorised(order.id, { trx, payment: p!, events: deferred });
      });
    expect(placed).toBeNull();
    expect(
      await db().selectFrom('order_history').select('to_status').where('order_id', '=', order.id).execute(),
    ).toEqual(historyBefore);
    const evs = await events([payment.id]);
    expect(evs.map((e) => e.type)).toEqual(['payment.authorized']);
    expect(evs[0]!.payload).toEqual({
      payment_id: payment.id,
      order_id: order.id,
      provider: 'test',
      amount: 100,
      currency: 'EUR',
    });
    // recorded again: no longer pending, nothing written
    const again = await s.payments.recordAuthorisation(payment.id, { ok: true, provider_ref: 'y' });
    expect(again).toBeNull();
    expect((await events([payment.id])).length).toBe(1);
    await expect(s.payments.recordAuthorisation('pay_missing', { ok: true, provider_ref: 'z' })).rejects.toMatchObject({
      type: 'not_found',
    });
  });
});
