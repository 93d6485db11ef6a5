import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { api, omniaCli, startServer, stopServer, type Server } from '../inventory/procs.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';

/**
 * Issue 11: the process dies between the provider's answer and our record of it. A real `omnia
 * serve` checks out with a test provider that remembers its answer by idempotency key and then
 * hangs (OMNIA_TEST_PAYMENT_HANG_AFTER_AUTH_MS); it is killed -9 in that window. After a restart
 * the reconciliation job asks the provider and settles the order: authorised → it proceeds; a
 * payment the provider never saw → the order is cancelled and its stock released. Doctor is clean.
 */
describe('a crash between payment authorisation and its record (PostgreSQL, real processes)', () => {
  let t: TestApp;
  let shop: Shop;
  let url: string;
  const servers: Server[] = [];
  const until = async <T>(what: string, f: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (v) return v;
      if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const reservedOf = async (sku: string) =>
    (await t.omnia.services.inventory.stock(sku)).levels.reduce((n, l) => n + l.reserved, 0);
  const cartWith = async (base: string, sku: string) => {
    const cart = await api(base, shop.keys.web, 'POST', '/v1/carts', {});
    await api(base, shop.keys.web, 'POST', `/v1/carts/${cart.body.id}/items`, { sku, quantity: 1 });
    return cart.body.id as string;
  };
  const orderOfCart = async (cartId: string) =>
    (
      await sql<{ id: string; status: string }>`select id, status from orders where cart_id = ${cartId}`.execute(
        t.omnia.ctx.db,
      )
    ).rows[0];

  beforeAll(async () => {
    const d = await createTestDatabase({ forcePg: true, poolSize: 4 });
    url = d.url!;
    t = await startTestApp({ database: d });
    shop = await setupShop(t, { prefix: 'k' });
  });
  afterAll(async () => {
    for (const s of servers) await stopServer(s, 'SIGKILL');
    await t?.close();
  });

  it('authorised at the provider, killed before the second transaction: the reconciliation places the order', async () => {
    const sku = shop.skus[0]!;
    const before = await reservedOf(sku);
    const a = await startServer(url, {
      OMNIA_TEST_PAYMENT_HANG_AFTER_AUTH_MS: '600000',
      OMNIA_PAYMENT_TIMEOUT_MS: '30000',
    });
    servers.push(a);
    const cartId = await cartWith(a.base, sku);
    const pending = api(a.base, shop.keys.web, 'POST', `/v1/carts/${cartId}/checkout`, {
      delivery: { method: 'home', address: HOME_ADDRESS },
      payment: { provider: 'test', card_number: GOOD_CARD },
    }).catch(() => 'connection lost');
    // The provider has said yes (and remembered it): kill now, before checkout records it.
    const remembered = await until('the provider to authorise', async () => {
      const r = await sql<{ idempotency_key: string; outcome: { ok: boolean; provider_ref: string } }>`
        select idempotency_key, outcome from test_provider_outcomes`.execute(t.omnia.ctx.db);
      return r.rows[0];
    });
    a.proc.kill('SIGKILL');
    await a.exited;
    expect(await pending).toBe('connection lost');
    expect(remembered.outcome.ok).toBe(true);
    const order = (await orderOfCart(cartId))!;
    expect(order.status).toBe('payment_pending');
    const payment = await t.omnia.services.payments.get(remembered.idempotency_key);
    expect(payment).toMatchObject({ status: 'pending', order_id: order.id });
    expect(await reservedOf(sku)).toBe(before + 1);

    const b = await startServer(url, { OMNIA_PAYMENT_TIMEOUT_MS: '1000' });
    servers.push(b);
    const settled = await until('the reconciliation', async () => {
      const o = await t.omnia.services.orders.get(order.id);
      return o.status !== 'payment_pending' && o;
    });
    expect(['placed', 'confirmed']).toContain(settled.status);
    expect(settled.payment).toMatchObject({ status: 'authorized', provider_ref: remembered.outcome.provider_ref });
    expect(await reservedOf(sku)).toBe(before + 1);
    const doctor = omniaCli(['doctor'], { url });
    expect(doctor.status, doctor.stdout).toBe(0);
    await stopServer(b);
  });

  it('killed before the provider answered: the reconciliation cancels the order and releases its stock', async () => {
    const sku = shop.skus[1]!;
    const before = await reservedOf(sku);
    const a = await startServer(url, { OMNIA_TEST_PAYMENT_LATENCY_MS: '600000', OMNIA_PAYMENT_TIMEOUT_MS: '30000' });
    servers.push(a);
    const cartId = await cartWith(a.base, sku);
    const pending = api(a.base, shop.keys.web, 'POST', `/v1/carts/${cartId}/checkout`, {
      delivery: { method: 'home', address: HOME_ADDRESS },
      payment: { provider: 'test', card_number: GOOD_CARD },
    }).catch(() => 'connection lost');
    const order = await until('the first transaction', () => orderOfCart(cartId));
    a.proc.kill('SIGKILL');
    await a.exited;
    expect(await pending).toBe('connection lost');
    expect(order.status).toBe('payment_pending');
    expect(await reservedOf(sku)).toBe(before + 1);

    const b = await startServer(url, { OMNIA_PAYMENT_TIMEOUT_MS: '1000' });
    servers.push(b);
    const settled = await until('the reconciliation', async () => {
      const o = await t.omnia.services.orders.get(order.id);
      return o.status !== 'payment_pending' && o;
    });
    expect(settled).toMatchObject({ status: 'cancelled', payment: { status: 'failed' } });
    expect(await reservedOf(sku)).toBe(before);
    // The shopper can try again with the same cart.
    const cart = await api(b.base, shop.keys.web, 'GET', `/v1/carts/${cartId}`);
    expect(cart.body.status).toBe('open');
    const doctor = omniaCli(['doctor'], { url });
    expect(doctor.status, doctor.stdout).toBe(0);
    await stopServer(b);
  });
});
