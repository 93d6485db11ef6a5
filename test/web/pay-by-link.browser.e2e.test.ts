import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  launchBrowser,
  login,
  PASSWORD,
  screenshot,
  startConsoleServer,
  ADMIN,
  type ConsoleServer,
} from './harness.js';
import { smtpSink } from '../helpers/smtp.js';
import { startStripeFake, type StripeFake } from '../payments/fakes/stripe-fake.js';

/**
 * Payment by link in the agent's desk (issue 14 point 8), Chromium against a running Omnia with the
 * demo retailer, Stripe on the local fake and a real SMTP server: the agent places the customer's order
 * paying by link, sees it "awaiting payment, link sent at …, expires at …"; the customer pays on the
 * link from the mail; Stripe's webhook settles it and the page shows the order placed.
 */
describe('agent places an order paid by link (Chromium)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let fake: StripeFake;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let admin: string;
  let customer: string;
  const target: { url?: string } = {};
  const AGENT = { email: 'agent.link@console.test', password: PASSWORD };
  const EMAIL = 'irene.link@example.com';
  const api = (method: string, p: string, body?: unknown) => server.api(method, p, admin, body);

  async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 160; i++) {
      const v = await fn();
      if (v !== undefined) return v;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    smtp = await smtpSink();
    fake = await startStripeFake({
      secretKey: 'sk_test_console_fake',
      webhookSecret: 'whsec_console_fake',
      // Stripe calls the running server's public webhook, signed (the server is started after the fake).
      deliver: async (payload, signature) => {
        if (!target.url) return 0;
        const res = await fetch(`${target.url}/v1/payments/webhooks/stripe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          body: payload,
        });
        return res.status;
      },
    });
    [server, browser] = await Promise.all([
      startConsoleServer(
        { stores: 2, products: 6 },
        {
          env: {
            OMNIA_SMTP_URL: smtp.url,
            OMNIA_STRIPE_SECRET_KEY: 'sk_test_console_fake',
            OMNIA_STRIPE_WEBHOOK_SECRET: 'whsec_console_fake',
            OMNIA_STRIPE_RETURN_URL: 'https://shop.example/paid',
            OMNIA_STRIPE_API_URL: fake.url,
          },
        },
      ),
      launchBrowser(),
    ]);
    target.url = server.url;
    admin = await server.token(ADMIN.email, ADMIN.password);
    expect((await api('POST', '/v1/staff', { ...AGENT, role: 'agent' })).status).toBe(201);
    const who = await api('POST', '/v1/identify', { identifiers: { email: EMAIL }, first_name: 'Irene' });
    expect(who.status, JSON.stringify(who.body)).toBe(200);
    customer = who.body.customer_id;
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
    await smtp?.close();
  });

  /** A product with a variant in stock somewhere in the demo: its name (to search) and SKU. */
  async function stocked(): Promise<{ sku: string; name: string }> {
    for (const p of (await api('GET', '/v1/products?limit=12')).body.items) {
      for (const v of (await api('GET', `/v1/products/${p.id}`)).body.variants) {
        const levels = (await api('GET', `/v1/inventory/${encodeURIComponent(v.sku)}`)).body.levels ?? [];
        if (levels.some((l: { available: number }) => l.available >= 3)) return { sku: v.sku, name: p.name };
      }
    }
    throw new Error('no SKU in stock in the demo');
  }

  it('pays by link: awaiting payment with when the link was sent and expires; paid → placed', async () => {
    const { sku, name } = await stocked();
    const ctx = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(30_000);
    await login(page, server.url, AGENT.email, AGENT.password);
    await page.goto(`${server.url}/console/agent/customers/${customer}/order`);
    await page.fill('input[name=product_query]', name);
    await page.click('form[role=search] button[type=submit]');
    await page.locator('[data-testid=products] button').first().click();
    await page.click(`button[data-add="${sku}"]`);
    await page.locator('[data-testid=cart] tbody tr').first().waitFor();
    await page.locator('[data-testid=delivery-options] input[data-method=home]').first().check();
    await page.fill('input[name="delivery/address/line1"]', 'Calle Luna 3');
    await page.fill('input[name="delivery/address/city"]', 'Madrid');
    await page.fill('input[name="delivery/address/postal_code"]', '28004');
    const link = page.locator('input[name=payment][value=link]');
    // enabled once the API says the contact-center channel may send links (Stripe is configured)
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLInputElement>('input[name=payment][value=link]');
      return !!el && !el.disabled;
    });
    await link.check();
    await screenshot(page, 'agent-pay-by-link-choice');
    await page.click('form[aria-label="Place the order"] button[type=submit]');
    const awaiting = page.locator('[data-testid=order-awaiting-payment]');
    await awaiting.waitFor();
    const orderId = /ord_[0-9A-Za-z]+/.exec((await awaiting.locator('h1').textContent()) ?? '')![0];
    // the mail leaves after commit (the outbox); the page shows when, and until when the link works
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=link-state]')?.textContent?.includes('link sent at'),
    );
    const state = (await page.textContent('[data-testid=link-state]')) ?? '';
    expect(state).toContain('awaiting payment');
    expect(state).toContain('expires at');
    await screenshot(page, 'agent-pay-by-link-awaiting');
    const mail = await until('the link mail', async () => smtp.inbox.find((m) => m.to === EMAIL));
    const url = /https?:\/\/\S+\/pay\/cs_test_[0-9a-f]+/.exec(mail.text)?.[0];
    expect(url, mail.text).toBeDefined();
    const order = (await api('GET', `/v1/orders/${orderId}`)).body;
    expect(order).toMatchObject({ status: 'payment_pending', channel_type: 'contact_center', customer_id: customer });
    expect(order.payment.details.next_action.redirect_url).toBe(url);

    // the agent resends it from the page: a second mail with the same link
    await page.click('[data-testid=resend-link]');
    await until('the resent mail', async () =>
      smtp.inbox.filter((m) => m.to === EMAIL).length === 2 ? true : undefined,
    );
    expect(smtp.inbox.filter((m) => m.to === EMAIL)[1]!.text).toContain(url!);

    // the customer pays on the link; Stripe's webhook settles it; the page follows
    expect(await fake.payLink(url!)).toBe(302);
    expect(fake.deliveries.find((d) => d.type === 'checkout.session.completed')?.status).toBe(200);
    // placed, then confirmed once sourced: whichever the page's poll sees first, no longer awaiting payment
    await page.waitForSelector('[data-testid=order-awaiting-payment]:not([data-status=payment_pending])', {
      timeout: 30_000,
    });
    const paid = (await api('GET', `/v1/orders/${orderId}`)).body;
    expect(paid.payment.status).toBe('authorized');
    expect(['placed', 'confirmed']).toContain(paid.status);
    expect(await page.textContent('[data-testid=link-state]')).not.toContain('awaiting payment');
    await screenshot(page, 'agent-pay-by-link-paid');
    await ctx.close();
  });
});
