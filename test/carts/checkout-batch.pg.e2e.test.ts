/**
 * Checkouts batched (OMNIA_CHECKOUT_BATCH=all here, 1 in the second instance; src/carts/checkout-batch.ts) on PostgreSQL, where
 * checkouts really run concurrently: a batch with refused checkouts (stock short, a coupon at its
 * limit) commits the others and leaves nothing of the refused ones; a flash sale of a 20-unit SKU
 * through two app instances (two batchers, as two processes) never oversells; replays are unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from '../checkout/fixtures.js';
import { createOmnia, type Omnia } from '../../src/server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/log.js';
import { AppError } from '../../src/platform/http/problems.js';
import type { CartActor } from '../../src/carts/types.js';
import type { BatchJob } from '../../src/carts/checkout-batch.js';

const input = {
  delivery: { method: 'home' as const, address: HOME_ADDRESS },
  payment: { provider: 'test', card_number: GOOD_CARD },
};

describe('batched checkouts on PostgreSQL', () => {
  let t: TestApp;
  let other: Omnia;
  let shop: Shop;
  let web: CartActor;
  beforeAll(async () => {
    const database = await createTestDatabase({ forcePg: true });
    t = await startTestApp({ database, env: { OMNIA_CHECKOUT_BATCH: 'all' } });
    // A second instance on the same database: its own pool and its own batcher, as a second process.
    other = await createOmnia({
      config: {
        // batching only checkouts of a SKU under pressure, beside the first instance batching all
        ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url!, OMNIA_CHECKOUT_BATCH: '1' }),
        jobs: false,
      },
      logger: createLogger('silent'),
      migrate: false,
    });
    shop = await setupShop(t, { prefix: 'b' });
    web = {
      kind: 'api_key',
      keyKind: 'secret',
      id: 'batch-test',
      channelId: (await t.omnia.services.network.requireChannel('b-web')).id,
      locationId: null,
    };
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const s = () => t.omnia.services;
  const db = () => t.omnia.ctx.db;

  async function product(sku: string, units: number) {
    await s().catalog.createProduct({
      code: `prod-${sku}`,
      name: sku,
      category: 'clothing',
      variants: [{ sku, weight_g: 100, prices: [{ currency: 'EUR', list_amount: 1500 }] }],
    });
    await s().inventory.recordMovement({ sku, location_id: shop.warehouse.id, type: 'receipt', quantity: units });
  }

  async function cart(lines: [string, number][], coupon?: string): Promise<string> {
    const { cart: c } = await s().carts.create(web, {});
    for (const [sku, quantity] of lines) await s().carts.addItem(web, c.id, { sku, quantity });
    if (coupon) await s().carts.addCoupon(web, c.id, coupon);
    return c.id;
  }

  /**
   * Checks `carts` out concurrently while a job holds the batcher busy, so they queue and run in
   * batches (not one transaction each); returns each one's outcome: the order id or the problem type.
   */
  async function checkoutBatched(carts: string[]): Promise<string[]> {
    const b = s().checkout.batcher!;
    const before = { ...b.stats };
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const blocker: BatchJob<never> = {
      scope: { cartId: 'blocker', skus: [], coupons: [], creditAccounts: [], customerId: null },
      run: async () => {
        await held;
        return { replayOf: null } as never;
      },
    };
    const blocked = b.submit(blocker);
    const outcomes = Promise.all(
      carts.map((id) =>
        s()
          .checkout.checkout(web, id, input)
          .then(
            (r) => r.order.id,
            (e: unknown) => (e instanceof AppError ? e.type : `unexpected: ${String(e)}`),
          ),
      ),
    );
    for (let i = 0; i < 500 && b.stats.submitted < before.submitted + 1 + carts.length; i++)
      await new Promise((r) => setTimeout(r, 10));
    release();
    await blocked;
    const out = await outcomes;
    // They went in batches: at most one ran alone after the blocker (the tail of the queue).
    expect(b.stats.batches).toBeGreaterThan(before.batches);
    expect(b.stats.batched - before.batched).toBeGreaterThanOrEqual(carts.length - 1);
    expect(b.stats.fallbacks).toBe(before.fallbacks);
    return out;
  }

  /** Nothing of a refused checkout exists; each order has exactly its payment and reservation. */
  async function expectNothingHalfWritten(carts: string[], outcomes: string[]) {
    const orderIds = outcomes.filter((o) => o.startsWith('ord'));
    const orders = await db().selectFrom('orders').select(['id', 'cart_id']).where('cart_id', 'in', carts).execute();
    expect(orders.map((o) => o.id).sort()).toEqual([...orderIds].sort());
    const payments = await db().selectFrom('payments').select('order_id').where('order_id', 'in', orderIds).execute();
    expect(payments.map((p) => p.order_id).sort()).toEqual([...orderIds].sort());
    const refs = await sql<{
      reference: string;
    }>`select reference from reservations where reference like 'ord%' and reference not in (select id from orders)`.execute(
      db(),
    );
    expect(refs.rows).toEqual([]);
    const paymentsWithoutOrder = await sql<{
      n: number;
    }>`select count(*)::int as n from payments p where not exists (select 1 from orders o where o.id = p.order_id)`.execute(
      db(),
    );
    expect(paymentsWithoutOrder.rows[0]!.n).toBe(0);
    for (const [i, id] of carts.entries()) {
      const c = await s().carts.load(id);
      if (outcomes[i]!.startsWith('ord')) expect([c.status, c.order_id]).toEqual(['completed', outcomes[i]]);
      else expect([c.status, c.order_id]).toEqual(['open', null]);
    }
  }

  const reservedOf = async (sku: string) => (await s().inventory.stock(sku)).levels.reduce((n, l) => n + l.reserved, 0);

  it('a batch where some are short of stock: the others complete, the refused leave nothing', async () => {
    await product('B-FEW', 3);
    // The short SKU is the second line: a refused checkout has reserved its first line before it
    // finds the second short, and that reservation must go with the rest of its work.
    const carts = await Promise.all(
      Array.from({ length: 8 }, () =>
        cart([
          [shop.skus[0]!, 1],
          ['B-FEW', 1],
        ]),
      ),
    );
    const shirtsBefore = await reservedOf(shop.skus[0]!);
    const outcomes = await checkoutBatched(carts);
    expect(outcomes.filter((o) => o.startsWith('ord'))).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'insufficient_stock')).toHaveLength(5);
    await expectNothingHalfWritten(carts, outcomes);
    const level = (await s().inventory.stock('B-FEW')).levels.find((l) => l.location_id === shop.warehouse.id)!;
    expect([level.on_hand, level.reserved]).toEqual([3, 3]);
    expect(await reservedOf(shop.skus[0]!)).toBe(shirtsBefore + 3);
  });

  it('a coupon at its limit refuses only the checkouts past it; no redemption of the refused', async () => {
    const promo = await s().promotions.createPromotion({
      name: 'Twice only',
      kind: 'basket_percent',
      params: { percent: 10 },
      coupon_required: true,
    } as never);
    await s().promotions.createCoupons(promo.id, { kind: 'public', code: 'BTWICE', max_redemptions: 2 });
    const carts = await Promise.all(Array.from({ length: 6 }, () => cart([[shop.skus[2]!, 1]], 'BTWICE')));
    const outcomes = await checkoutBatched(carts);
    expect(outcomes.filter((o) => o.startsWith('ord'))).toHaveLength(2);
    expect(outcomes.filter((o) => !o.startsWith('ord')).every((o) => o === 'coupon_invalid')).toBe(true);
    await expectNothingHalfWritten(carts, outcomes);
    const used = await db().selectFrom('coupon_redemptions').select('order_id').where('code', '=', 'BTWICE').execute();
    expect(used.map((u) => u.order_id).sort()).toEqual(outcomes.filter((o) => o.startsWith('ord')).sort());
    const coupon = await db()
      .selectFrom('coupons')
      .select('redemptions')
      .where('code', '=', 'BTWICE')
      .executeTakeFirstOrThrow();
    expect(coupon.redemptions).toBe(2);
  });

  it('a flash sale of 20 units through two batching instances: exactly 20 orders, reserved = sold', async () => {
    await product('B-FLASH', 20);
    const carts = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        cart([
          ['B-FLASH', 1],
          [shop.skus[i % 3]!, 1],
        ]),
      ),
    );
    const statsBefore = [{ ...s().checkout.batcher!.stats }, { ...other.services.checkout.batcher!.stats }];
    const outcomes = await Promise.all(
      carts.map((id, i) =>
        (i % 2 ? other : t.omnia).services.checkout.checkout(web, id, input).then(
          (r) => r.order.id,
          (e: unknown) => (e instanceof AppError ? e.type : `unexpected: ${String(e)}`),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.startsWith('ord'))).toHaveLength(20);
    expect(outcomes.filter((o) => !o.startsWith('ord')).every((o) => o === 'insufficient_stock')).toBe(true);
    await expectNothingHalfWritten(carts, outcomes);
    const level = (await s().inventory.stock('B-FLASH')).levels.find((l) => l.location_id === shop.warehouse.id)!;
    const sold = await db()
      .selectFrom('order_lines')
      .select(sql<number>`coalesce(sum(quantity), 0)::int`.as('n'))
      .where('sku', '=', 'B-FLASH')
      .executeTakeFirstOrThrow();
    expect([level.on_hand, level.reserved, sold.n]).toEqual([20, 20, 20]);
    const after = [s().checkout.batcher!.stats, other.services.checkout.batcher!.stats];
    // Both instances batched (the test is about batches, not one transaction per checkout).
    expect(after[0]!.batched - statsBefore[0]!.batched + after[1]!.batched - statsBefore[1]!.batched).toBeGreaterThan(
      0,
    );
  });

  it('replays are unchanged: a completed cart answers with its order, an Idempotency-Key replays', async () => {
    const carts = await Promise.all(Array.from({ length: 4 }, () => cart([[shop.skus[1]!, 1]])));
    const first = await checkoutBatched(carts);
    expect(first.every((o) => o.startsWith('ord'))).toBe(true);
    for (const [i, id] of carts.entries()) {
      const again = await s().checkout.checkout(web, id, input);
      expect([again.order.id, again.replayed]).toEqual([first[i], true]);
    }
    // The same cart twice in one batch: the second finds it completed in the batch's transaction.
    const twice = await cart([[shop.skus[1]!, 1]]);
    const [a, b] = await Promise.all([
      s().checkout.checkout(web, twice, input),
      s().checkout.checkout(web, twice, input),
    ]);
    expect(a.order.id).toBe(b.order.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const id = await cart([[shop.skus[1]!, 1]]);
    const headers = { 'idempotency-key': `batch-${id}` };
    const body = input;
    const r1 = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, headers, body });
    const r2 = await t.request('POST', `/v1/carts/${id}/checkout`, { token: shop.keys.web, headers, body });
    expect([r1.status, r2.status]).toEqual([201, 201]);
    expect(r2.body.id).toBe(r1.body.id);
    expect(await db().selectFrom('orders').select('id').where('cart_id', '=', id).execute()).toHaveLength(1);
  });
});
