import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  PASSWORD,
  countApiCalls,
  englishOnlyStrings,
  launchBrowser,
  login,
  screenshot,
  startConsoleServer,
  type ConsoleServer,
} from './harness.js';
import { smtpSink } from '../helpers/smtp.js';

/**
 * The store associate's floor screens on a phone, against a real Omnia with the demo retailer: the
 * stock lookup, the endless aisle (a size this store lacks, sold at the till for home delivery from a
 * warehouse; a shopper's cart claimed by its hand-off code) and a web order's unit taken back at the
 * counter, which the store's stock and the customer's 360 then show. Screenshots of every screen.
 */

describe('store floor (Chromium, phone)', () => {
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let server: ConsoleServer;
  let browser: Browser;
  let admin: string;
  let store: { id: string; name: string };
  let warehouseIds: string[];
  const ASSOC = { email: 'floor@console.test', password: PASSWORD };
  const api = (method: string, path: string, body?: unknown) => server.api(method, path, admin, body);

  beforeAll(async () => {
    smtp = await smtpSink();
    [server, browser] = await Promise.all([
      startConsoleServer(undefined, { env: { OMNIA_SMTP_URL: smtp.url, OMNIA_MAIL_FROM: 'Shop <shop@example.com>' } }),
      launchBrowser(),
    ]);
    admin = await server.token(ADMIN.email, ADMIN.password);
    const stores = (await api('GET', '/v1/locations?type=store&limit=50')).body.items as {
      id: string;
      name: string;
      address: { country: string };
    }[];
    store = stores.find((s) => s.address.country === 'ES') ?? stores[0]!;
    warehouseIds = (await api('GET', '/v1/locations?type=warehouse')).body.items.map((w: { id: string }) => w.id);
    const staff = await api('POST', '/v1/staff', { ...ASSOC, role: 'store_associate', location_id: store.id });
    expect(staff.status, JSON.stringify(staff.body)).toBe(201);
    // Endless aisle: the demo's point-of-sale channel promises every location's stock as it comes,
    // warehouses included (its stock policy decides which locations feed it).
    const pos = await api('GET', '/v1/channels/pos');
    expect(pos.status, JSON.stringify(pos.body)).toBe(200);
    expect(pos.body.stock_policy.locations).toBe('all');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  async function phone(locale = 'en-GB'): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await login(page, server.url, ASSOC.email, ASSOC.password);
    return { ctx, page };
  }

  /** A product's first size, held only by one warehouse (5 units): no store has it. */
  async function onlyInWarehouse(index: number): Promise<{ code: string; sku: string }> {
    const list = (await api('GET', `/v1/products?limit=${index + 1}`)).body.items;
    const p = (await api('GET', `/v1/products/${list[index].id}`)).body;
    const sku = p.variants[0].sku as string;
    const levels = (await api('GET', `/v1/inventory/${sku}`)).body.levels as { location_id: string }[];
    const home = warehouseIds[0]!;
    for (const l of levels.filter((x) => x.location_id !== home)) {
      const r = await api('POST', '/v1/inventory/movements', {
        sku,
        location_id: l.location_id,
        type: 'count',
        quantity: 0,
        reason: 'floor test: only the warehouse holds it',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const has = levels.some((l) => l.location_id === home);
    const r = await api('POST', '/v1/inventory/movements', {
      sku,
      location_id: home,
      type: has ? 'count' : 'receipt',
      quantity: 5,
      reason: 'floor test',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { code: p.code, sku };
  }

  it('looks up a size this store lacks, sells it at the till for home delivery, and a warehouse ships it', async () => {
    const { code, sku } = await onlyInWarehouse(3);
    const { ctx, page } = await phone();
    const calls = countApiCalls(page);

    // Stock: none here, some in the warehouse, what each channel may promise.
    await page.goto(`${server.url}/console/store/stock`);
    await page.locator('h1#stock-title').waitFor();
    calls.reset();
    await page.fill('input[name=q]', code);
    await page.click('form[role=search] button[type=submit]');
    const here = page.locator(`[data-here="${sku}"]`);
    await here.waitFor();
    expect(await here.textContent()).toMatch(/^0 units/);
    expect(await page.locator(`[data-sku="${sku}"]`).textContent()).toContain('Warehouses');
    await page.waitForFunction(() => !document.querySelector('.spinner'));
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await screenshot(page, 'store-floor-stock');

    // The till: new sale, the size added from the chain, home delivery, card, e-mailed receipt.
    calls.reset();
    await page.click('nav.store-tabs a[href="/console/store/sell"]');
    await page.click('text=New sale');
    await page.locator('h1#till-title').waitFor();
    await page.fill('input[name=q]', code);
    await page.click('form[role=search] button[type=submit]');
    await page.click(`button[aria-label="Add ${sku}"]`);
    await page.locator(`[data-line="${sku}"]`).waitFor();
    const home = page.locator('[data-option=home] input[type=radio]').first();
    await home.waitFor();
    await page.waitForFunction(() => !document.querySelector('.spinner'));
    expect(calls.calls().filter((c) => c.startsWith('GET')).length).toBeLessThanOrEqual(5);
    await screenshot(page, 'store-floor-till-cart');
    await home.check();
    await page.fill('input[name="delivery/address/name"]', 'Lucía Pérez');
    await page.fill('input[name="delivery/address/line1"]', 'Calle Mayor 1');
    await page.fill('input[name="delivery/address/postal_code"]', '28013');
    await page.fill('input[name="delivery/address/city"]', 'Madrid');
    await page.fill('input[name="payment/card_number"]', '4242 4242 4242 4242');
    await page.fill('input[name=email]', 'lucia@example.com');
    await screenshot(page, 'store-floor-till-payment');
    await page.click('text=Take payment');
    const receipt = page.locator('.receipt[data-order]');
    await receipt.waitFor();
    const orderId = (await receipt.getAttribute('data-order'))!;
    expect(await page.locator('[data-delivery]').getAttribute('data-delivery')).toBe('home');
    expect(await receipt.textContent()).toContain('lucia@example.com');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'store-floor-receipt-print');
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'store-floor-receipt');

    const order = (await api('GET', `/v1/orders/${orderId}`)).body;
    expect(order).toMatchObject({ channel_type: 'pos', location_id: store.id, delivery: { method: 'home' } });
    // The e-mailed receipt: the order's confirmation reaches the address typed at the till.
    await expect
      .poll(() => smtp.inbox.some((m) => m.to === 'lucia@example.com' && m.text.includes(orderId)), { timeout: 30_000 })
      .toBe(true);
    expect(order.lines.map((l: { sku: string }) => l.sku)).toEqual([sku]);
    await expect
      .poll(
        async () =>
          ((await api('GET', `/v1/orders/${orderId}/sourcing`)).body.items ?? []).flatMap(
            (d: { allocations: { location_id: string }[] }) => d.allocations.map((a) => a.location_id),
          ),
        { timeout: 30_000 },
      )
      .toEqual([warehouseIds[0]]);
    await ctx.close();
  });

  it('claims a shopper’s cart by its hand-off code and finishes it at the till', async () => {
    const { sku } = await onlyInWarehouse(4);
    const cart = await api('POST', '/v1/carts', { channel: 'web' });
    expect(cart.status).toBeLessThan(300);
    await api('POST', `/v1/carts/${cart.body.id}/items`, { sku, quantity: 1 });
    const handoff = await api('POST', `/v1/carts/${cart.body.id}/handoff`);
    expect(handoff.status).toBe(201);
    const { ctx, page } = await phone();
    await page.goto(`${server.url}/console/store/sell`);
    await page.fill('input[name=code]', handoff.body.qr_payload);
    await screenshot(page, 'store-floor-claim');
    await page.click('text=Open cart');
    await page.locator(`[data-line="${sku}"]`).waitFor();
    await page.locator('[data-option] input[type=radio]').first().check();
    await page.check('input[name=pay] >> nth=1');
    const chosen = await page.locator('[data-option]:has(input:checked)').getAttribute('data-option');
    if (chosen === 'home') {
      await page.fill('input[name="delivery/address/line1"]', 'Rua Augusta 10');
      await page.fill('input[name="delivery/address/postal_code"]', '28013');
      await page.fill('input[name="delivery/address/city"]', 'Madrid');
    }
    await screenshot(page, 'store-floor-claimed-cart');
    await page.click('text=Take payment');
    const receipt = page.locator('.receipt[data-order]');
    await receipt.waitFor();
    const order = (await api('GET', `/v1/orders/${await receipt.getAttribute('data-order')}`)).body;
    expect(order.cart_id).toBe(cart.body.id);
    await ctx.close();
  });

  it('takes back a web order’s unit at the counter, found by a phone typed the national way', async () => {
    const who = await api('POST', '/v1/identify', {
      identifiers: { email: 'marta.counter@example.com', phone: '+34 612 34 56 78' },
    });
    expect(who.status, JSON.stringify(who.body)).toBe(200);
    const customerId = who.body.customer_id as string;
    const { sku } = await onlyInWarehouse(5);
    const cart = await api('POST', '/v1/carts', { channel: 'web', customer_id: customerId });
    await api('POST', `/v1/carts/${cart.body.id}/items`, { sku, quantity: 2 });
    const placed = await api('POST', `/v1/carts/${cart.body.id}/checkout`, {
      delivery: {
        method: 'home',
        address: { line1: 'Calle Luna 3', city: 'Madrid', postal_code: '28004', country: 'ES' },
      },
      payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.id as string;
    // The warehouse ships it (the return takes back delivered units only).
    let taskId = '';
    await expect
      .poll(
        async () => {
          taskId = (await api('GET', `/v1/fulfillments?order_id=${orderId}`)).body.items?.[0]?.id ?? '';
          return taskId;
        },
        { timeout: 30_000 },
      )
      .not.toBe('');
    for (const body of [
      { action: 'accept' },
      { action: 'pick' },
      { action: 'pack' },
      { action: 'ship', tracking: 'FLOOR-1' },
    ]) {
      const r = await api('POST', `/v1/fulfillments/${taskId}/actions`, body);
      expect(r.status, `${body.action}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    await expect
      .poll(async () => (await api('GET', `/v1/orders/${orderId}`)).body.lines[0].fulfilled_quantity, {
        timeout: 30_000,
      })
      .toBe(2);
    const onHand = async () =>
      ((await api('GET', `/v1/inventory/${sku}`)).body.levels as { location_id: string; on_hand: number }[]).find(
        (l) => l.location_id === store.id,
      )?.on_hand ?? 0;
    const before = await onHand();

    const { ctx, page } = await phone();
    const calls = countApiCalls(page);
    await page.goto(`${server.url}/console/store/returns`);
    await page.locator('h1#returns-title').waitFor();
    calls.reset();
    await page.fill('input[name=query]', '612 34 56 78');
    await page.click('form[role=search] button[type=submit]');
    const found = page.locator(`[data-order="${orderId}"]`);
    await found.waitFor();
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await screenshot(page, 'store-floor-returns-search');
    await found.click();
    await page.fill(`input[name="quantity-${sku}"]`, '1');
    await page.fill(`input[name="reason-${sku}"]`, 'too small');
    await screenshot(page, 'store-floor-return-form');
    await page.click('button[type=submit]:has-text("Take back")');
    const done = page.locator('[data-return]');
    await page.locator('[data-return], .problem').first().waitFor();
    if (!(await done.count()))
      throw new Error(`the return was refused: ${await page.locator('.problem').textContent()}`);
    expect(await done.textContent()).toContain('back in stock here');
    expect(await page.locator('[data-refund]').getAttribute('data-refund')).toBe('original');
    await screenshot(page, 'store-floor-return-done');

    // The second unit comes back for another size, shipped to the order's address by choice.
    const productId = (await api('GET', `/v1/orders/${orderId}`)).body.lines[0].product_id as string;
    const other = ((await api('GET', `/v1/products/${productId}`)).body.variants as { sku: string }[]).find(
      (v) => v.sku !== sku,
    )!.sku;
    const stocked = await api('POST', '/v1/inventory/movements', {
      sku: other,
      location_id: warehouseIds[0]!,
      type: 'receipt',
      quantity: 3,
      reason: 'floor test: the exchange size',
    });
    expect(stocked.status, JSON.stringify(stocked.body)).toBe(201);
    await page.click('button:has-text("Next return")');
    await page.fill('input[name=query]', '612 34 56 78');
    await page.click('form[role=search] button[type=submit]');
    await page.locator(`[data-order="${orderId}"]`).click();
    await page.fill(`input[name="quantity-${sku}"]`, '1');
    await page.fill(`input[name="reason-${sku}"]`, 'too small');
    await page.click('button:has-text("Exchange for another size")');
    await page.locator(`select[name="exchange-${sku}"] option[value="${other}"]`).waitFor({ state: 'attached' });
    await page.selectOption(`select[name="exchange-${sku}"]`, other);
    await page.check('input[name=exchange_delivery][value=ship]');
    await screenshot(page, 'store-floor-return-exchange');
    await page.click('button[type=submit]:has-text("Take back")');
    await page.locator('[data-return], .problem').first().waitFor();
    if (!(await done.count()))
      throw new Error(`the exchange was refused: ${await page.locator('.problem').textContent()}`);
    expect(await page.locator('[data-exchange]').getAttribute('data-exchange')).toBe('shipped');
    await ctx.close();

    // The store's stock holds both units again, and the customer's 360 counts the returns.
    expect(await onHand()).toBe(before + 2);
    await expect
      .poll(async () => (await api('GET', `/v1/customers/${customerId}`)).body.metrics?.returns_count, {
        timeout: 30_000,
      })
      .toBe(2);
  });

  it('receives an incoming transfer short with its reason, and counts a shelf', async () => {
    const { code, sku } = await onlyInWarehouse(6);
    const sent = await api('POST', '/v1/transfers', {
      from_location_id: warehouseIds[0],
      to_location_id: store.id,
      lines: [{ sku, quantity: 3 }],
      reference: 'TR-FLOOR-1',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const { ctx, page } = await phone();
    const calls = countApiCalls(page);
    await page.goto(`${server.url}/console/store/stock`);
    const form = page.locator(`[data-transfer="${sent.body.id}"]`);
    await form.waitFor();
    await page.waitForFunction(() => !document.querySelector('.spinner'));
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await form.locator(`input[name="arrived-${sku}"]`).fill('2');
    await form.locator('input[name=close]').check();
    await form.locator('button[type=submit]').click();
    // Closing short without a reason is refused on the spot.
    await form.locator('.field-error').waitFor();
    await form.locator('input[name=reason]').fill('one unit missing from the box');
    await screenshot(page, 'store-floor-transfer-receive');
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'detached' });
    const t = (await api('GET', `/v1/transfers/${sent.body.id}`)).body;
    expect(t).toMatchObject({
      status: 'received',
      discrepancy_reason: 'one unit missing from the box',
      lines: [{ sku, shipped: 3, received: 2, discrepancy: 1 }],
    });

    await page.fill('input[name=q]', code);
    await page.click('form[role=search] button[type=submit]');
    await page.locator(`[data-here="${sku}"]`).waitFor();
    expect(await page.locator(`[data-here="${sku}"]`).textContent()).toMatch(/^2 units/);
    await page.locator(`[data-sku="${sku}"] button.link`).click();
    await page.locator(`[data-sku="${sku}"] input[name=quantity]`).fill('1');
    await screenshot(page, 'store-floor-count');
    await page.locator(`[data-sku="${sku}"] button[type=submit]`).click();
    await expect.poll(async () => page.locator(`[data-here="${sku}"]`).textContent()).toMatch(/^1 unit\b/);
    const ledger = (await api('GET', `/v1/inventory/${sku}/movements?location_id=${store.id}`)).body.items;
    expect(ledger[0]).toMatchObject({ type: 'count', quantity: -1, on_hand_after: 1 });
    await ctx.close();
  });

  it('speaks Portuguese on every floor screen: no English string of the console remains', async () => {
    const english = englishOnlyStrings('pt');
    const { ctx, page } = await phone('pt-PT');
    const screens: [string, string, string][] = [
      ['stock', '/console/store/stock', 'h1#stock-title'],
      ['sell', '/console/store/sell', 'h1#aisle-title'],
      ['returns', '/console/store/returns', 'h1#returns-title'],
    ];
    for (const [name, path, ready] of screens) {
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector(ready);
      if (name === 'stock') {
        const list = (await api('GET', '/v1/products?limit=1')).body.items;
        await page.fill('input[name=q]', list[0].code);
        await page.click('form[role=search] button[type=submit]');
        await page.locator('[data-here]').first().waitFor();
      }
      await page.waitForFunction(() => !document.querySelector('.spinner'));
      const text = (await page.evaluate('document.body.innerText')) as string;
      const left = english.filter((s) => new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
      expect({ screen: name, left }).toEqual({ screen: name, left: [] });
      await screenshot(page, `store-floor-pt-${name}`);
    }
    await ctx.close();
  });
});
