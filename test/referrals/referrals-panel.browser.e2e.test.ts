import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  ADMIN,
  PASSWORD,
  englishOnlyStrings,
  launchBrowser,
  login,
  screenshot,
  startConsoleServer,
  type ConsoleServer,
} from '../web/harness.js';

/**
 * The agent's 360 shows a customer's referrals (Chromium, demo retailer): Rita's code brought a
 * friend's first order, placed by the contact center with the code as a coupon; the panel lists it
 * as waiting for delivery and shows her code and share link on request.
 */
describe('referrals panel on the agent 360 (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let admin: string;
  let rita: string;
  let code: string;
  let orderId: string;
  const AGENT = { email: 'agent.referrals@console.test', password: PASSWORD };
  const api = (method: string, p: string, body?: unknown) => server.api(method, p, admin, body);

  async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 120; i++) {
      const v = await fn();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    admin = await server.token(ADMIN.email, ADMIN.password);
    const staff = await api('POST', '/v1/staff', { ...AGENT, role: 'agent' });
    expect(staff.status, JSON.stringify(staff.body)).toBe(201);
    const promo = await api('POST', '/v1/promotions', {
      name: 'Friend welcome',
      kind: 'basket_amount',
      params: { amount: 500 },
      conditions: { first_order: true },
      coupon_required: true,
    });
    expect(promo.status, JSON.stringify(promo.body)).toBe(201);
    const programme = await api('PUT', '/v1/referral-programme', {
      promotion_id: promo.body.id,
      reward: { amount: 1000, currency: 'EUR' },
      link_base: 'https://shop.example.com/invite',
    });
    expect(programme.status, JSON.stringify(programme.body)).toBe(200);
    const identify = async (email: string, first_name: string) =>
      (await api('POST', '/v1/identify', { identifiers: { email }, first_name })).body.customer_id as string;
    rita = await identify('rita.referrer@example.com', 'Rita');
    code = (await api('GET', `/v1/customers/${rita}/referral`)).body.code;
    const friend = await identify('fede.friend@example.com', 'Fede');

    const web = (await api('GET', '/v1/channels')).body.items.find((c: { type: string }) => c.type === 'web');
    const warehouse = (await api('GET', '/v1/locations?limit=200')).body.items.find(
      (l: { type: string }) => l.type === 'warehouse',
    );
    const product = (await api('GET', '/v1/products?limit=1')).body.items[0];
    const sku = (await api('GET', `/v1/products/${product.id}`)).body.variants[0].sku;
    await api('POST', '/v1/inventory/movements', {
      sku,
      location_id: warehouse.id,
      type: 'receipt',
      quantity: 5,
      reason: 'referral test',
    });
    const cart = await api('POST', '/v1/carts', { channel: web.code, customer_id: friend });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    await api('POST', `/v1/carts/${cart.body.id}/items`, { sku, quantity: 1 });
    const coupon = await api('POST', `/v1/carts/${cart.body.id}/coupons`, { code });
    expect(coupon.status, JSON.stringify(coupon.body)).toBe(200);
    const order = await api('POST', `/v1/carts/${cart.body.id}/checkout`, {
      delivery: {
        method: 'home',
        address: { name: 'Fede', line1: 'Rua Nova 7', city: 'Lisboa', postal_code: '1100-001', country: 'PT' },
      },
      payment: { provider: 'test', card_number: '5555 5555 5555 4444' },
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    orderId = order.body.id;
    await until('the referral recorded', async () => {
      const list = (await api('GET', `/v1/customers/${rita}/referrals`)).body.items;
      return list.length ? true : undefined;
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the friend’s order as waiting for delivery and shows the code on request', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await login(page, server.url, AGENT.email, AGENT.password);
    await page.goto(`${server.url}/console/agent/customers/${rita}`);
    await page.locator('[data-testid=referrals] [data-action=show-referrals]').click();
    const row = page.locator('[data-testid=referrals] tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const text = (await row.first().textContent()) ?? '';
    expect(text).toContain(orderId);
    expect(text).toContain('Waiting for delivery');
    expect(text).toContain('Referred a friend');
    await page.locator('[data-testid=referrals] [data-action=show-code]').click();
    await page.locator('[data-testid=referral-code]').waitFor();
    expect(await page.textContent('[data-testid=referral-code]')).toContain(code);
    const link = await page.locator('[data-testid=referral-code] a').getAttribute('href');
    expect(link).toContain(`referral=${code}`);
    await screenshot(page, 'agent-referrals-panel');
    await page.close();
  }, 120_000);

  it('has Spanish and Portuguese for every referrals string', () => {
    for (const lang of ['es', 'pt'] as const)
      expect(englishOnlyStrings(lang).filter((k) => k.startsWith('referrals.'))).toEqual([]);
  });
});
