/** A shop with a referral programme, and shoppers who buy through HTTP with their own tokens. */
import type { TestApp } from '../helpers/app.js';
import { setupShop, type Shop } from '../checkout/fixtures.js';
import { drain, pickupCodeMailed } from '../fulfillment/fixtures.js';

export { drain };
/** Cards the test provider accepts (Luhn-valid, not in its decline list), each a different fingerprint. */
export const CARDS = {
  ana: '4242 4242 4242 4242',
  other: '5555 5555 5555 4444',
  third: '4000 0566 5566 5556',
};
export const REWARD = 1500;
export const FRIEND_DISCOUNT = 1000;

export interface Shopper {
  id: string;
  token: string;
}

/** The shop of test/checkout plus a bag held at its store only (`shop.skus[4]`), a first-order promotion and the programme. */
export async function setupReferrals(t: TestApp, prefix: string): Promise<{ shop: Shop; promotionId: string }> {
  const shop = await setupShop(t, { prefix, promotions: 0 });
  // Held at the Sol store only, so a click & collect there is picked at the counter (no transfer leg).
  const sku = `${prefix.toUpperCase()}-BAG`;
  await t.omnia.services.catalog.createProduct({
    code: `${prefix}-bag`,
    name: sku,
    category: 'bags',
    variants: [{ sku, weight_g: 300, prices: [{ currency: 'EUR', list_amount: 4500 }] }],
  });
  await t.omnia.services.inventory.recordMovement({ sku, location_id: shop.store.id, type: 'receipt', quantity: 20 });
  shop.skus.push(sku);
  const promo = await t.request('POST', '/v1/promotions', {
    body: {
      name: 'A friend’s welcome: 10 € off',
      kind: 'basket_amount',
      params: { amount: FRIEND_DISCOUNT },
      conditions: { first_order: true },
      coupon_required: true,
    },
  });
  if (promo.status !== 201) throw new Error(`promotion: ${JSON.stringify(promo.body)}`);
  const set = await t.request('PUT', '/v1/referral-programme', {
    body: {
      promotion_id: promo.body.id,
      reward: { amount: REWARD, currency: 'EUR' },
      link_base: 'https://shop.example.com/invite',
    },
  });
  if (set.status !== 200) throw new Error(`programme: ${JSON.stringify(set.body)}`);
  return { shop, promotionId: promo.body.id };
}

export async function register(t: TestApp, prefix: string, name: string): Promise<Shopper> {
  const web = (await t.omnia.services.network.channel(`${prefix}-web`))!;
  const r = await t.omnia.services.customers.register({
    email: `${name}@${prefix}.example.com`,
    password: 'a long enough password',
    channelId: web.id,
  });
  return { id: r.customer_id, token: r.token };
}

/** A shopper's order through the storefront: cart, the code as a coupon, checkout; the dispatcher runs after. */
export async function buy(
  t: TestApp,
  who: Shopper,
  o: { sku: string; code?: string; card: string; delivery: Record<string, unknown> },
): Promise<{ id: string; discount: number; lines: { line_id: string; quantity: number }[] }> {
  const cart = await t.request('POST', '/v1/carts', { token: who.token, body: {} });
  await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: who.token, body: { sku: o.sku, quantity: 1 } });
  if (o.code) {
    const c = await t.request('POST', `/v1/carts/${cart.body.id}/coupons`, {
      token: who.token,
      body: { code: o.code },
    });
    if (c.status !== 200) throw new Error(`coupon: ${c.status} ${JSON.stringify(c.body)}`);
  }
  const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
    token: who.token,
    body: { delivery: o.delivery, payment: { provider: 'test', card_number: o.card } },
  });
  if (res.status !== 201) throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
  await drain(t);
  return { id: res.body.id, discount: res.body.discount_total.amount, lines: res.body.lines };
}

/** The store takes a click & collect order to the counter (HTTP, as staff): its task and the customer's pickup code. */
export async function readyForPickup(t: TestApp, orderId: string): Promise<{ taskId: string; code: string }> {
  const [task] = await t.omnia.services.fulfillment.ofOrder(orderId);
  if (!task) throw new Error(`no fulfillment task for ${orderId}`);
  for (const action of ['accept', 'pick', 'pack', 'ready']) {
    const r = await t.request('POST', `/v1/fulfillments/${task.id}/actions`, { body: { action } });
    if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return { taskId: task.id, code: await pickupCodeMailed(t, task.id) };
}

/** The customer collects the order at the counter; the dispatcher runs after. */
export async function handover(t: TestApp, ready: { taskId: string; code: string }): Promise<void> {
  const r = await t.request('POST', `/v1/fulfillments/${ready.taskId}/actions`, {
    body: { action: 'handover', pickup_code: ready.code },
  });
  if (r.status !== 200) throw new Error(`handover: ${r.status} ${JSON.stringify(r.body)}`);
  await drain(t);
}

export async function collect(t: TestApp, orderId: string): Promise<void> {
  await handover(t, await readyForPickup(t, orderId));
}

export async function referralOfOrder(t: TestApp, orderId: string): Promise<Record<string, any> | undefined> {
  const list = await t.request('GET', '/v1/referrals?limit=500');
  return list.body.items.find((r: { order_id: string }) => r.order_id === orderId);
}

export async function creditBalance(t: TestApp, who: Shopper): Promise<number> {
  const r = await t.request('GET', `/v1/store-credit/accounts?customer_id=${who.id}`, { token: who.token });
  return r.body.items.find((a: { balance: { currency: string } }) => a.balance.currency === 'EUR')?.balance.amount ?? 0;
}
