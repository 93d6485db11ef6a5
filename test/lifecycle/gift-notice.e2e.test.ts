/**
 * Issue 16 point 6: the gift's recipient is mailed once (after commit, from `order.placed`) who sent it,
 * the message, what is inside and how it arrives, and the gift receipt code — never a price or an
 * amount — in the buyer's language; the buyer still gets their confirmation with prices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { drain, HOME, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';
import { smtpSink, type Mail } from './accounts-mail.js';

/** The mail's body (after the headers, which carry dates and ids). */
const bodyOf = (m: Mail) => m.text.slice(m.text.search(/\r?\n\r?\n/));
/** A price or an amount in any form: a currency sign or code, or digits with decimals ("49.99", "49,99"). */
const PRICE = /€|EUR|\$|\d[.,]\d\d(?!\d)/;

describe('the gift recipient’s mail', () => {
  let t: TestApp;
  let net: Net;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  const mailsTo = (to: string) => smtp.inbox.filter((m) => m.to === to);

  beforeAll(async () => {
    smtp = await smtpSink();
    t = await startTestApp();
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    net = await setupNetwork(t);
    await t.omnia.services.catalog.createProduct({
      code: 'gn-jumper',
      name: 'Wool jumper',
      category: 'clothing',
      variants: [{ sku: 'GN-JUMPER-M', size: 'M', weight_g: 300, prices: [{ currency: 'EUR', list_amount: 4999 }] }],
    } as never);
    await t.omnia.services.catalog.createProduct({
      code: 'gn-scarf',
      name: 'Silk scarf',
      category: 'clothing',
      variants: [{ sku: 'GN-SCARF', weight_g: 100, prices: [{ currency: 'EUR', list_amount: 2550 }] }],
    } as never);
    await receive(t, 'GN-JUMPER-M', net.warehouse, 20);
    await receive(t, 'GN-SCARF', net.warehouse, 20);
    await receive(t, 'GN-JUMPER-M', net.sol, 20);
    await receive(t, 'GN-SCARF', net.sol, 20);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function checkout(
    cartBody: Record<string, unknown>,
    body: Record<string, unknown>,
    token: string | undefined = net.web,
  ) {
    const cart = await t.request('POST', '/v1/carts', { token, body: cartBody });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    for (const [sku, quantity] of [
      ['GN-JUMPER-M', 2],
      ['GN-SCARF', 1],
    ] as const)
      expect(
        (await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku, quantity } })).status,
      ).toBe(200);
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: { payment: { provider: 'test', card_number: '4242424242424242' }, ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await drain(t);
    return res.body;
  }

  it('a guest’s gift shipped home: the recipient gets one mail without prices, the buyer their confirmation with prices; a redelivered event sends nothing again', async () => {
    const order = await checkout(
      {},
      {
        delivery: { method: 'home', address: HOME },
        email: 'buyer@example.com',
        gift: { message: 'Happy birthday, Leo!', recipient_email: 'leo@example.com', recipient_name: 'Leo' },
      },
    );
    expect(order.gift_recipient).toEqual({ email: 'leo@example.com', name: 'Leo' });
    const staffView = await t.request('GET', `/v1/orders/${order.id}`);
    expect(staffView.body.gift_recipient).toEqual({ email: 'leo@example.com', name: 'Leo' });

    const [gift, ...more] = mailsTo('leo@example.com');
    expect(more).toHaveLength(0);
    const text = bodyOf(gift!);
    expect(text).toContain('Hello Leo,');
    expect(text).toContain('Happy birthday, Leo!');
    expect(text).toContain('2 × Wool jumper');
    expect(text).toContain('1 × Silk scarf');
    expect(text).toContain(order.gift_receipt_code);
    expect(text).toMatch(/delivered to your door/);
    expect(text).not.toMatch(PRICE);
    expect(text).not.toMatch(/total/i);
    expect(text).not.toContain('GN-'); // product names, not SKUs

    // The buyer's confirmation still has its prices (and is not the recipient's text).
    const [confirmation] = mailsTo('buyer@example.com');
    expect(bodyOf(confirmation!)).toMatch(/€\s?99\.98/);
    expect(bodyOf(confirmation!)).toMatch(/Total/);

    // Redelivered: both messages are in the log once, nothing is mailed again.
    const log = await t.omnia.services.notifications.forOrder(order.id);
    const placed = log.filter((r) => r.template === 'gift_notice' || r.template === 'order_confirmation');
    expect(placed.map((r) => [r.template, r.recipient, r.status, r.subject]).sort()).toEqual([
      ['gift_notice', 'leo@example.com', 'sent', 'Someone sent you a gift — Omnia'],
      ['order_confirmation', 'buyer@example.com', 'sent', `Your order ${order.id} is confirmed — Omnia`],
    ]);
    const before = smtp.inbox.length;
    const again = await t.omnia.services.notifications.onEvent({
      id: placed[0]!.event_id,
      type: 'order.placed',
      aggregate_id: order.id,
      occurred_at: new Date().toISOString(),
      data: { order_id: order.id },
    });
    expect(again.status).toBe('duplicate');
    expect(smtp.inbox.length).toBe(before);
  });

  it('a gift without a recipient address mails only the buyer; a bad recipient address is a 400', async () => {
    const before = smtp.inbox.length;
    const order = await checkout(
      {},
      { delivery: { method: 'home', address: HOME }, email: 'plain@example.com', gift: { message: 'For you' } },
    );
    expect(order.gift_recipient).toBeNull();
    expect(smtp.inbox.slice(before).map((m) => m.to)).toEqual(['plain@example.com']);
    const bad = await t.request('POST', '/v1/carts/x/checkout', {
      token: net.web,
      body: {
        delivery: { method: 'home', address: HOME },
        payment: { provider: 'test' },
        gift: { recipient_email: 'not an address' },
      },
    });
    expect(bad.status).toBe(400);
  });

  it('in the buyer’s language: a Spanish customer’s click & collect gift names the store, the giver and the code', async () => {
    const id = (
      await t.request('POST', '/v1/identify', {
        body: { identifiers: { email: 'lucia@example.com' }, first_name: 'Lucía' },
      })
    ).body.customer_id as string;
    expect((await t.request('PUT', `/v1/customers/${id}/locale`, { body: { locale: 'es' } })).status).toBe(200);
    const order = await checkout(
      { channel: 'f-web', customer_id: id },
      {
        delivery: { method: 'click_collect', location_id: net.sol.id },
        email: 'lucia@example.com',
        gift: { message: '¡Feliz cumpleaños!', recipient_email: 'marta@example.com' },
      },
      undefined,
    );
    const [gift, ...more] = mailsTo('marta@example.com');
    expect(more).toHaveLength(0);
    const text = bodyOf(gift!);
    expect(text).toContain('Lucía te ha enviado un regalo.');
    expect(text).toContain('«¡Feliz cumpleaños!»');
    expect(text).toContain('2 × Wool jumper');
    expect(text).toContain('Puedes recogerlo en Sol');
    expect(text).toContain(`Código de regalo: ${order.gift_receipt_code}`);
    // Sol has no opening hours here: the promised day (with hours, the ready-from time and the collect window)
    expect(text).toMatch(/Puedes recogerlo en Sol a partir del \d+ de \p{L}+ de \d{4}\./u);
    expect(text).not.toMatch(PRICE);
    // Her own confirmation: Spanish, with prices.
    expect(bodyOf(mailsTo('lucia@example.com')[0]!)).toMatch(/99,98\s?€/);
  });

  it('erasing the buyer erases the recipient on the order', async () => {
    const id = (await t.request('POST', '/v1/identify', { body: { identifiers: { email: 'eva@example.com' } } })).body
      .customer_id as string;
    const order = await checkout(
      { channel: 'f-web', customer_id: id },
      {
        delivery: { method: 'home', address: HOME },
        email: 'eva@example.com',
        gift: { recipient_email: 'noa@example.com', recipient_name: 'Noa' },
      },
      undefined,
    );
    expect(order.gift_recipient).toEqual({ email: 'noa@example.com', name: 'Noa' });
    await t.omnia.services.orders.anonymiseCustomer(id);
    const after = await t.request('GET', `/v1/orders/${order.id}`);
    expect(after.body.gift_recipient).toBeNull();
    expect(after.body.gift_receipt_code).toBe(order.gift_receipt_code);
  });
});
