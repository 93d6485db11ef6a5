/// <reference lib="dom" />
// The functions handed to page.evaluate and waitForFunction run in the browser (strings would need eval, which the console's CSP refuses).
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

/**
 * The console in a real browser against a real Omnia with the demo retailer: what staff do, through
 * the same public API integrators use. Every page visited leaves a screenshot in .test-results/screenshots.
 */
describe('web console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let adminToken: string;
  const MERCH = { email: 'merch@console.test', password: PASSWORD };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
    adminToken = await server.token(ADMIN.email, ADMIN.password);
    const r = await server.api('POST', '/v1/staff', adminToken, { ...MERCH, role: 'merchandiser' });
    expect(r.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function session(lang = 'en-GB'): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ locale: lang, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    return { ctx, page };
  }

  async function firstProduct(): Promise<{ id: string; skus: string[] }> {
    const list = await server.api('GET', '/v1/products?limit=1', adminToken);
    const id = list.body.items[0].id as string;
    const p = await server.api('GET', `/v1/products/${id}`, adminToken);
    return { id, skus: p.body.variants.map((v: { sku: string }) => v.sku) };
  }

  it('serves the first load within 300 KB of gzipped JavaScript and shows the login in the browser language', async () => {
    const { ctx, page } = await session('es-ES');
    let jsBytes = 0;
    page.on('response', async (res) => {
      if (res.url().endsWith('.js')) jsBytes += (await res.request().sizes()).responseBodySize;
    });
    await page.goto(`${server.url}/console/`);
    await page.waitForSelector('form[aria-label]');
    expect(await page.textContent('button[type=submit]')).toBe('Entrar');
    await screenshot(page, 'login-es');
    expect(jsBytes).toBeGreaterThan(0);
    expect(jsBytes).toBeLessThanOrEqual(300 * 1024);
    await ctx.close();
  });

  it('shows the problem detail of a failed login next to the form', async () => {
    const { ctx, page } = await session();
    await page.goto(`${server.url}/console/`);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    const alert = page.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-problem')).toMatch(/unauthorized|invalid_credentials/);
    await screenshot(page, 'login-failed');
    await ctx.close();
  });

  it('a count adjusts a store’s stock and the grid and the ledger show it (each page ≤ 5 API calls)', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    await screenshot(page, 'dashboard');
    expect(calls.calls().filter((c) => !c.includes('/auth/')).length).toBeLessThanOrEqual(5);

    calls.reset();
    await page.click('nav a[href="/console/catalog"]');
    await page.waitForSelector('table');
    await screenshot(page, 'catalog-products');
    expect(calls.calls().length).toBeLessThanOrEqual(5);

    const { id, skus } = await firstProduct();
    const sku = skus[0]!;
    const stores = await server.api('GET', '/v1/locations?type=store&limit=1', adminToken);
    const store = stores.body.items[0] as { id: string; name: string };
    calls.reset();
    await page.goto(`${server.url}/console/catalog/products/${id}`);
    await page.waitForSelector('[data-testid=stock-grid] tbody tr');
    await page.waitForSelector('[data-testid=ledger] table, [data-testid=ledger] .empty');
    expect(calls.calls().length).toBeLessThanOrEqual(5);

    await page.selectOption('select[name=type]', 'count');
    await page.selectOption('select[name=location_id]', store.id);
    await page.fill('input[name=quantity]', '37');
    await page.fill('input[name=reason]', 'cycle count aisle 4');
    await page.click('form[aria-label] button[type=submit]');
    const cell = page.locator(`td[data-sku="${sku}"][data-location="${store.id}"] strong`);
    await expect.poll(() => cell.textContent(), { timeout: 30_000 }).toBe('37');
    const ledgerRow = page.locator('[data-testid=ledger] tbody tr').first();
    await expect.poll(() => ledgerRow.textContent(), { timeout: 30_000 }).toContain('cycle count aisle 4');
    expect(await ledgerRow.textContent()).toContain('Count');
    await screenshot(page, 'catalog-product-after-count');

    // The API agrees with the page.
    const level = (await server.api('GET', `/v1/inventory/${sku}`, adminToken)).body.levels.find(
      (l: { location_id: string }) => l.location_id === store.id,
    );
    expect(level.on_hand).toBe(37);
    await ctx.close();
  });

  it('a refused quantity shows the API’s field error next to the field', async () => {
    const { ctx, page } = await session();
    await login(page, server.url, ADMIN.email, ADMIN.password);
    const { id } = await firstProduct();
    await page.goto(`${server.url}/console/catalog/products/${id}`);
    await page.waitForSelector('[data-testid=stock-grid] tbody tr');
    await page.selectOption('select[name=type]', 'receipt');
    await page.fill('input[name=quantity]', '2.5');
    await page.click('form[aria-label] button[type=submit]');
    await page.locator('[role=alert]').waitFor();
    expect(await page.locator('[data-field-error=quantity], [role=alert]').count()).toBeGreaterThan(0);
    await screenshot(page, 'catalog-movement-refused');
    await ctx.close();
  });

  it('a merchandiser imports a CSV with one bad row and sees that row’s error', async () => {
    const { ctx, page } = await session();
    await login(page, server.url, MERCH.email, MERCH.password);
    await page.goto(`${server.url}/console/catalog/import`);
    const csv = [
      'product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost',
      'WEBT-1,Camiseta prueba,Omnia,women/tops,standard,WEBT-1-S,,S,Blanco,19.95,EUR,,200,6.10',
      'WEBT-1,Camiseta prueba,Omnia,women/tops,standard,WEBT-1-M,,M,Blanco,not-a-price,EUR,,200,6.10',
      'WEBT-1,Camiseta prueba,Omnia,women/tops,standard,WEBT-1-L,,L,Blanco,19.95,EUR,,200,6.10',
    ].join('\n');
    await page.setInputFiles('input[type=file]', {
      name: 'products.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.click('form button[type=submit]');
    const result = page.locator('[data-testid=import-result]');
    await result.waitFor();
    const rows = result.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    const text = (await rows.first().textContent()) ?? '';
    expect(text).toContain('3'); // line 3 of the file: the header is line 1
    expect(text).toContain('price');
    expect(await result.textContent()).toMatch(/3 rows: 2 imported, 1 with errors/);
    await screenshot(page, 'catalog-import-one-bad-row');
    await ctx.close();
  });

  it('a merchandiser creates a 20 % promotion for one category on the web only; the sandbox applies it on the web, not at the till', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, MERCH.email, MERCH.password);
    const { id: productId, skus } = await firstProduct();
    const product = (await server.api('GET', `/v1/products/${productId}`, adminToken)).body;
    const store = (await server.api('GET', '/v1/locations?type=store&limit=1', adminToken)).body.items[0];
    const channelId = async (code: string) => (await server.api('GET', `/v1/channels/${code}`, adminToken)).body.id;
    const [web, pos] = [await channelId('web'), await channelId('pos')];

    calls.reset();
    await page.click('nav a[href="/console/promotions"]');
    await page.waitForSelector('form[aria-label="New promotion"]');
    await page.waitForSelector('input[name=channels][value=web]');
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await page.fill('input[name=name]', 'Web only 20 pct');
    await page.selectOption('select[name=kind]', 'item_percent');
    await page.fill('input[name="params.percent"]', '20');
    await page.fill('input[name="scope.categories"]', product.category);
    await page.check('input[name=channels][value=web]');
    await page.click('form[aria-label="New promotion"] button[type=submit]');
    await page.locator('main table td', { hasText: 'Web only 20 pct' }).waitFor();
    const promo = (await server.api('GET', '/v1/promotions?limit=500', adminToken)).body.items.find(
      (p: { name: string }) => p.name === 'Web only 20 pct',
    );
    expect(promo.conditions.channels).toEqual([web]);

    await page.selectOption('select[name=sandbox_channel]', 'web');
    await page.fill('textarea[name=basket]', `${skus[0]} 1`);
    await page.click('[data-testid=sandbox] button[type=submit]');
    await page.locator(`[data-testid=quote][data-channel="${web}"]`).waitFor();
    expect(await page.locator(`[data-applied="${promo.id}"]`).count()).toBe(1);
    await screenshot(page, 'promotions-sandbox-web');

    await page.selectOption('select[name=sandbox_channel]', 'pos');
    await page.selectOption('select[name=sandbox_store]', store.id);
    await page.click('[data-testid=sandbox] button[type=submit]');
    await page.locator(`[data-testid=quote][data-channel="${pos}"]`).waitFor();
    expect(await page.locator(`[data-applied="${promo.id}"]`).count()).toBe(0);
    await screenshot(page, 'promotions-sandbox-till');
    await ctx.close();
  });

  it('a bad promotion shows the API’s field error next to its field', async () => {
    const { ctx, page } = await session();
    await login(page, server.url, MERCH.email, MERCH.password);
    await page.goto(`${server.url}/console/promotions`);
    await page.fill('input[name=name]', 'Too much');
    await page.fill('input[name="params.percent"]', '150');
    await page.click('form[aria-label="New promotion"] button[type=submit]');
    await page.locator('[role=alert]').waitFor();
    await screenshot(page, 'promotions-field-error');
    expect(
      await page.locator('[data-field-error="params.percent"]').count(),
      (await page.locator('[role=alert]').textContent()) ?? '',
    ).toBe(1);
    await ctx.close();
  });

  /** Places a web order whose two SKUs each sit in a different warehouse only, so sourcing must split it. */
  async function splitOrder(): Promise<string> {
    const products = (await server.api('GET', '/v1/products?limit=3', adminToken)).body.items;
    const skuOf = async (i: number) =>
      (await server.api('GET', `/v1/products/${products[i].id}`, adminToken)).body.variants[0].sku as string;
    const [a, b] = [await skuOf(1), await skuOf(2)];
    const warehouses = (await server.api('GET', '/v1/locations?type=warehouse', adminToken)).body.items;
    expect(warehouses.length).toBeGreaterThanOrEqual(2);
    for (const [sku, home] of [
      [a, warehouses[0].id],
      [b, warehouses[1].id],
    ] as const) {
      const levels = (await server.api('GET', `/v1/inventory/${sku}`, adminToken)).body.levels as {
        location_id: string;
      }[];
      const stocked = new Set(levels.map((l) => l.location_id));
      const moves = [
        ...levels
          .filter((l) => l.location_id !== home)
          .map((l) => ({ location_id: l.location_id, type: 'count', quantity: 0 })),
        { location_id: home, type: stocked.has(home) ? 'count' : 'receipt', quantity: 5 },
      ];
      for (const m of moves) {
        const r = await server.api('POST', '/v1/inventory/movements', adminToken, {
          sku,
          ...m,
          reason: 'browser test: split order',
        });
        expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      }
    }
    const cart = await server.api('POST', '/v1/carts', adminToken, { channel: 'web' });
    expect(cart.status, JSON.stringify(cart.body)).toBeLessThan(300);
    for (const sku of [a, b])
      expect(
        (await server.api('POST', `/v1/carts/${cart.body.id}/items`, adminToken, { sku, quantity: 1 })).status,
      ).toBeLessThan(300);
    const order = await server.api('POST', `/v1/carts/${cart.body.id}/checkout`, adminToken, {
      delivery: {
        method: 'home',
        address: { line1: 'Calle Mayor 1', city: 'Madrid', postal_code: '28013', country: 'ES' },
      },
      payment: { provider: 'manual' },
    });
    expect(order.status, JSON.stringify(order.body)).toBeLessThan(300);
    const id = order.body.id as string;
    await expect
      .poll(
        async () =>
          new Set(
            ((await server.api('GET', `/v1/orders/${id}/sourcing`, adminToken)).body.items ?? []).flatMap(
              (d: { allocations: { location_id: string }[] }) => d.allocations.map((x) => x.location_id),
            ),
          ).size,
        { timeout: 30_000 },
      )
      .toBe(2);
    return id;
  }

  it('an admin finds an order split over two locations and reads its sourcing explanation', async () => {
    const id = await splitOrder();
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    calls.reset();
    await page.click('nav a[href="/console/orders"]');
    await page.locator(`a[href="/console/orders/${id}"]`).waitFor();
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    const row = page.locator('tr', { has: page.locator(`a[href="/console/orders/${id}"]`) });
    expect(await row.locator('td').nth(5).textContent()).toBe('2'); // locations column
    await screenshot(page, 'orders-list');
    calls.reset();
    await page.click(`a[href="/console/orders/${id}"]`);
    const decision = page.locator('[data-testid=sourcing-decision]').first();
    await decision.waitFor();
    await page.waitForFunction(() => !document.querySelector('.spinner'));
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    expect(await decision.locator('tbody tr', { hasText: 'Yes' }).count()).toBe(2);
    expect(await decision.locator('.why').textContent()).toMatch(/Why the winner won:\s*\S+/);
    // The reason comes as a code and is told in the console's words, with location names, not ids.
    const warehouses = (await server.api('GET', '/v1/locations?type=warehouse', adminToken)).body.items as {
      id: string;
      name: string;
    }[];
    const why = (await decision.locator('.why').textContent()) ?? '';
    expect(why).toMatch(/split/i);
    expect(warehouses.some((w) => why.includes(w.name))).toBe(true);
    expect(why).not.toMatch(/loc_[0-9A-Za-z]{10}/);
    // The order's fulfillment tasks, one per location, with their states.
    const tasks = page.locator('[data-testid=order-tasks] tbody tr');
    expect(await tasks.count()).toBe(2);
    expect(await page.locator('[data-testid=order-tasks] [data-status]').first().textContent()).toMatch(/\S/);
    await screenshot(page, 'order-sourcing-explanation');
    await ctx.close();
  });

  it('an admin sees the locations on the map of Spain and Portugal, edits a channel’s stock policy and opens a location', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    calls.reset();
    await page.click('nav a[href="/console/network"]');
    await page.locator('[data-testid=network-map] svg path').first().waitFor();
    await page.locator('form[aria-label=web]').waitFor();
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await screenshot(page, 'network');

    const form = page.locator('form[aria-label=web]');
    await form.locator('input[name="stock_policy.buffer_pct"]').fill('150');
    await form.locator('button[type=submit]').click();
    await form.locator('[data-field-error="stock_policy.buffer_pct"]').waitFor();
    await form.locator('input[name="stock_policy.buffer_pct"]').fill('10');
    await form.locator('button[type=submit]').click();
    await form.locator('[role=status]').waitFor();
    expect((await server.api('GET', '/v1/channels/web', adminToken)).body.stock_policy.buffer_pct).toBe(10);

    const store = (await server.api('GET', '/v1/locations?type=store&limit=1', adminToken)).body.items[0];
    await page.goto(`${server.url}/console/network/locations/${store.id}`);
    await page.locator('main h1', { hasText: store.name }).waitFor();
    await screenshot(page, 'network-location');
    await ctx.close();
  });

  it('an admin runs the doctor from the operations page', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    calls.reset();
    await page.click('nav a[href="/console/operations"]');
    await page.click('text=Run the checks');
    await page.locator('[data-testid=doctor] table').waitFor({ timeout: 60_000 });
    expect(await page.textContent('[data-testid=doctor]')).toContain('stock');
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await screenshot(page, 'operations-doctor');
    await ctx.close();
  });

  it('switches to Portuguese and no English string of the console remains on any page', async () => {
    const { ctx, page } = await session('en-GB');
    await login(page, server.url, ADMIN.email, ADMIN.password);
    await page.selectOption('header select[name=language]', 'pt');
    await page.waitForFunction(() => document.documentElement.lang === 'pt');
    const english = englishOnlyStrings('pt');
    const { id } = await firstProduct();
    const pages: [string, string, string][] = [
      ['dashboard', '/console/', 'main h1'],
      ['catalog', '/console/catalog', 'main table'],
      ['product', `/console/catalog/products/${id}`, '[data-testid=ledger] table'],
      ['import', '/console/catalog/import', 'main form'],
      ['orders', '/console/orders', 'main .cursor-table'],
      ['promotions', '/console/promotions', '[data-testid=sandbox]'],
      ['network', '/console/network', 'main table'],
      ['operations', '/console/operations', 'main h1'],
    ];
    for (const [name, path, ready] of pages) {
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector(ready);
      await page.waitForFunction(() => !document.querySelector('.spinner'));
      const text = (await page.evaluate('document.body.innerText')) as string;
      const left = english.filter((s) => new RegExp(`\\b${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text));
      expect({ page: name, left }).toEqual({ page: name, left: [] });
      await screenshot(page, `pt-${name}`);
    }
    await ctx.close();
  });
});
