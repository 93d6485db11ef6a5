/**
 * Issue 16 point 4: click & collect and pickup-point options promise a ready-by time and a collect
 * window from the location's opening hours and timezone, on the test clock; never a closed day;
 * the order keeps the promise and the ready-for-pickup mail states it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { smtpMailer } from '../../src/notifications/index.js';
import { act, drain, pickupCodeMailed, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';
import { smtpSink } from '../helpers/smtp.js';

const WEEK = { mon: [['10:00', '21:30']], tue: [['10:00', '21:30']], wed: [['10:00', '21:30']] };
const SAT_ONLY_MORNING = { ...WEEK, thu: [['10:00', '21:30']], fri: [['10:00', '21:30']], sat: [['10:00', '14:00']] };

describe('pickup times', () => {
  let t: TestApp;
  let net: Net;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  const clock = new ManualClock('2026-06-10T18:30:00Z'); // Wednesday 20:30 in Madrid (CEST)

  beforeAll(async () => {
    smtp = await smtpSink();
    t = await startTestApp({ clock });
    t.omnia.services.notifications.useMailer(smtpMailer(smtp.url, 'Shop <shop@example.com>'));
    net = await setupNetwork(t);
    for (const [loc, hours] of [
      [net.sol, SAT_ONLY_MORNING],
      [net.point, WEEK],
    ] as const) {
      const r = await t.request('PATCH', `/v1/locations/${loc.id}`, { body: { opening_hours: hours } });
      expect(r.status).toBe(200);
    }
    t.omnia.services.network.invalidate();
    await product(t, 'scarf', [{ sku: 'SCARF', price: 1500 }]);
    await receive(t, 'SCARF', net.sol, 5);
    await receive(t, 'SCARF', net.warehouse, 5);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function cartWithScarf(): Promise<string> {
    const cart = await t.request('POST', '/v1/carts', { token: net.web, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: net.web, body: { sku: 'SCARF', quantity: 1 } });
    return cart.body.id;
  }
  async function options(cartId: string): Promise<Record<string, any>> {
    const r = await t.request('GET', `/v1/carts/${cartId}/delivery-options`, { token: net.web });
    expect(r.status).toBe(200);
    return Object.fromEntries(r.body.options.map((o: { id: string }) => [o.id, o]));
  }

  it('an order at 20:30 at a store closing at 21:30 is promised tomorrow from opening', async () => {
    clock.set('2026-06-10T18:30:00Z');
    const o = await options(await cartWithScarf());
    expect(o[`click_collect:${net.sol.id}`]).toMatchObject({
      promised_date: '2026-06-11',
      ready_by: '2026-06-11T08:00:00.000Z', // 10:00 Madrid
      collect_until: '2026-06-11T19:30:00.000Z', // 21:30 Madrid
    });
    // a store without published hours keeps the date-only promise
    expect(o[`click_collect:${net.gran.id}`]).toMatchObject({ ready_by: null, collect_until: null });
  });

  it('an order at 16:00 is ready today from 18:00, collect until 21:30', async () => {
    clock.set('2026-06-10T14:00:00Z');
    const o = await options(await cartWithScarf());
    expect(o[`click_collect:${net.sol.id}`]).toMatchObject({
      promised_date: '2026-06-10',
      ready_by: '2026-06-10T16:00:00.000Z',
      collect_until: '2026-06-10T19:30:00.000Z',
    });
  });

  it('never promises a closed day: Saturday afternoon goes to Monday, a pickup point waits past its closed days', async () => {
    clock.set('2026-06-13T12:30:00Z'); // Saturday 14:30, closed since 14:00; Sunday closed
    const o = await options(await cartWithScarf());
    expect(o[`click_collect:${net.sol.id}`]).toMatchObject({
      promised_date: '2026-06-15',
      ready_by: '2026-06-15T08:00:00.000Z',
    });
    clock.set('2026-06-10T08:00:00Z'); // Wednesday: 3 carrier days land on Saturday, closed at the locker
    const p = await options(await cartWithScarf());
    expect(p[`pickup_point:${net.point.id}`]).toMatchObject({ promised_date: '2026-06-15' });
  });

  it('keeps the promise on the order and states it in the ready-for-pickup mail', async () => {
    clock.set('2026-06-10T18:30:00Z');
    const cartId = await cartWithScarf();
    const res = await t.request('POST', `/v1/carts/${cartId}/checkout`, {
      token: net.web,
      body: {
        delivery: { method: 'click_collect', location_id: net.sol.id },
        email: 'collect@example.com',
        payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toMatchObject({
      promised_date: '2026-06-11',
      ready_by: '2026-06-11T08:00:00.000Z',
      collect_until: '2026-06-11T19:30:00.000Z',
    });
    await drain(t);
    const [f] = await t.omnia.services.fulfillment.ofOrder(res.body.id);
    for (const action of ['accept', 'pick', 'pack', 'ready'])
      expect((await act(t, f!.id, { action }, net.solStaff)).status).toBe(200);
    const code = await pickupCodeMailed(t, f!.id);
    await t.omnia.dispatcher.drain();
    const mail = smtp.inbox.find((m) => m.to === 'collect@example.com' && m.raw.includes(code));
    expect(mail).toBeDefined();
    expect(mail!.raw.replace(/=\r?\n/g, '')).toMatch(/collect until 21:30/i);
  });
});
