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
 * The review moderation queue (issue 19) on the demo retailer: three shoppers review products through
 * the public API; a merchandiser sees them pending (stars, text, size feedback, no badge: nobody bought),
 * approves one, rejects one with a reason; the product's public reviews then show only the approved one.
 * Screenshots of the queue before and after, and in Spanish.
 */
describe('review moderation console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let products: { id: string; name: string }[];
  let pub: string;
  const MERCH = 'merch@reviews.test';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer({ stores: 2, products: 6 }), launchBrowser()]);
    const admin = await server.token(ADMIN.email, ADMIN.password);
    const staff = await server.api('POST', '/v1/staff', admin, {
      email: MERCH,
      password: PASSWORD,
      role: 'merchandiser',
    });
    expect(staff.status).toBe(201);
    const signup = await server.api('POST', '/v1/api-keys', admin, {
      channel_id: 'web',
      kind: 'secret',
      scopes: ['customers:authenticate'],
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const pk = await server.api('POST', '/v1/api-keys', admin, { channel_id: 'web', kind: 'publishable' });
    pub = pk.body.key;
    products = (await server.api('GET', '/v1/products?limit=3', admin)).body.items;
    const said = [
      { first_name: 'Lucía', rating: 5, text: 'Perfect for the office, soft fabric.', size_feedback: 'true' },
      {
        first_name: 'Marta',
        rating: 2,
        text: 'Visit www.cheaper-elsewhere.example for the same thing',
        size_feedback: 'small',
      },
      { first_name: 'João', rating: 4, text: 'Nice colour; the sleeves run short.', size_feedback: 'small' },
    ];
    for (const [i, s] of said.entries()) {
      const reg = await server.api('POST', '/v1/auth/customer/register', signup.body.key, {
        email: `shopper${i}@reviews.test`,
        password: 'a long enough password',
        first_name: s.first_name,
        last_name: 'Silva',
      });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      const r = await server.api('POST', '/v1/reviews', reg.body.token, {
        product_id: products[i]!.id,
        rating: s.rating,
        text: s.text,
        size_feedback: s.size_feedback,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function session(locale = 'en-GB'): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await login(page, server.url, MERCH, PASSWORD);
    return { ctx, page };
  }

  it('a merchandiser approves one review and rejects another with a reason', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await page.locator('header nav a', { hasText: 'Reviews' }).click();
    await page.locator('tr', { hasText: 'Lucía S.' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(calls.calls().filter((c) => c.startsWith('GET /v1/reviews'))).toHaveLength(1);
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    const lucia = page.locator('tr', { hasText: 'Lucía S.' });
    expect(await lucia.textContent()).toContain('★★★★★');
    expect(await lucia.textContent()).toContain('True to size');
    expect(await lucia.textContent()).toContain('Not verified');
    await screenshot(page, 'reviews-queue');

    // Rejecting without a reason is the API's 400, shown on the page.
    const marta = page.locator('tr', { hasText: 'Marta S.' });
    await marta.locator('button', { hasText: 'Reject' }).click();
    await page.waitForSelector('.problem');
    await marta.locator('input[name=reason]').fill('Advertises another shop');
    await marta.locator('button', { hasText: 'Reject' }).click();
    await marta.waitFor({ state: 'detached' });
    await lucia.locator('button', { hasText: 'Approve' }).click();
    await lucia.waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'reviews-queue-after');

    await page.selectOption('select[name=status]', 'rejected');
    const rejected = page.locator('tr', { hasText: 'Marta S.' });
    await rejected.waitFor();
    expect(await rejected.textContent()).toContain('Advertises another shop');
    await screenshot(page, 'reviews-rejected');

    // The storefront's view: only the approved review, with its summary.
    const open = await server.api('GET', `/v1/products/${products[0]!.id}/reviews`, pub);
    expect(open.status).toBe(200);
    expect(open.body.items.map((r: { author_name: string }) => r.author_name)).toEqual(['Lucía S.']);
    expect(open.body.summary).toMatchObject({ count: 1, average: 5 });
    const hidden = await server.api('GET', `/v1/products/${products[1]!.id}/reviews`, pub);
    expect(hidden.body.items).toEqual([]);
    await ctx.close();
  }, 180_000);

  it('reads in Spanish', async () => {
    const { ctx, page } = await session('es-ES');
    await page.goto(`${server.url}/console/reviews`);
    await page.locator('h1', { hasText: 'Opiniones' }).waitFor();
    const row = page.locator('tr', { hasText: 'João S.' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Talla pequeña');
    expect(await row.textContent()).toContain('Aprobar');
    await screenshot(page, 'reviews-queue-es');
    await ctx.close();
  }, 120_000);
});
