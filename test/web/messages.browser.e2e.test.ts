import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  countApiCalls,
  launchBrowser,
  login,
  screenshot,
  startConsoleServer,
  type ConsoleServer,
} from './harness.js';
import { smtpSink } from '../lifecycle/accounts-mail.js';

/**
 * The messages pages (issue 16) on the demo retailer, with a real SMTP server: every template
 * previewed in Spanish and Portuguese (money and dates in their forms), then a coupon campaign
 * created from the form, sent, and its results shown; each screen within 5 API calls; screenshots.
 */
describe('messages console (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let admin: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    [server, browser] = await Promise.all([
      startConsoleServer({ stores: 2, products: 6 }, { env: { OMNIA_SMTP_URL: smtp.url } }),
      launchBrowser(),
    ]);
    admin = await server.token(ADMIN.email, ADMIN.password);
    // Two people who said yes to marketing e-mail, a segment of exactly them, a coupon promotion.
    for (const email of ['nora@example.com', 'ivo@example.com']) {
      const p = await server.api('POST', '/v1/identify', admin, { identifiers: { email } });
      expect(p.status).toBe(200);
      const c = await server.api('PUT', `/v1/customers/${p.body.customer_id}/consents`, admin, {
        consents: [
          { purpose: 'marketing_email', granted: true },
          { purpose: 'personalisation', granted: false },
        ],
      });
      expect(c.status).toBe(200);
    }
    const seg = await server.api('POST', '/v1/segments', admin, {
      name: 'Mail yes, personalisation no',
      definition: {
        all: [
          { field: 'consent', op: 'contains', value: 'marketing_email' },
          { not: { field: 'consent', op: 'contains', value: 'personalisation' } },
        ],
      },
    });
    expect(seg.status).toBe(201);
    const promo = await server.api('POST', '/v1/promotions', admin, {
      name: 'Mailing 10 %',
      kind: 'basket_percent',
      params: { percent: 10 },
      coupon_required: true,
    });
    expect(promo.status).toBe(201);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  async function session(locale = 'en-GB'): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await login(page, server.url, ADMIN.email, ADMIN.password);
    return { ctx, page };
  }

  it('previews every template in Spanish and Portuguese with money and dates in their forms', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await page.goto(`${server.url}/console/messages`);
    await page.waitForSelector('[data-testid=preview] h2');
    expect(await page.textContent('[data-testid=preview] h2')).toContain('Tu pedido ord_PREVIEW está confirmado');
    const body = async () => (await page.frameLocator('iframe.message-html').locator('body').textContent()) ?? '';
    expect((await body()).replace(/\u00a0/g, ' ')).toContain('49,90 €');
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    expect(await page.locator('select[name=template] option').count()).toBe(13); // with payment_link (issue 14 point 8)
    await screenshot(page, 'messages-template-es');
    await page.check('input[name=locale][value=pt]');
    await page.locator('[data-testid=preview] h2', { hasText: 'A sua encomenda' }).waitFor();
    expect(await body()).toContain('3 de dezembro de 2026');
    await page.selectOption('select[name=template]', 'campaign_coupon');
    await page.locator('[data-testid=preview] h2', { hasText: 'presente' }).waitFor();
    expect(await body()).toContain('Cancelar a subscrição');
    await screenshot(page, 'messages-template-pt-campaign');
    // The gift's recipient: what and when, the receipt code, never a price.
    await page.selectOption('select[name=template]', 'gift_notice');
    await page.locator('[data-testid=preview] h2', { hasText: 'enviou-lhe um presente' }).waitFor();
    expect(await body()).toContain('GR-7K2P-9QX4-M3TB-8DWA');
    expect(await body()).not.toMatch(/€|\d[.,]\d\d(?!\d)/);
    await screenshot(page, 'messages-template-pt-gift');
    await ctx.close();
  }, 180_000);

  it('creates a campaign, sends it and shows its results; the mails leave over SMTP', async () => {
    const { ctx, page } = await session();
    const calls = countApiCalls(page);
    await page.goto(`${server.url}/console/messages/campaigns`);
    await page.locator('select[name=segment_id] option', { hasText: 'Mail yes' }).waitFor({ state: 'attached' });
    await page.locator('select[name=promotion_id] option', { hasText: 'Mailing' }).waitFor({ state: 'attached' });
    expect(calls.calls().length).toBeLessThanOrEqual(5);
    await page.fill('input[name=name]', 'Winter mailing');
    await page.selectOption('select[name=segment_id]', { label: 'Mail yes, personalisation no' });
    await page.selectOption('select[name=promotion_id]', { label: 'Mailing 10 %' });
    await page.fill('input[name=offer]', '10 % off');
    await page.click('form.campaign-form button[type=submit]');
    const row = page.locator('tr', { hasText: 'Winter mailing' });
    await row.locator('button', { hasText: 'Send' }).waitFor();
    await screenshot(page, 'messages-campaign-draft');
    await row.locator('button', { hasText: 'Send' }).click();
    await row.locator('td', { hasText: 'Sent' }).first().waitFor();
    expect(await row.textContent()).toContain('2');
    const to = smtp.inbox.map((m) => m.to);
    expect(to).toEqual(expect.arrayContaining(['nora@example.com', 'ivo@example.com']));
    expect(smtp.inbox.find((m) => m.to === 'nora@example.com')!.text).toMatch(/personal code: C[A-Z0-9]+/);
    await screenshot(page, 'messages-campaign-sent');
    // A bad cap is the API's problem, shown on the page (no silent clamp).
    await page.fill('input[name=name]', 'Bad cap');
    await page.fill('input[name=cap_max]', '0');
    await page.click('form.campaign-form button[type=submit]');
    await page.waitForSelector('.problem');
    await ctx.close();
  }, 180_000);

  it('reads in Portuguese', async () => {
    const { ctx, page } = await session('pt-PT');
    await page.goto(`${server.url}/console/messages/campaigns`);
    await page.locator('h1', { hasText: 'Campanhas' }).waitFor();
    expect(await page.textContent('main')).toContain('Criar campanha');
    await screenshot(page, 'messages-campaigns-pt');
    await ctx.close();
  }, 120_000);
});
