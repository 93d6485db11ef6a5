/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  countApiCalls,
  englishOnlyStrings,
  launchBrowser,
  login,
  screenshot,
  startConsoleServer,
  type ConsoleServer,
} from './harness.js';
import { startAmazonFake, amazonOrder, type AmazonFake } from '../marketplaces/fakes/amazon-fake.js';

/**
 * The marketplaces console (issue 18) against a real `omnia serve` with the demo retailer and the local
 * fake SP-API: the Amazon channel is connected through the form (credentials never shown back), the
 * import is run from the console, and two Amazon orders for stock that is gone come in by the real
 * import path as exceptions. The queue shows what each wanted and why it failed; one is retried once
 * stock arrived (it becomes an Omnia order), the other is resolved by hand with a note.
 */
describe('marketplaces console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let fake: AmazonFake;
  let token: string;
  let warehouse: string;
  const SKU = 'MKT-LAST-1';
  const ORDER_A = '405-1111111-0000001';
  const ORDER_B = '405-1111111-0000002';

  beforeAll(async () => {
    fake = await startAmazonFake();
    [server, browser] = await Promise.all([
      startConsoleServer(undefined, {
        // The sealing key, and the development switch that lets connectors reach the fake on 127.0.0.1.
        env: { OMNIA_SECRETS_KEY: 'b2'.repeat(32), OMNIA_ALLOW_PRIVATE_WEBHOOKS: '1' },
      }),
      launchBrowser(),
    ]);
    token = await server.token(ADMIN.email, ADMIN.password);
    // One unit of a new SKU: the Amazon channel keeps a safety stock of 1, so it may promise none.
    const product = await server.api('POST', '/v1/products', token, {
      code: 'mkt-last',
      name: 'Last tee',
      variants: [{ sku: SKU, size: 'M', weight_g: 200, prices: [{ currency: 'EUR', list_amount: 1990 }] }],
    });
    expect(product.status).toBe(201);
    const locations = await server.api('GET', '/v1/locations?limit=100', token);
    warehouse = locations.body.items.find(
      (l: { type: string; capabilities: string[] }) => l.type === 'warehouse' && l.capabilities.includes('ship'),
    ).id;
    const mv = await server.api('POST', '/v1/inventory/movements', token, {
      sku: SKU,
      location_id: warehouse,
      type: 'receipt',
      quantity: 1,
      reason: 'test',
    });
    expect(mv.status).toBe(201);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  async function session(locale = 'en-GB'): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ locale, viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(60_000);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    return { ctx, page };
  }

  it(
    'connects the Amazon channel from the form; the credentials are never shown back',
    { timeout: 120_000 },
    async () => {
      const { ctx, page } = await session();
      await page.click('header nav >> text=Marketplaces');
      await page.waitForSelector('[data-testid=marketplace-connections]');
      await page.click('text=Connect a marketplace channel');
      await page.waitForSelector('form.connection-form');
      const amazon = await page.$eval(
        'select[name=channel]',
        (s) => Array.from((s as HTMLSelectElement).options).find((o) => o.textContent?.includes('(amazon)'))?.value,
      );
      expect(amazon).toBeTruthy();
      await page.selectOption('select[name=channel]', amazon!);
      await page.selectOption('select[name=provider]', 'amazon');
      await page.fill('input[name=base_url]', fake.url);
      for (const [k, v] of Object.entries(fake.credentials)) await page.fill(`input[name=credential_${k}]`, v);
      for (const [k, v] of Object.entries(fake.settings)) await page.fill(`input[name="settings/${k}"]`, v);
      await page.fill('input[name=orders_interval_s]', '3600'); // the console's button runs the import here
      await page.click('form.connection-form button[type=submit]');
      await page.waitForURL(/\/marketplaces\/connections\/mkc_/);
      await page.waitForSelector('[data-testid=offers]');
      const html = await page.content();
      expect(html).not.toContain(fake.credentials.client_secret);
      expect(html).not.toContain(fake.credentials.refresh_token);
      expect(await page.textContent('[data-testid=connection-editor]')).toContain(
        'client_id, client_secret, refresh_token',
      );
      expect(await page.inputValue('input[name=credential_client_secret]')).toBe('');
      await screenshot(page, 'marketplaces-connection');
      await ctx.close();
    },
  );

  it(
    'shows an order for stock that is gone as an exception, and resolves the queue there',
    { timeout: 180_000 },
    async () => {
      fake.orders.push(amazonOrder(ORDER_A, [{ sku: SKU, quantity: 1, price: '19.90' }]));
      fake.orders.push(amazonOrder(ORDER_B, [{ sku: SKU, quantity: 1, price: '19.90' }]));
      const { ctx, page } = await session();
      const calls = countApiCalls(page);
      await page.goto(`${server.url}/console/marketplaces`);
      await page.waitForSelector('[data-testid=marketplace-connections] tbody tr');
      expect(calls.calls().length).toBeLessThanOrEqual(5);
      // The real import path: the console's button → POST …/sync → getOrders on the fake → checkout refuses.
      await page.click('button[data-sync]');
      await page.waitForSelector('[data-testid=sync-result]');
      await page.waitForSelector('[data-open-exceptions="2"]');
      await screenshot(page, 'marketplaces-connections');

      calls.reset();
      await page.click('nav.tabs >> text=Exceptions');
      await page.waitForSelector(`[data-external="${ORDER_A}"]`);
      expect(calls.calls().length).toBeLessThanOrEqual(5);
      const rowA = page.locator('tr', { has: page.locator(`[data-external="${ORDER_A}"]`) });
      expect(await rowA.textContent()).toContain(`1 × ${SKU}`);
      expect(await rowA.textContent()).toContain('Madrid');
      expect(await rowA.locator('[data-problem-type]').getAttribute('data-problem-type')).toBe('insufficient_stock');
      expect(await rowA.textContent()).toContain('The stock is gone');
      await screenshot(page, 'marketplaces-exceptions');

      // Retrying while the stock is still short keeps it an exception (nothing oversold).
      await rowA.locator('button[data-retry]').click();
      await page.waitForSelector('[data-testid=queue-result][data-status=exception]');

      // Stock arrives; the retry places it as an Omnia order of the Amazon channel.
      const mv = await server.api('POST', '/v1/inventory/movements', token, {
        sku: SKU,
        location_id: warehouse,
        type: 'receipt',
        quantity: 5,
        reason: 'test',
      });
      expect(mv.status).toBe(201);
      await rowA.locator('button[data-retry]').click();
      await page.waitForSelector('[data-testid=queue-result][data-status=imported]');
      await page.waitForSelector(`[data-external="${ORDER_A}"]`, { state: 'detached' });

      // The other one was settled outside Omnia: resolved by hand with a note.
      const rowB = page.locator('tr', { has: page.locator(`[data-external="${ORDER_B}"]`) });
      await rowB.locator('button[data-resolve]').click();
      await page.fill('[data-action-form=resolve] input[name=note]', 'Sent from the outlet store by hand');
      await page.click('[data-action-form=resolve] button[type=submit]');
      await page.waitForSelector('[data-testid=queue-result][data-status=resolved]');
      await page.waitForSelector(`[data-external="${ORDER_B}"]`, { state: 'detached' });
      expect(await page.textContent('[data-testid=marketplace-exceptions]')).toContain('Nothing to show');
      await page.selectOption('select[name=status]', 'resolved');
      await page.waitForSelector(`[data-external="${ORDER_B}"]`);
      expect(await page.textContent('[data-testid=marketplace-exceptions]')).toContain(
        'Sent from the outlet store by hand',
      );
      await screenshot(page, 'marketplaces-resolved');

      // What the console did, as the API sees it.
      const all = await server.api('GET', '/v1/marketplaces/orders?limit=50', token);
      const byExt = new Map(all.body.items.map((o: { external_id: string }) => [o.external_id, o]));
      const a = byExt.get(ORDER_A) as { status: string; order_id: string };
      const b = byExt.get(ORDER_B) as { status: string; order_id: string | null; resolution: string };
      expect(a.status).toBe('imported');
      expect((await server.api('GET', `/v1/orders/${a.order_id}`, token)).body.status).not.toBe('cancelled');
      expect(b).toMatchObject({ status: 'resolved', order_id: null, resolution: 'Sent from the outlet store by hand' });
      await ctx.close();
    },
  );

  it('speaks Portuguese on the connections and the queue (no English left)', { timeout: 120_000 }, async () => {
    const english = englishOnlyStrings('pt');
    const { ctx, page } = await session('pt-PT');
    const labels = async () =>
      page
        .locator('main h1, main h2, main h3, main th, main label > span, main button, main a, main [role=status]')
        .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
    await page.goto(`${server.url}/console/marketplaces`);
    await page.waitForSelector('[data-testid=marketplace-connections] tbody tr');
    const onList = await labels();
    expect(onList).toContain('Ligar um canal de marketplace');
    await page.goto(`${server.url}/console/marketplaces/exceptions`);
    await page.waitForSelector('[data-testid=marketplace-exceptions]');
    await page.selectOption('select[name=status]', 'resolved');
    await page.waitForSelector(`[data-external="${ORDER_B}"]`);
    const onQueue = await labels();
    expect([...onList, ...onQueue].filter((l) => english.includes(l))).toEqual([]);
    expect(onQueue).toContain('Exceções');
    await screenshot(page, 'marketplaces-resolved-pt');
    await ctx.close();
  });
});
