/**
 * Quote reuse at checkout (issue 17 point 2, src/carts/quote-reuse.ts), on a real database (PGlite, and
 * PostgreSQL with OMNIA_TEST_DB=pg). Every checkout here is compared with a fresh quote made at the
 * same moment (test clock) from the same data: the order's totals and lines must be exactly those. The
 * promotions engine is spied on to tell a reused quote (no pricing call during checkout) from a fresh one.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, GOOD_CARD, HOME_ADDRESS, type Shop } from './fixtures.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { CartActor } from '../../src/carts/index.js';
import type { Order } from '../../src/orders/index.js';
import { AppError } from '../../src/platform/http/problems.js';

type Delivery =
  { method: 'home'; address: typeof HOME_ADDRESS } | { method: 'click_collect' | 'pickup_point'; location_id: string };

/** What an order line and a quote line must agree on, in one order. */
type LineFacts = Record<
  'sku' | 'quantity' | 'unit_price' | 'discount' | 'total' | 'tax_rate' | 'tax_amount' | 'applied',
  unknown
>;
const lineFacts = (lines: readonly LineFacts[]) =>
  lines.map((l) => [l.sku, l.quantity, l.unit_price, l.discount, l.total, l.tax_rate, l.tax_amount, l.applied]);

describe('checkout reuses the cart quote only when nothing it depends on changed', () => {
  let t: TestApp;
  let shop: Shop;
  let web: CartActor;
  const clock = new ManualClock('2026-06-01T10:00:00Z');
  let pricingCalls = 0;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    shop = await setupShop(t, { prefix: 'qr', promotions: 5, stock: 5000 });
    const s = t.omnia.services;
    for (const sku of shop.skus.slice(0, 3))
      await s.inventory.recordMovement({ sku, location_id: shop.store.id, type: 'receipt', quantity: 5000 });
    web = {
      kind: 'api_key',
      keyKind: 'secret',
      id: 'qr',
      channelId: (await s.network.channel('qr-web'))!.id,
      locationId: null,
    };
    const p = s.promotions;
    for (const name of ['quote', 'quoteWithBasis'] as const) {
      const orig = p[name].bind(p) as (...a: unknown[]) => Promise<unknown>;
      vi.spyOn(p, name).mockImplementation(((...a: unknown[]) => {
        pricingCalls++;
        return orig(...a);
      }) as never);
    }
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  const delivery = (method: 'home' | 'click_collect' | 'pickup_point'): Delivery =>
    method === 'home'
      ? { method, address: HOME_ADDRESS }
      : { method, location_id: method === 'click_collect' ? shop.store.id : shop.point.id };

  async function newCart(lines: [number, number][], actor: CartActor = web): Promise<string> {
    const s = t.omnia.services;
    const { cart } = await s.carts.create(actor, {});
    for (const [i, quantity] of lines) await s.carts.addItem(actor, cart.id, { sku: shop.skus[i]!, quantity });
    return cart.id;
  }

  /**
   * Checks the cart out and compares the order with a fresh quote made at the same moment from the same
   * data; `priced`: whether the first attempt priced (false: it reused the stored quote). A first attempt
   * refused with cart_changed (prices moved since the cart was priced, as before this work) must have
   * priced; the shopper's second attempt, with the new total, must then reuse what the refusal stored.
   */
  async function checkoutExact(
    cartId: string,
    d: Delivery,
    actor: CartActor = web,
    extra: { expected_total?: number } = {},
  ): Promise<{ priced: boolean; changed: boolean; order: Order }> {
    const s = t.omnia.services;
    const row = await s.carts.load(cartId);
    const lines = await db().selectFrom('cart_lines').selectAll().where('cart_id', '=', cartId).orderBy('id').execute();
    const attempt = (more: { expected_total?: number }) =>
      s.checkout.checkout(actor, cartId, {
        delivery: d,
        payment: { provider: 'test', card_number: GOOD_CARD },
        ...more,
      });
    pricingCalls = 0;
    const first = await attempt(extra).catch((e: unknown) => e);
    const priced = pricingCalls > 0;
    let order: Order;
    let changed = false;
    if (first instanceof AppError && first.type === 'cart_changed') {
      changed = true;
      expect(priced).toBe(true);
      pricingCalls = 0;
      order = (await attempt({ expected_total: (first.extras.total as { amount: number }).amount })).order;
      expect(pricingCalls).toBe(0);
    } else if (first instanceof Error) throw first;
    else order = (first as { order: Order }).order;
    // the request checkout makes (carts' quoteRequest), written out: a fresh quote at the same moment
    const fresh = await s.promotions.quote(
      {
        channel: row.channel_id,
        currency: row.currency,
        lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, line_id: l.id })),
        ...(row.customer_id ? { customer_id: row.customer_id } : {}),
        ...(row.location_id ? { location_id: row.location_id } : {}),
        ...(row.coupons.length ? { coupons: row.coupons } : {}),
        shipping: { method: d.method, amount: order.shipping.amount },
      },
      { at: clock.now() },
    );
    expect({
      subtotal: order.subtotal.amount,
      discount_total: order.discount_total.amount,
      shipping: [order.shipping.amount, order.shipping.discount],
      tax_total: order.tax_total.amount,
      total: order.total.amount,
      tax_breakdown: order.tax_breakdown,
      lines: lineFacts(order.lines),
    }).toEqual({
      subtotal: fresh.subtotal,
      discount_total: fresh.discount_total,
      shipping: [fresh.shipping.amount, fresh.shipping.discount],
      tax_total: fresh.tax_total,
      total: fresh.total,
      tax_breakdown: fresh.tax_breakdown,
      lines: lineFacts(fresh.lines),
    });
    return { priced, changed, order };
  }

  it('reuses the quote when nothing changed (no pricing call), and re-prices for a charged delivery', async () => {
    expect(
      (
        await checkoutExact(
          await newCart([
            [0, 1],
            [1, 2],
          ]),
          delivery('click_collect'),
        )
      ).priced,
    ).toBe(false);
    // a pickup point charges its fee: the cart's quote (priced without shipping) does not serve it
    expect((await checkoutExact(await newCart([[0, 1]]), delivery('pickup_point'))).priced).toBe(true);
    expect((await checkoutExact(await newCart([[2, 3]]), delivery('home'))).priced).toBe(true);
    // over the free-shipping threshold, home delivery is charged and waived: reused
    const free = await checkoutExact(await newCart([[1, 1]]), delivery('home'));
    expect(free.priced).toBe(false);
    expect(free.order.shipping.amount).toBeGreaterThan(0);
    expect(free.order.shipping.discount).toBe(free.order.shipping.amount);
  });

  it('after cart_changed, the next attempt with the same delivery reuses the quote checkout stored', async () => {
    const s = t.omnia.services;
    const id = await newCart([
      [1, 1],
      [2, 1],
    ]);
    const refused = await s.checkout
      .checkout(web, id, {
        delivery: delivery('home'),
        payment: { provider: 'test', card_number: GOOD_CARD },
        expected_total: 1,
      })
      .catch((e: unknown) => e);
    expect((refused as AppError).type).toBe('cart_changed');
    const total = ((refused as AppError).extras.total as { amount: number }).amount;
    const again = await checkoutExact(id, delivery('home'), web, { expected_total: total });
    expect(again.priced).toBe(false);
    expect(again.order.total.amount).toBe(total);
  });

  it('a home address with another shipping amount re-prices', async () => {
    const s = t.omnia.services;
    const id = await newCart([[0, 1]]);
    await s.checkout
      .checkout(web, id, {
        delivery: delivery('home'),
        payment: { provider: 'test', card_number: GOOD_CARD },
        expected_total: 1,
      })
      .catch(() => undefined);
    const pt = { ...HOME_ADDRESS, country: 'PT', postal_code: '1100-148', city: 'Lisboa' };
    const before = await s.delivery.homePrice([{ sku: shop.skus[0]!, quantity: 1 }], 'ES');
    const after = await s.delivery.homePrice([{ sku: shop.skus[0]!, quantity: 1 }], 'PT');
    const r = await checkoutExact(id, { method: 'home', address: pt });
    expect(r.priced).toBe(before !== after);
  });

  it('a price change through the catalog re-prices', async () => {
    const id = await newCart([[0, 2]]);
    await t.omnia.services.catalog.setPrices([{ sku: shop.skus[0]!, currency: 'EUR', list_amount: 3195 }]);
    const r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    expect(r.order.lines[0]!.unit_price).toBe(3195);
  });

  it('a plain-SQL write to the price book re-prices (the trigger, not the service, moves the version)', async () => {
    const id = await newCart([[0, 1]]);
    await sql`update prices set list_amount = list_amount + 100 where sku = ${shop.skus[0]!}`.execute(db());
    const r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    expect(r.order.lines[0]!.unit_price).toBe(3295);
  });

  it('a promotion change, a new promotion and a plain-SQL promotion write each re-price', async () => {
    const s = t.omnia.services;
    const jeans = (await s.promotions.listPromotions({ limit: 50 })).items.find((p) => p.name === '10% off jeans')!;
    let id = await newCart([[1, 1]]);
    await s.promotions.updatePromotion(jeans.id, { params: { percent: 20 } } as never);
    let r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    expect(r.order.discount_total.amount).toBeGreaterThan(1000); // 20 %, not the 10 % the cart was priced with

    id = await newCart([[2, 1]]);
    await s.promotions.createPromotion({
      name: '50 cents off socks',
      kind: 'item_amount',
      params: { amount: 50 },
      scope: { skus: [shop.skus[2]!] },
    } as never);
    r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);

    id = await newCart([[1, 1]]);
    await sql`update promotions set status = 'inactive' where id = ${jeans.id}`.execute(db());
    // this process's snapshot did not see that write (no invalidate, frozen clock): a fresh quote
    // would still apply it, and so does the checkout — what matters is that it priced again
    r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    s.promotions.invalidate();
    expect((await checkoutExact(await newCart([[1, 1]]), delivery('click_collect'))).order.discount_total.amount).toBe(
      0,
    );
  });

  it('a variant change (plain SQL) re-prices', async () => {
    const id = await newCart([[2, 1]]);
    await sql`update variants set size = 'XL' where sku = ${shop.skus[2]!}`.execute(db());
    expect((await checkoutExact(id, delivery('click_collect'))).priced).toBe(true);
    // what a quote does not read (weight) leaves the version alone
    const id2 = await newCart([[2, 1]]);
    await sql`update variants set weight_g = weight_g + 1 where sku = ${shop.skus[2]!}`.execute(db());
    expect((await checkoutExact(id2, delivery('click_collect'))).priced).toBe(false);
  });

  it('a promotion starting or ending, and a sale window opening or closing, re-price (test clock)', async () => {
    const s = t.omnia.services;
    const start = new Date(clock.now().getTime() + 3_600_000);
    const end = new Date(clock.now().getTime() + 3 * 3_600_000);
    await s.promotions.createPromotion({
      name: 'happy hours on shirts',
      kind: 'item_amount',
      params: { amount: 300 },
      scope: { skus: [shop.skus[0]!] },
      starts_at: start.toISOString(),
      ends_at: end.toISOString(),
    } as never);
    await s.catalog.setPrices([
      {
        sku: shop.skus[1]!,
        currency: 'EUR',
        list_amount: 5995,
        sale_amount: 4995,
        valid_from: new Date(start.getTime() + 600_000).toISOString(),
        valid_to: new Date(end.getTime() + 600_000).toISOString(),
      },
    ]);
    // priced before the promotion starts; checked out after
    let id = await newCart([[0, 1]]);
    clock.set(new Date(start.getTime() + 60_000));
    let r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    expect(r.order.lines[0]!.discount).toBeGreaterThanOrEqual(300);
    // priced inside the window, checked out inside it: reused
    id = await newCart([[0, 1]]);
    expect((await checkoutExact(id, delivery('click_collect'))).priced).toBe(false);
    // a sale on jeans opens 10 minutes after the promotion starts
    id = await newCart([[1, 1]]);
    clock.set(new Date(start.getTime() + 700_000));
    r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    expect(r.order.lines[0]!.unit_price).toBe(4995);
    // priced in the window, checked out after the promotion ended (the sale still runs 10 min more)
    id = await newCart([
      [0, 1],
      [1, 1],
    ]);
    clock.set(new Date(end.getTime() + 60_000));
    r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    // priced before the sale closes, checked out after
    id = await newCart([[1, 1]]);
    clock.set(new Date(end.getTime() + 700_000));
    r = await checkoutExact(id, delivery('click_collect'));
    expect(r.priced).toBe(true);
    expect(r.order.lines[0]!.unit_price).toBe(5995);
    expect((await checkoutExact(await newCart([[1, 1]]), delivery('click_collect'))).priced).toBe(false);
  });

  it('carts with a coupon or a customer are always re-priced', async () => {
    const s = t.omnia.services;
    const promo = await s.promotions.createPromotion({
      name: 'coupon 2 € off',
      kind: 'basket_amount',
      params: { amount: 200 },
      coupon_required: true,
    } as never);
    await s.promotions.createCoupons(promo.id, { kind: 'public', code: 'QRTWO' });
    const id = await newCart([[0, 1]]);
    await s.carts.addCoupon(web, id, 'QRTWO');
    expect((await checkoutExact(id, delivery('click_collect'))).priced).toBe(true);
    // a coupon that stops in between: the fresh verdict (rejected) is what checkout sees
    const id2 = await newCart([[0, 1]]);
    await s.carts.addCoupon(web, id2, 'QRTWO');
    await sql`update coupons set active = false where code = 'QRTWO'`.execute(db());
    const refused = await s.checkout
      .checkout(web, id2, {
        delivery: delivery('click_collect'),
        payment: { provider: 'test', card_number: GOOD_CARD },
      })
      .catch((e: unknown) => e);
    expect((refused as AppError).type).toBe('cart_changed');

    const reg = await s.customers.register({
      email: 'qr@example.com',
      password: 'a long enough password',
      channelId: (web as { channelId: string }).channelId,
    });
    const me: CartActor = {
      kind: 'customer',
      id: reg.customer_id,
      customerId: reg.customer_id,
      channelId: (web as { channelId: string }).channelId,
    };
    const mine = await newCart([[2, 1]], me);
    expect((await checkoutExact(mine, delivery('click_collect'), me)).priced).toBe(true);
  });

  it('reused and fresh agree over random cart, price and clock changes', async () => {
    const s = t.omnia.services;
    let seed = 17;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let reused = 0;
    let repriced = 0;
    for (let round = 0; round < 30; round++) {
      const lines: [number, number][] = [[rnd(3), 1 + rnd(3)]];
      if (rnd(2)) lines.push([(lines[0]![0] + 1) % 3, 1 + rnd(2)]);
      const id = await newCart(lines);
      const change = rnd(6);
      if (change === 1)
        await s.catalog.setPrices([{ sku: shop.skus[rnd(3)]!, currency: 'EUR', list_amount: 900 + 100 * rnd(50) }]);
      else if (change === 2)
        await sql`update prices set list_amount = list_amount + 1 where sku = ${shop.skus[rnd(3)]!}`.execute(db());
      else if (change === 3) await s.carts.addItem(web, id, { sku: shop.skus[rnd(3)]!, quantity: 1 });
      else if (change === 4) clock.advance(rnd(2) ? 1000 : 24 * 3_600_000);
      const r = await checkoutExact(id, delivery((['click_collect', 'pickup_point', 'home'] as const)[rnd(3)]!));
      if (r.priced) repriced++;
      else reused++;
    }
    expect(reused).toBeGreaterThan(0);
    expect(repriced).toBeGreaterThan(0);
  });
});
