import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { emit } from '../../src/platform/events/outbox.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { setupShop, GOOD_CARD, type Shop } from './fixtures.js';
import { decodeQp, smtpSink } from '../helpers/smtp.js';
import { statementCounter } from '../helpers/statements.js';

describe('notifications over SMTP', () => {
  let t: TestApp;
  let shop: Shop;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;

  beforeAll(async () => {
    smtp = await smtpSink();
    t = await startTestApp();
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    shop = await setupShop(t, { prefix: 'n' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function placeOrder(token: string, body: Record<string, unknown>) {
    const cart = await t.request('POST', '/v1/carts', { token, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token, body: { sku: shop.skus[0], quantity: 1 } });
    const res = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token,
      body: { payment: { provider: 'test', card_number: GOOD_CARD }, ...body },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('sends the same order confirmation from the web shop and from the till, once per event', async () => {
    const web = await placeOrder(shop.keys.web, {
      delivery: { method: 'pickup_point', location_id: shop.point.id },
      email: 'web@example.com',
    });
    const till = await placeOrder(shop.keys.pos, { delivery: { method: 'in_store' }, email: 'till@example.com' });
    await t.omnia.dispatcher.drain();
    const byTo = (to: string) => smtp.inbox.filter((m) => m.to === to);
    expect(byTo('web@example.com')).toHaveLength(1);
    expect(byTo('till@example.com')).toHaveLength(1);
    const a = decodeQp(byTo('web@example.com')[0]!.raw);
    const b = decodeQp(byTo('till@example.com')[0]!.raw);
    expect(a).toContain(web.id);
    expect(a).toContain('Total: €32.90'); // with the pickup point fee
    expect(b).toContain(till.id);
    expect(b).toContain('Total: €29.95');
    // the same template whatever the channel: only the order's own facts differ
    const shape = (raw: string, id: string) =>
      raw
        .slice(raw.indexOf('Thank you'))
        .replace(id, 'ID')
        .replace(/Total: .*|Delivery: .*/g, '')
        .split('\n')
        .slice(0, 3)
        .join('\n');
    expect(shape(a, web.id)).toBe(shape(b, till.id));
    const log = await t.request('GET', `/v1/orders/${web.id}/notifications`);
    expect(log.body.items).toMatchObject([
      { template: 'order_confirmation', status: 'sent', recipient: 'web@example.com', kind: 'transactional' },
    ]);

    // a redelivered event (at-least-once) sends nothing more
    const [event] = await t.omnia.ctx.db
      .selectFrom('outbox')
      .select(['id', 'type', 'aggregate_id', 'payload', 'created_at'])
      .where('type', '=', 'order.placed')
      .where('aggregate_id', '=', web.id)
      .execute();
    const again = await t.omnia.ctx.db.transaction().execute((trx) =>
      t.omnia.services.notifications.onEvent(
        {
          id: event!.id,
          type: event!.type,
          aggregate_id: event!.aggregate_id,
          occurred_at: event!.created_at.toISOString(),
          data: (typeof event!.payload === 'string' ? JSON.parse(event!.payload) : event!.payload) as Record<
            string,
            unknown
          >,
        },
        trx,
      ),
    );
    expect(again.status).toBe('duplicate');
    expect(byTo('web@example.com')).toHaveLength(1);
  });

  it('sends ready-for-pickup with the pickup code, shipped with tracking, and refund issued', async () => {
    const order = await placeOrder(shop.keys.web, {
      delivery: { method: 'click_collect', location_id: shop.store.id },
      email: 'cc@example.com',
    });
    const now = t.omnia.ctx.clock.now();
    await t.omnia.ctx.db.transaction().execute(async (trx) => {
      await emit(
        trx,
        {
          type: 'fulfillment.ready_for_pickup',
          aggregateId: order.id,
          payload: { order_id: order.id, location_id: shop.store.id, pickup_code: 'PK-4711' },
        },
        now,
      );
      await emit(
        trx,
        {
          type: 'fulfillment.shipped',
          aggregateId: order.id,
          payload: {
            id: 'ful_test',
            order_id: order.id,
            customer_id: null,
            location_id: shop.store.id,
            method: 'ship',
            status: 'shipped',
            lines: [],
            tracking: 'TRK123',
            carrier: 'seur',
          },
        },
        now,
      );
    });
    await t.omnia.dispatcher.drain();
    await t.omnia.services.orders.capturePayment(order.id);
    await t.omnia.services.orders.refund(order.id, 1000, { reason: 'return' });
    await t.omnia.dispatcher.drain();
    const mails = smtp.inbox.filter((m) => m.to === 'cc@example.com').map((m) => m.raw);
    expect(mails).toHaveLength(4);
    expect(mails.find((m) => m.includes('Pickup code: PK-4711'))).toContain('Sol store');
    expect(mails.some((m) => m.includes('Tracking: TRK123'))).toBe(true);
    expect(mails.some((m) => decodeQp(m).includes('We refunded €10.00'))).toBe(true);
  });

  it('sends marketing only to customers who consented', async () => {
    const web = (await t.omnia.services.network.channel('n-web'))!;
    const yes = await t.omnia.services.customers.register({
      email: 'yes@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    const no = await t.omnia.services.customers.register({
      email: 'no@example.com',
      password: 'a long enough password',
      channelId: web.id,
    });
    await t.omnia.services.customers.setConsents(
      yes.customer_id,
      [{ purpose: 'marketing_email', granted: true }],
      'test',
    );
    const n = t.omnia.services.notifications;
    expect(
      await n.sendMarketing({ key: 'reminder-1', customer_id: yes.customer_id, template: 'cart_reminder', data: {} }),
    ).toEqual({ status: 'sent' });
    expect(
      await n.sendMarketing({ key: 'reminder-1', customer_id: no.customer_id, template: 'cart_reminder', data: {} }),
    ).toEqual({ status: 'duplicate' });
    expect(
      await n.sendMarketing({ key: 'reminder-2', customer_id: no.customer_id, template: 'cart_reminder', data: {} }),
    ).toEqual({ status: 'skipped', reason: 'no marketing consent' });
    expect(smtp.inbox.filter((m) => m.to === 'yes@example.com')).toHaveLength(1);
    expect(smtp.inbox.filter((m) => m.to === 'no@example.com')).toHaveLength(0);
  });

  it('logs a skipped message in one statement, once per event however often it is redelivered', async () => {
    const counter = statementCounter();
    const ex = t.omnia.ctx.db.withPlugin(counter.plugin);
    const n = t.omnia.services.notifications;
    const message = {
      eventId: 'evt_skip_1',
      template: 'order_confirmation' as const,
      customerId: null,
      email: null,
      orderId: null,
      data: { order_id: 'ord_skip_1' },
    };
    expect(await n.send(message, ex)).toEqual({ status: 'skipped', reason: 'no email address' });
    expect(counter.count).toBe(1);
    expect(await n.send(message, ex)).toEqual({ status: 'duplicate' });
    expect(await n.send({ ...message, email: 'late@example.com' }, ex)).toEqual({ status: 'duplicate' });
    const rows = await t.omnia.ctx.db
      .selectFrom('notifications')
      .select(['status', 'reason'])
      .where('event_id', '=', 'evt_skip_1')
      .execute();
    expect(rows).toEqual([{ status: 'skipped', reason: 'no email address' }]);
    expect(smtp.inbox.filter((m) => m.to === 'late@example.com')).toHaveLength(0);
  });
});
