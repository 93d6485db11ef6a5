import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  PASSWORD,
  launchBrowser,
  login,
  screenshot,
  startConsoleServer,
  type ConsoleServer,
} from './harness.js';

/**
 * Webchat into the contact center (issue 19 point 3), with TWO browser contexts: a shopper on the
 * storefront chat page (publishable key, no login) and an agent in the console. The shopper chats,
 * reloads and finds her conversation again; the agent takes it from the queue, sees her 360 beside the
 * chat, builds a cart and hands it over; the shopper's page shows that cart (its lines and total).
 * The transcript is then on her customer page. Chromium against a running Omnia with the demo.
 */
describe('webchat: shopper and agent (Chromium, two contexts)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  let shopperCtx: BrowserContext;
  let agentCtx: BrowserContext;
  let shopper: Page;
  let agent: Page;
  let admin: string;
  let pubKey: string;
  let customer: string;
  let sku: string;
  let productName: string;
  const AGENT = { email: 'agent.chat@console.test', password: PASSWORD };
  const EMAIL = 'lucia.chat@example.com';
  const api = (method: string, p: string, body?: unknown) => server.api(method, p, admin, body);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
    admin = await server.token(ADMIN.email, ADMIN.password);
    expect((await api('POST', '/v1/staff', { ...AGENT, role: 'agent' })).status).toBe(201);
    const who = await api('POST', '/v1/identify', {
      identifiers: { email: EMAIL },
      first_name: 'Lucía',
      last_name: 'Martín',
    });
    expect(who.status, JSON.stringify(who.body)).toBe(200);
    customer = who.body.customer_id;
    const channels = (await api('GET', '/v1/channels?limit=50')).body.items as { id: string; type: string }[];
    const web = channels.find((c) => c.type === 'web')!;
    const key = await api('POST', '/v1/api-keys', { channel_id: web.id, kind: 'publishable' });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    pubKey = key.body.key;
    // A size the contact-center channel may sell (its stock policy decides), with its product's name.
    const phone = channels.find((c) => c.type === 'contact_center')!;
    const products = (await api('GET', '/v1/products?limit=12')).body.items as { id: string; name: string }[];
    outer: for (const p of products) {
      for (const v of (await api('GET', `/v1/products/${p.id}`)).body.variants as { sku: string }[]) {
        const a = await api('GET', `/v1/availability?sku=${encodeURIComponent(v.sku)}&channel=${phone.id}`);
        if ((a.body.available ?? 0) >= 3) {
          sku = v.sku;
          productName = p.name;
          break outer;
        }
      }
    }
    expect(sku, 'a size in stock for the contact center').toBeDefined();
    shopperCtx = await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'es-ES' });
    agentCtx = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    shopper = await shopperCtx.newPage();
    agent = await agentCtx.newPage();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a shopper chats, the agent sees her 360, builds a cart, hands it over, and her page shows it', async () => {
    // The shopper opens the storefront chat with the shop's publishable key: no staff login.
    await shopper.goto(`${server.url}/console/shop/chat?key=${pubKey}`);
    await shopper.fill('input[name=name]', 'Lucía');
    await shopper.fill('input[name=email]', EMAIL);
    await shopper.fill('textarea[name=message]', '¿Tenéis esta camisa en otra talla?');
    await shopper.click('button[type=submit]');
    await shopper.waitForSelector('[data-testid=transcript] li:has-text("otra talla")');

    // A reload resumes the same conversation (its token is kept in this browser).
    await shopper.reload();
    await shopper.waitForSelector('[data-testid=transcript] li:has-text("otra talla")');
    await screenshot(shopper, 'webchat-shopper-waiting');

    // The agent finds it waiting in the queue and takes it.
    await login(agent, server.url, AGENT.email, AGENT.password);
    await agent.goto(`${server.url}/console/agent/chats`);
    await agent.waitForSelector('[data-testid=chat-queue] td:has-text("Lucía")');
    await screenshot(agent, 'webchat-agent-queue');
    await agent.click('[data-testid=chat-queue] button[data-take]');
    await agent.waitForSelector('[data-testid=chat-desk]');
    await agent.waitForSelector('[data-testid=transcript] li:has-text("otra talla")');
    // Her 360 beside the chat: the person the typed e-mail matched, marked unverified until confirmed.
    const side = agent.locator('[data-testid=chat-360]');
    await side.locator('h2:has-text("Lucía Martín")').waitFor();
    await side.locator('button[data-confirm]').click();
    await side.locator('small[data-verified=true]').waitFor();

    // The agent answers; the shopper's page shows it live.
    await agent.fill('textarea[name=body]', 'Hola Lucía, te preparo una cesta.');
    await agent.click('[data-testid=chat-desk] form.chat-composer button[type=submit]');
    await shopper.waitForSelector('[data-testid=transcript] li.agent:has-text("te preparo una cesta")');
    await shopper.waitForSelector('[data-testid=chat-status]:has-text("Un agente te atiende")');

    // The agent builds a cart and hands it over in the chat.
    const cartBox = agent.locator('[data-testid=chat-cart]');
    await cartBox.locator('input[name=product_query]').fill(productName);
    await cartBox.locator('form[role=search] button[type=submit]').click();
    await cartBox.locator(`[data-testid=products] button:has-text("${productName}")`).first().click();
    await cartBox.locator(`button[data-add="${sku}"]`).click();
    await cartBox.locator('[data-testid=chat-cart-lines]').waitFor();
    await cartBox.locator(`button[data-add="${sku}"]`).click();
    await cartBox.locator('[data-testid=chat-cart-lines] td:has-text("2")').first().waitFor();
    await screenshot(agent, 'webchat-agent-cart');
    await cartBox.locator('[data-testid=hand-over]').click();
    await agent.waitForSelector('[data-testid=transcript] li[data-kind=cart]');

    // The shopper's page claims the hand-off code and shows the cart: its line and its total.
    const handed = shopper.locator('[data-testid=handed-cart]');
    await handed.waitFor({ timeout: 20_000 });
    await handed.locator(`li[data-sku="${sku}"]:has-text("× 2")`).waitFor();
    const total = await shopper.locator('[data-testid=cart-total] strong').innerText();
    expect(total).toMatch(/\d/);
    await screenshot(shopper, 'webchat-shopper-cart');
    await screenshot(agent, 'webchat-agent-chat');

    // The cart now serves the shopper: claimed into the web channel, with the lines the agent chose.
    const conv = (await api('GET', `/v1/conversations?customer_id=${customer}`)).body.items[0];
    const messages = (await api('GET', `/v1/conversations/${conv.id}`)).body.messages as {
      cart: { cart_id: string } | null;
    }[];
    const cartId = messages.find((m) => m.cart)!.cart!.cart_id;
    const cart = (await api('GET', `/v1/carts/${cartId}`)).body;
    expect(cart.lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);

    // The shopper reloads: the same conversation and the same cart (read by id, not claimed twice).
    await shopper.reload();
    await shopper.locator(`[data-testid=handed-cart] li[data-sku="${sku}"]`).waitFor();

    // The transcript belongs to her 360.
    await agent.goto(`${server.url}/console/agent/customers/${customer}`);
    await agent.waitForSelector(`[data-testid=transcripts] a[href$="/agent/chats/${conv.id}"]`);
  }, 180_000);
});
