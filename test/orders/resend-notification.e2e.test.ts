/**
 * Issue 14 point 8, resend any notification of an order: the agent sends a logged e-mail again, now,
 * to the same address (a real SMTP server receives it), logged as a new row marked by its `resend:`
 * event id; a few per order and caller, then 429; the policy's `write` on the order decides who may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { drain, HOME, placeOrder, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';
import { smtpSink } from '../helpers/smtp.js';

describe('resend a notification of an order', () => {
  let t: TestApp;
  let net: Net;
  let agent: string;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  const resend = (orderId: string, logId: string, token = agent) =>
    t.request('POST', `/v1/orders/${orderId}/notifications/${logId}/resend`, { token });
  const log = async (orderId: string) =>
    (await t.request('GET', `/v1/orders/${orderId}/notifications`, { token: agent })).body.items as {
      id: string;
      event_id: string;
      template: string;
      recipient: string;
      status: string;
    }[];

  beforeAll(async () => {
    smtp = await smtpSink();
    t = await startTestApp();
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    net = await setupNetwork(t);
    await product(t, 'cap', [{ sku: 'CAP', price: 1200 }]);
    await receive(t, 'CAP', net.warehouse, 20);
    await t.omnia.services.auth.createStaff({
      email: 'agent@test.omnia',
      password: 'correct horse battery',
      role: 'agent',
    });
    agent = (await t.omnia.services.auth.loginStaff('agent@test.omnia', 'correct horse battery')).token;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('sends the confirmation again to the same address, logged as a new resent row; then throttled', async () => {
    const order = await placeOrder(t, net, [['CAP', 1]], { method: 'home', address: HOME });
    await drain(t);
    const [confirmation] = (await log(order.id)).filter((n) => n.template === 'order_confirmation');
    expect(confirmation).toMatchObject({ status: 'sent', recipient: 'ana@example.com' });
    const before = smtp.inbox.length;
    const res = await resend(order.id, confirmation!.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'sent', notification: { template: 'order_confirmation' } });
    expect(res.body.notification.event_id).toMatch(/^resend:/);
    expect(smtp.inbox.length).toBe(before + 1);
    expect(smtp.inbox.at(-1)?.to).toBe('ana@example.com');
    const rows = (await log(order.id)).filter((n) => n.template === 'order_confirmation');
    expect(rows).toHaveLength(2);
    // a resent row can itself be sent again (from the same original event)
    expect((await resend(order.id, res.body.notification.id)).status).toBe(200);
    expect((await resend(order.id, confirmation!.id)).status).toBe(200);
    expect((await resend(order.id, confirmation!.id)).status).toBe(429);
    expect(smtp.inbox.length).toBe(before + 3);
  });

  it('an unknown log row or another order’s is a 404; another channel’s key gets a 404', async () => {
    const a = await placeOrder(t, net, [['CAP', 1]], { method: 'home', address: HOME });
    const b = await placeOrder(t, net, [['CAP', 1]], { method: 'home', address: HOME });
    await drain(t);
    const [ofB] = await log(b.id);
    expect((await resend(a.id, 'ntf_nope')).status).toBe(404);
    expect((await resend(a.id, ofB!.id)).status).toBe(404);
    const other = await t.apiKey('other-web', ['orders:read', 'orders:write'], { type: 'web' });
    expect((await resend(a.id, ofB!.id, other)).status).toBe(404);
  });
});
