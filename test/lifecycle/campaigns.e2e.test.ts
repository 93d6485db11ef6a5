import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { ManualClock } from '../../src/platform/clock.js';
import { setupShop, type Shop } from '../checkout/fixtures.js';
import { smtpSink } from './accounts-mail.js';

const PASSWORD = 'a long enough secret';

describe('personal messages with consent (issue 16 point 3)', () => {
  const clock = new ManualClock('2026-11-30T09:00:00Z');
  let t: TestApp;
  let shop: Shop;
  let web: string;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;

  beforeAll(async () => {
    smtp = await smtpSink();
    t = await startTestApp({ clock });
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    shop = await setupShop(t, { prefix: 'cam' });
    web = await t.apiKey('cam-web', ['carts:read', 'carts:write', 'customers:authenticate']);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const mailsTo = (to: string) => smtp.inbox.filter((m) => m.to === to);

  async function person(email: string, consent: boolean): Promise<string> {
    const id = (await t.request('POST', '/v1/identify', { body: { identifiers: { email } } })).body
      .customer_id as string;
    if (consent)
      expect(
        (
          await t.request('PUT', `/v1/customers/${id}/consents`, {
            body: { consents: [{ purpose: 'marketing_email', granted: true }] },
          })
        ).status,
      ).toBe(200);
    return id;
  }

  it('sends a coupon to a 3-person segment: 2 mails, the one without consent skipped and logged; a second campaign the same week is capped; unsubscribe withdraws consent', async () => {
    const ana = await person('ana@example.com', true);
    const bea = await person('bea@example.com', true);
    const cai = await person('cai@example.com', false);
    const promo = await t.request('POST', '/v1/promotions', {
      body: { name: 'Winter mailing', kind: 'basket_percent', params: { percent: 10 }, coupon_required: true },
    });
    expect(promo.status).toBe(201);
    const segment = await t.request('POST', '/v1/segments', {
      body: { name: 'Everyone so far', definition: { field: 'orders_count', op: 'gte', value: 0 } },
    });
    expect(segment.status).toBe(201);
    expect((await t.request('GET', `/v1/segments/${segment.body.id}/members`)).body.count).toBe(3);

    const created = await t.request('POST', '/v1/campaigns', {
      body: { name: 'Winter', segment_id: segment.body.id, promotion_id: promo.body.id, offer: '10 %' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', frequency_cap: { max: 2, days: 7 } });
    const sent = await t.request('POST', `/v1/campaigns/${created.body.id}/send`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      status: 'sent',
      results: { recipients: 3, sent: 2, pending: 0, skipped: { 'no marketing consent': 1 } },
    });
    // Sent once: a second send is refused.
    expect((await t.request('POST', `/v1/campaigns/${created.body.id}/send`)).status).toBe(409);

    expect(mailsTo('ana@example.com')).toHaveLength(1);
    expect(mailsTo('bea@example.com')).toHaveLength(1);
    expect(mailsTo('cai@example.com')).toHaveLength(0);
    const recipients = (await t.request('GET', `/v1/campaigns/${created.body.id}/recipients`)).body.items as {
      customer_id: string;
      coupon_code: string | null;
      status: string;
    }[];
    const codeOf = (id: string) => recipients.find((r) => r.customer_id === id)!.coupon_code!;
    // Each mail carries that person's own single-use code from one batch, in the channel-less default (English).
    expect(mailsTo('ana@example.com')[0]!.text).toContain(`Here is your personal code: ${codeOf(ana)}`);
    expect(mailsTo('bea@example.com')[0]!.text).toContain(codeOf(bea));
    expect(codeOf(ana)).not.toBe(codeOf(bea));
    expect(recipients.find((r) => r.customer_id === cai)).toMatchObject({ status: 'skipped', coupon_code: null });
    const coupons = (await t.request('GET', `/v1/promotions/${promo.body.id}/coupons`)).body.items as {
      code: string;
    }[];
    expect(coupons.map((c) => c.code).sort()).toEqual([codeOf(ana), codeOf(bea)].sort());

    // Logged per person, skipped ones too.
    const caiLog = await t.request('GET', `/v1/customers/${cai}/messages`);
    expect(caiLog.body.items).toMatchObject([
      { template: 'campaign_coupon', kind: 'marketing', status: 'skipped', reason: 'no marketing consent' },
    ]);
    const anaLog = await t.request('GET', `/v1/customers/${ana}/messages`);
    expect(anaLog.body.items).toMatchObject([
      { template: 'campaign_coupon', status: 'sent', recipient: 'ana@example.com' },
    ]);

    // A second campaign the same week, at most one marketing mail a week: everyone is capped.
    const second = await t.request('POST', '/v1/campaigns', {
      body: {
        name: 'Flash',
        segment_id: segment.body.id,
        promotion_id: promo.body.id,
        frequency_cap: { max: 1, days: 7 },
      },
    });
    const secondSent = await t.request('POST', `/v1/campaigns/${second.body.id}/send`);
    expect(secondSent.body.results).toMatchObject({
      recipients: 3,
      sent: 0,
      skipped: { 'frequency cap': 2, 'no marketing consent': 1 },
    });
    expect(mailsTo('ana@example.com')).toHaveLength(1);
    expect((await t.request('GET', `/v1/customers/${ana}/messages`)).body.items[0]).toMatchObject({
      status: 'skipped',
      reason: 'frequency cap',
    });

    // The unsubscribe link (signed, public) withdraws the consent; an altered token does nothing.
    const link = /\/v1\/unsubscribe\?token=([A-Za-z0-9_.-]+)/.exec(mailsTo('bea@example.com')[0]!.text)![1]!;
    const tampered = link.slice(0, -2) + (link.endsWith('AA') ? 'BB' : 'AA');
    expect((await t.request('GET', `/v1/unsubscribe?token=${tampered}`, { token: '' })).status).toBe(400);
    const unsub = await t.request('GET', `/v1/unsubscribe?token=${link}`, { token: '' });
    expect(unsub.status).toBe(200);
    expect(unsub.body).toEqual({ unsubscribed: true, purpose: 'marketing_email' });
    const bea360 = await t.request('GET', `/v1/customers/${bea}`);
    expect(bea360.body.consents.find((c: { purpose: string }) => c.purpose === 'marketing_email').granted).toBe(false);

    // Under the default cap (2 a week) Ana has room for one more; Bea unsubscribed.
    const third = await t.request('POST', '/v1/campaigns', {
      body: { name: 'Later', segment_id: segment.body.id, promotion_id: promo.body.id },
    });
    const thirdSent = await t.request('POST', `/v1/campaigns/${third.body.id}/send`);
    expect(thirdSent.body.results).toMatchObject({ sent: 1, skipped: { 'no marketing consent': 2 } });
    expect(mailsTo('ana@example.com')).toHaveLength(2);
    expect(mailsTo('bea@example.com')).toHaveLength(1);

    // The log is in the person's export and loses its personal data with them.
    const exported = await t.request('GET', `/v1/customers/${ana}/export`);
    expect(exported.body.messages.map((m: { template: string }) => m.template)).toContain('campaign_coupon');
    expect(exported.body.campaign_recipients).toHaveLength(3);
    expect((await t.request('DELETE', `/v1/customers/${ana}`)).status).toBe(200);
    await t.omnia.dispatcher.drain();
    const left = await t.omnia.ctx.db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient', '=', 'ana@example.com')
      .execute();
    expect(left).toHaveLength(0);
  });

  it('sends an SMS campaign through the channel interface (a log-only provider) to those who consented to SMS', async () => {
    const id = (
      await t.request('POST', '/v1/identify', {
        body: { identifiers: { email: 'sol@example.com', phone: '+34 600 111 222' } },
      })
    ).body.customer_id as string;
    await t.request('PUT', `/v1/customers/${id}/consents`, {
      body: { consents: [{ purpose: 'marketing_sms', granted: true }] },
    });
    const segment = await t.request('POST', '/v1/segments', {
      body: { name: 'SMS yes', definition: { field: 'consent', op: 'contains', value: 'marketing_sms' } },
    });
    const promo = await t.request('POST', '/v1/promotions', {
      body: { name: 'SMS deal', kind: 'basket_percent', params: { percent: 5 }, coupon_required: true },
    });
    const c = await t.request('POST', '/v1/campaigns', {
      body: { name: 'Text', segment_id: segment.body.id, promotion_id: promo.body.id, channel: 'sms' },
    });
    expect(c.status).toBe(201);
    const sent = await t.request('POST', `/v1/campaigns/${c.body.id}/send`);
    expect(sent.body.results).toMatchObject({ recipients: 1, sent: 1 });
    const log = await t.request('GET', `/v1/customers/${id}/messages`);
    expect(log.body.items).toMatchObject([
      { template: 'campaign_coupon', channel: 'sms', recipient: '+34600111222', status: 'sent' },
    ]);
    // No mail left over SMTP for it.
    expect(mailsTo('sol@example.com')).toHaveLength(0);
  });

  it('reminds a logged-in shopper of an idle cart once, only with consent, and not when an item sold out', async () => {
    const shopper = async (email: string) => {
      const reg = await t.request('POST', '/v1/auth/customer/register', {
        token: web,
        body: { email, password: PASSWORD },
      });
      expect(reg.status).toBe(201);
      await t.request('PUT', `/v1/customers/${reg.body.customer_id}/consents`, {
        token: reg.body.token,
        body: { consents: [{ purpose: 'marketing_email', granted: true }] },
      });
      return reg.body as { customer_id: string; token: string };
    };
    const dora = await shopper('dora@example.com');
    const eli = await shopper('eli@example.com');
    const cart = async (token: string, sku: string) => {
      const c = await t.request('POST', '/v1/carts', { token, body: {} });
      const item = await t.request('POST', `/v1/carts/${c.body.id}/items`, { token, body: { sku, quantity: 1 } });
      expect(item.status, JSON.stringify(item.body)).toBe(200);
      return c.body.id as string;
    };
    await cart(dora.token, shop.skus[0]!);
    await cart(eli.token, shop.skus[3]!); // the last unit in the network
    const available = async (sku: string) =>
      (await t.omnia.services.inventory.availability({ channel: 'cam-web', skus: [sku] }))[0]?.available ?? 0;
    expect(await available(shop.skus[3]!)).toBe(1);
    const reminders = t.omnia.services.cartReminders;

    // Not before the cart has stood still for the configured hours (4 by default).
    await reminders.run();
    expect(mailsTo('dora@example.com')).toHaveLength(0);

    // Eli's item sells out meanwhile.
    await t.omnia.services.inventory.recordMovement({
      sku: shop.skus[3]!,
      location_id: shop.store.id,
      type: 'count',
      quantity: 0,
    });
    expect(await available(shop.skus[3]!)).toBe(0);
    clock.advance(5 * 3_600_000);
    await reminders.run();
    expect(mailsTo('dora@example.com')).toHaveLength(1);
    expect(mailsTo('dora@example.com')[0]!.text).toContain(`1 × ${shop.skus[0]}`);
    expect(mailsTo('eli@example.com')).toHaveLength(0);
    // Once: later passes send nothing more.
    clock.advance(5 * 3_600_000);
    await reminders.run();
    expect(mailsTo('dora@example.com')).toHaveLength(1);
    const log = await t.request('GET', `/v1/customers/${dora.customer_id}/messages`, { token: dora.token });
    expect(log.status).toBe(200);
    expect(log.body.items).toMatchObject([{ template: 'cart_reminder', kind: 'marketing', status: 'sent' }]);
  });
});
