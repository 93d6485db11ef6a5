/// <reference lib="dom" />
// The functions handed to page.evaluate and waitForFunction run in the browser (strings would need eval, which the console's CSP refuses).
import http from 'node:http';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  PASSWORD,
  countApiCalls,
  launchBrowser,
  login,
  screenshot,
  startConsoleServer,
  type ConsoleServer,
} from './harness.js';

/**
 * The console's second round (issue 13): product search, the CSV upload's progress, editing any
 * promotion kind with live validation from the API, coupon batches as CSV, webhook deliveries and
 * retry, API keys, the network map's colouring and the dashboard's shares and lost sales.
 */
describe('web console: search, promotions editing, operations (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let adminToken: string;
  let receiver: http.Server;
  let receiverUrl = '';
  const hits: string[] = [];
  const MERCH = { email: 'merch2@console.test', password: PASSWORD };

  beforeAll(async () => {
    // A webhook receiver that refuses every delivery: the log then has failures to retry.
    receiver = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      res.writeHead(500).end('no');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    [server, browser] = await Promise.all([
      startConsoleServer(undefined, { env: { OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' } }),
      launchBrowser(),
    ]);
    adminToken = await server.token(ADMIN.email, ADMIN.password);
    const r = await server.api('POST', '/v1/staff', adminToken, { ...MERCH, role: 'merchandiser' });
    expect(r.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((r) => receiver?.close(r));
  });

  async function session(): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    return { ctx, page };
  }

  it('finds products by a word of their name as the user types (≤ 5 API calls)', async () => {
    const list = (await server.api('GET', '/v1/products?limit=50', adminToken)).body.items as {
      id: string;
      code: string;
      name: string;
    }[];
    const target = list[3]!;
    const word = target.name.split(/\s+/).find((w) => w.length >= 4) ?? target.name;
    const expected = (
      await server.api('GET', `/v1/products?q=${encodeURIComponent(word.slice(0, 4))}&limit=25`, adminToken)
    ).body.items.map((p: { code: string }) => p.code);
    expect(expected).toContain(target.code);
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    calls.reset();
    await page.goto(`${server.url}/console/catalog`);
    await page.waitForSelector('main table');
    await page.fill('input[name=q]', word.slice(0, 4));
    await expect
      .poll(async () => (await page.locator('main tbody tr td:first-child').allTextContents()).sort(), {
        timeout: 15_000,
      })
      .toEqual([...expected].sort());
    // Typing is debounced: the page, the search, nothing per key.
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await screenshot(page, 'catalog-search');
    await ctx.close();
  });

  it('shows the CSV upload’s real progress (bytes sent) before the row report', async () => {
    const { ctx, page } = await session();
    await login(page, server.url, MERCH.email, MERCH.password);
    await page.goto(`${server.url}/console/catalog/import`);
    const header =
      'product_code,name,brand,category,tax_class,sku,gtin,size,colour,price,currency,sale_price,weight_g,unit_cost';
    const rows = Array.from(
      { length: 300 },
      (_, i) => `UPL-${i},Camiseta ${i},Omnia,women/tops,standard,UPL-${i}-M,,M,Azul,19.95,EUR,,200,6.10`,
    );
    const csv = Buffer.from([header, ...rows].join('\n'));
    // Record every value the progress bar shows, however briefly.
    await page.evaluate(() => {
      const w = window as unknown as { sent: number[] };
      w.sent = [];
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid=upload-progress] progress');
        if (p) w.sent.push(Number(p.getAttribute('data-sent')));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.setInputFiles('input[type=file]', { name: 'big.csv', mimeType: 'text/csv', buffer: csv });
    await page.click('form button[type=submit]');
    await page.locator('[data-testid=import-result]').waitFor();
    const sent = await page.evaluate(() => (window as unknown as { sent: number[] }).sent);
    expect(Math.max(...sent)).toBe(csv.length);
    expect(await page.textContent('[data-testid=import-result]')).toMatch(/300 rows: 300 imported, 0 with errors/);
    await screenshot(page, 'catalog-import-progress-done');
    await ctx.close();
  });

  it('edits a promotion with live validation from the API, adds a tiered one, and downloads a coupon batch as CSV', async () => {
    const promo = await server.api('POST', '/v1/promotions', adminToken, {
      name: 'Autumn 10',
      kind: 'basket_percent',
      params: { percent: 10 },
      coupon_required: true,
    });
    expect(promo.status, JSON.stringify(promo.body)).toBe(201);
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, MERCH.email, MERCH.password);
    await page.goto(`${server.url}/console/promotions`);
    await page.click(`button[data-edit="${promo.body.id}"]`);
    const form = page.locator('form[aria-label="Edit Autumn 10"]');
    await form.waitFor();
    calls.reset();
    // Typed, not submitted: the API's dry run names the field.
    await form.locator('input[name="params.percent"]').fill('150');
    await form.locator('[data-field-error="params.percent"]').waitFor();
    expect(calls.calls()).toContain(`PATCH /v1/promotions/${promo.body.id}`);
    expect((await server.api('GET', `/v1/promotions/${promo.body.id}`, adminToken)).body.params.percent).toBe(10);
    await screenshot(page, 'promotions-edit-live-error');
    await form.locator('input[name="params.percent"]').fill('15');
    await form.locator('[data-testid=live-check][data-state=ok]').waitFor();
    expect(await form.locator('[data-field-error]').count()).toBe(0);
    await form.locator('button[type=submit]').click();
    await expect
      .poll(async () => (await server.api('GET', `/v1/promotions/${promo.body.id}`, adminToken)).body.params.percent)
      .toBe(15);
    // Saved: the form closes (and the list is fresh) before the promotion is opened again.
    await form.waitFor({ state: 'detached' });

    // Coupon batch of 20 codes, then its CSV.
    await page.click(`button[data-edit="${promo.body.id}"]`);
    const batches = page.locator('[data-testid=coupon-batches]');
    await batches.locator('input[name=count]').fill('20');
    await batches.locator('input[name=prefix]').fill('AUT');
    await batches.locator('button[type=submit]').click();
    const row = batches.locator('tbody tr').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('20');
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button[data-batch]').click()]);
    const file = await download.path();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('code,redeemed,active,starts_at,ends_at');
    expect(lines).toHaveLength(21);
    expect(lines.slice(1).every((l) => l.startsWith('AUT'))).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^coupons-cpb_.*\.csv$/);
    await screenshot(page, 'promotions-coupon-batch');
    await page.click('text=Close');

    // A kind with structured parameters: tiers typed one per line.
    const create = page.locator('form[aria-label="New promotion"]');
    await create.locator('input[name=name]').fill('Spend more');
    await create.locator('select[name=kind]').selectOption('tiered_spend');
    await create.locator('textarea[name="params.tiers"]').fill('50 10%\n100 -5%');
    await create.locator('[data-field-error="params.tiers"]').waitFor();
    await create.locator('textarea[name="params.tiers"]').fill('50 10%\n100 20%');
    await create.locator('[data-testid=live-check][data-state=ok]').waitFor();
    await create.locator('button[type=submit]').click();
    await page.locator('main table td', { hasText: 'Spend more' }).waitFor();
    const saved = (await server.api('GET', '/v1/promotions?limit=500', adminToken)).body.items.find(
      (p: { name: string }) => p.name === 'Spend more',
    );
    expect(saved.params.tiers).toEqual([
      { threshold: 5000, percent: 10 },
      { threshold: 10000, percent: 20 },
    ]);
    await screenshot(page, 'promotions-tiered-created');
    await ctx.close();
  });

  it('shows a webhook’s failed deliveries and sends one again; creates a publishable key shown once and revokes it', async () => {
    const hook = await server.api('POST', '/v1/webhooks', adminToken, {
      url: receiverUrl,
      event_types: ['inventory.changed'],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const sku = (
      await server.api(
        'GET',
        `/v1/products/${(await server.api('GET', '/v1/products?limit=1', adminToken)).body.items[0].id}`,
        adminToken,
      )
    ).body.variants[0].sku;
    const store = (await server.api('GET', '/v1/locations?type=store&limit=1', adminToken)).body.items[0];
    const moved = await server.api('POST', '/v1/inventory/movements', adminToken, {
      sku,
      location_id: store.id,
      type: 'receipt',
      quantity: 2,
      reason: 'webhook test',
    });
    expect(moved.status).toBeLessThan(300);
    await expect.poll(() => hits.length, { timeout: 30_000 }).toBeGreaterThan(0);

    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    calls.reset();
    await page.click('nav a[href="/console/operations"]');
    await page.locator('[data-testid=api-keys]').waitFor();
    await page.locator('[data-testid=dead-letters] table, [data-testid=dead-letters] .empty').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.spinner'));
    expect(calls.calls().length).toBeLessThanOrEqual(5);

    await page.click(`button[data-deliveries="${hook.body.id}"]`);
    const log = page.locator('[data-testid=deliveries]');
    await log.locator('tbody tr').first().waitFor();
    expect(await log.locator('tbody tr').first().textContent()).toContain('inventory.changed');
    const before = hits.length;
    await log.locator('button[data-retry]').first().click();
    await log.locator('[role=status]').waitFor();
    await expect.poll(() => hits.length, { timeout: 30_000 }).toBeGreaterThan(before);
    await screenshot(page, 'operations-webhook-deliveries');

    const keys = page.locator('[data-testid=api-keys]');
    const web = (await server.api('GET', '/v1/channels/web', adminToken)).body;
    await keys.locator('select[name=key_channel]').selectOption(web.id);
    await keys.locator('select[name=key_kind]').selectOption('publishable');
    await keys.locator('input[name=label]').fill('Storefront');
    await keys.locator('form button[type=submit]').click();
    const shown = keys.locator('[data-testid=new-key] code');
    await shown.waitFor();
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^omk_pub_/);
    // The key works as a publishable key: the public catalog answers it.
    expect((await server.api('GET', '/v1/products?limit=1', key)).status).toBe(200);
    await screenshot(page, 'operations-api-key-created');
    const listed = (await server.api('GET', '/v1/api-keys', adminToken)).body.items.find(
      (k: { label: string | null }) => k.label === 'Storefront',
    );
    await keys.locator(`button[data-revoke="${listed.id}"]`).click();
    await keys.locator(`button[data-revoke-confirm="${listed.id}"]`).click();
    await expect
      .poll(async () => (await server.api('GET', '/v1/products?limit=1', key)).status, { timeout: 15_000 })
      .toBe(401);
    await keys.locator(`button[data-revoke="${listed.id}"]`).waitFor({ state: 'detached' });
    await screenshot(page, 'operations-api-key-revoked');
    await ctx.close();
  });

  it('colours the network map by stock value or by today’s capacity use, edits which locations a channel sells from, and the dashboard shows shares and lost sales', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    await page.locator('[data-testid=ship-from-store] strong').waitFor();
    await page.locator('[data-testid=lost-sales] p, [data-testid=lost-sales] [role=alert]').first().waitFor();
    await screenshot(page, 'dashboard-shares-lost-sales');
    calls.reset();
    await page.click('nav a[href="/console/network"]');
    const map = page.locator('[data-testid=network-map]');
    await map.locator('svg path').first().waitFor();
    expect(await map.getAttribute('data-measure')).toBe('stock_value');
    await page.waitForFunction(() => !document.querySelector('.spinner'));
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    expect(calls.calls()).toContain('GET /v1/inventory-value/locations');
    await screenshot(page, 'network-by-stock-value');
    await page.check('input[name=map_measure][value=capacity_use]');
    await expect.poll(() => map.getAttribute('data-measure')).toBe('capacity_use');
    await map.locator('svg path').first().waitFor();
    await screenshot(page, 'network-by-capacity-use');

    // A channel's stock policy: from every location to one store.
    const app = (await server.api('GET', '/v1/channels/app', adminToken)).body as { code: string };
    const store = (await server.api('GET', '/v1/locations?type=store&limit=1', adminToken)).body.items[0];
    const form = page.locator(`form[aria-label="${app.code}"]`);
    await form.locator('summary').click();
    await form.locator('input[name="stock_policy.all"]').uncheck();
    await form.locator(`input[name="stock_policy.locations"][value="${store.id}"]`).check();
    await form.locator('button[type=submit]').click();
    await form.locator('[role=status]').waitFor();
    expect((await server.api('GET', '/v1/channels/app', adminToken)).body.stock_policy.locations).toEqual([store.id]);
    await screenshot(page, 'network-channel-policy-locations');
    await ctx.close();
  });
});
