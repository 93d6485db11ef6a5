/**
 * PostgreSQL only (real concurrent connections): checkouts spending the same store credit at once —
 * the web shop and an associate's till with one gift card (three rounds), two shoppers on the web
 * and the app with one gift card, and a customer's checkout racing another spend of their balance.
 * One succeeds, the other is refused with insufficient_credit (problem+json) and leaves nothing
 * behind (no order, its cart still open); the balance is exact and equals the ledger. The card
 * provider answers in 300 ms, after the checkout transaction has committed.
 * (A customer has one open cart across channels, so two checkouts of their own balance at once are
 * a checkout and some other spend, not two carts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { GOOD_CARD, HOME_ADDRESS, setupShop, type Shop } from '../checkout/fixtures.js';

describe('two checkouts spending the same store credit at once (PostgreSQL)', () => {
  let t: TestApp;
  let shop: Shop;
  let cus: { token: string; customer_id: string };

  beforeAll(async () => {
    t = await startTestApp({
      database: await createTestDatabase({ forcePg: true }),
      env: { OMNIA_TEST_PAYMENT_LATENCY_MS: '300' },
    });
    shop = await setupShop(t, { prefix: 'scr' });
    const reg = await t.omnia.services.customers.register({
      email: 'race.credit@example.com',
      password: 'a long enough password',
      channelId: (await t.omnia.services.network.channel('scr-web'))!.id,
    });
    cus = { token: reg.token, customer_id: reg.customer_id };
  });
  afterAll(async () => t?.close());

  const credit = () => t.omnia.services.storeCredit;

  async function cart(token: string, body: Record<string, unknown> = {}): Promise<string> {
    const c = await t.request('POST', '/v1/carts', { token, body });
    expect(c.status, JSON.stringify(c.body)).toBeLessThan(300);
    const added = await t.request('POST', `/v1/carts/${c.body.id}/items`, {
      token,
      body: { sku: shop.skus[1]!, quantity: 1 }, // jeans: 53.95
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    return c.body.id;
  }

  /** Both answers, the winner first; the loser is checked to have written nothing. */
  async function oneWins(
    a: { token: string; cart: string; body: Record<string, unknown> },
    b: { token: string; cart: string; body: Record<string, unknown> },
  ) {
    const go = (x: typeof a) => t.request('POST', `/v1/carts/${x.cart}/checkout`, { token: x.token, body: x.body });
    const [ra, rb] = await Promise.all([go(a), go(b)]);
    expect([ra.status, rb.status].sort(), JSON.stringify([ra.body, rb.body])).toEqual([201, 409]);
    const [won, lost, lostCart] = ra.status === 201 ? [ra, rb, b] : [rb, ra, a];
    expect(lost.headers['content-type']).toContain('application/problem+json');
    expect(lost.body.code).toBe('insufficient_credit');
    expect(lost.body.errors).toEqual([{ field: 'credits/0/amount', message: 'more than the balance' }]);
    const loserCart = await t.request('GET', `/v1/carts/${lostCart.cart}`, { token: lostCart.token });
    expect(loserCart.body.status).toBe('open');
    expect(await t.omnia.services.orders.findByCart(lostCart.cart)).toBeFalsy();
    return won.body;
  }

  it('the web shop and the till with the same gift card, three rounds: one pays with it each time, the other is refused', async () => {
    for (let round = 0; round < 3; round++) {
      // 50.00 on the card: enough for one 30.00 spend, not two
      const { code, account } = await credit().issue({
        to: { gift_card: true },
        currency: 'EUR',
        amount: 5000,
        reason: 'gift_return',
        reference: `rtn_race_till_${round}`,
      });
      const web = await cart(shop.keys.web);
      // an associate's till sale (staff, on the till channel at the store)
      const till = await cart(t.admin, { channel: 'scr-pos', location_id: shop.store.id });
      const credits = [{ method: 'gift_card', code: code!, amount: 3000 }];
      const won = await oneWins(
        {
          token: shop.keys.web,
          cart: web,
          body: {
            delivery: { method: 'home', address: HOME_ADDRESS },
            payment: { provider: 'test', card_number: GOOD_CARD },
            email: 'web.holder@example.com',
            credits,
          },
        },
        {
          token: t.admin,
          cart: till,
          body: { delivery: { method: 'in_store' }, payment: { provider: 'manual' }, credits },
        },
      );
      expect(won.payment.amount.amount).toBe(5395 - 3000);
      // One spend, the loser wrote nothing.
      const ledger = await credit().ledger(account.id);
      expect(ledger.map((e) => [e.amount, e.balance_after])).toEqual([
        [5000, 5000],
        [-3000, 2000],
      ]);
      expect(ledger.at(-1)!.reference).toBe(won.id);
    }
    expect(await credit().ledgerMismatches()).toEqual([]);
  });

  it('a customer’s checkout and another spend of the same balance at once: one of them is refused', async () => {
    const { account } = await credit().issue({
      to: { customer_id: cus.customer_id },
      currency: 'EUR',
      amount: 3000,
      reason: 'return',
      reference: 'rtn_race_cus',
    });
    const web = await cart(cus.token);
    const [checkout, other] = await Promise.allSettled([
      t.request('POST', `/v1/carts/${web}/checkout`, {
        token: cus.token,
        body: {
          delivery: { method: 'home', address: HOME_ADDRESS },
          payment: { provider: 'test', card_number: GOOD_CARD },
          credits: [{ method: 'store_credit', amount: 3000 }],
        },
      }),
      // e.g. the same balance spent on another order at the same moment, holding its row lock a while
      t.database.db.transaction().execute(async (trx) => {
        const after = await credit().spend(account.id, 3000, 'ord_elsewhere', { trx });
        await sql`select pg_sleep(0.2)`.execute(trx);
        return after;
      }),
    ]);
    const res = (checkout as PromiseFulfilledResult<{ status: number; body: any }>).value;
    if (other.status === 'fulfilled') {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('insufficient_credit');
      expect(await t.omnia.services.orders.findByCart(web)).toBeFalsy();
    } else {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(other.reason.type).toBe('conflict');
    }
    expect((await credit().get(account.id)).balance.amount).toBe(0);
    expect((await credit().ledger(account.id)).map((e) => e.amount)).toEqual([3000, -3000]);
    expect(await credit().ledgerMismatches()).toEqual([]);
  });

  it('two shoppers with the same gift card: one pays with it, the other is refused, the balance is exact', async () => {
    const { code } = await credit().issue({
      to: { gift_card: true },
      currency: 'EUR',
      amount: 5000,
      reason: 'gift_return',
      reference: 'rtn_race_gc',
    });
    const body = {
      delivery: { method: 'home', address: HOME_ADDRESS },
      payment: { provider: 'test', card_number: GOOD_CARD },
      email: 'holder@example.com',
      credits: [{ method: 'gift_card', code: code!, amount: 4000 }],
    };
    const won = await oneWins(
      { token: shop.keys.web, cart: await cart(shop.keys.web), body },
      { token: shop.keys.app, cart: await cart(shop.keys.app), body },
    );
    expect(won.payment.amount.amount).toBe(1395);
    const card = await credit().byCode(code!);
    expect(card.balance.amount).toBe(1000);
    expect((await credit().ledger(card.id)).map((e) => e.amount)).toEqual([5000, -4000]);
    expect(await credit().ledgerMismatches()).toEqual([]);
  });
});
