import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../src/platform/events/delivery-rules.js';
import { setupShop, GOOD_CARD, type Shop } from './fixtures.js';

/**
 * Issue 11 (5): mail is sent from each event's own delivery row after commit. Before, the mail was
 * sent inside the dispatcher's batch transaction: one rejected recipient rolled the batch back, so the
 * other orders' confirmations were sent again on every retry and the outbox never moved on.
 */
describe('notifications: a rejected mail neither blocks nor repeats the others', () => {
  let t: TestApp;
  let shop: Shop;
  const inbox: string[] = [];
  let smtp: SMTPServer;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address === 'bounce@example.com') return cb(new Error('550 mailbox unavailable'));
        cb();
      },
      onData(stream, session, done) {
        stream.resume();
        stream.on('end', () => {
          inbox.push(session.envelope.rcptTo.map((r) => r.address).join(','));
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    t = await startTestApp({ clock });
    t.omnia.services.notifications.useMailer(smtpMailer(`smtp://127.0.0.1:${port}`));
    shop = await setupShop(t, { prefix: 'nf' });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => smtp?.close(() => r()));
  });

  async function placeOrder(email: string) {
    const token = shop.keys.web;
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: shop.skus[0], quantity: 1 } });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: {
        payment: { provider: 'test', card_number: GOOD_CARD },
        delivery: { method: 'pickup_point', location_id: shop.point.id },
        email,
      },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  it('sends the others once, retries the rejected one alone, and dead-letters it after its attempts', async () => {
    await placeOrder('first@example.com');
    const bounced = await placeOrder('bounce@example.com');
    await placeOrder('last@example.com');
    await t.omnia.dispatcher.drain();
    expect(inbox.sort()).toEqual(['first@example.com', 'last@example.com']);

    // The order's other consumers (confirmation, fulfillment, customers) were not held back by the mail.
    expect((await t.request('GET', `/v1/orders/${bounced.id}`)).body.status).not.toBe('placed');

    for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) {
      clock.advance(16 * 60_000);
      await t.omnia.dispatcher.drain();
    }
    expect(inbox.sort()).toEqual(['first@example.com', 'last@example.com']); // never repeated
    const dead = await t.request('GET', '/v1/events/dead-letters');
    expect(dead.body.items).toEqual([
      expect.objectContaining({
        consumer: 'notifications',
        event_type: 'order.placed',
        attempts: MAX_DELIVERY_ATTEMPTS,
      }),
    ]);
    expect(dead.body.items[0].last_error).toMatch(/550/);
    const log = await t.request('GET', `/v1/orders/${bounced.id}/notifications`);
    expect(log.body.items).toEqual([]); // nothing logged as sent
  });
});
