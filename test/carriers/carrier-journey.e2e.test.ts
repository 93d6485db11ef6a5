/**
 * Issue 18 part 3 through HTTP, the real checkout and the local MyDHL fake: carrier rates feed the
 * delivery promise (the rate table answers when the carrier fails or hangs); a label is bought once
 * and stored with the shipment; tracking, polled or pushed by a signed webhook, moves the task to
 * delivered and completes the order, once; an interrupted label request is finished by the job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/log.js';
import { CarrierService, signBody, type Carrier } from '../../src/carriers/index.js';
import { act, HOME, placeOrder, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';
import { dhlEnv, FAKE_LABEL_PDF, startDhlFake, type DhlFake } from './fakes/dhl-fake.js';

describe('carrier journey (DHL Express fake)', () => {
  let t: TestApp;
  let net: Net;
  let fake: DhlFake;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const SECRET = 'whsec-carrier-test-secret';

  /** A home order of one TEE from the warehouse, accepted, picked and packed: returns its task id. */
  async function packedTask(): Promise<{ order: string; task: string }> {
    const order = await placeOrder(t, net, [['TEE', 1]], { method: 'home', address: HOME });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack']) {
      const r = await act(t, f!.id, { action });
      if (r.status !== 200) throw new Error(`${action}: ${JSON.stringify(r.body)}`);
    }
    return { order: order.id, task: f!.id };
  }
  const label = (task: string, body: Record<string, unknown> = {}) =>
    t.request('POST', `/v1/fulfillments/${task}/label`, { body });
  const shipments = async (task: string) => (await t.request('GET', `/v1/fulfillments/${task}/shipments`)).body.items;
  const outbox = async (type: string, aggregate: string) =>
    (
      await t.database.db
        .selectFrom('outbox')
        .select('id')
        .where('type', '=', type)
        .where('aggregate_id', '=', aggregate)
        .execute()
    ).length;
  const webhook = (body: unknown, signature?: string) => {
    const raw = JSON.stringify(body);
    return t.request('POST', '/v1/carriers/dhl_express/tracking-webhook', {
      token: '',
      body: raw,
      headers: { 'x-carrier-signature': signature ?? signBody(SECRET, raw) },
    });
  };
  const shippedTask = async () => {
    const { order, task } = await packedTask();
    const made = await label(task);
    expect(made.status).toBe(201);
    const ship = await act(t, task, { action: 'ship', tracking: made.body.tracking_number, carrier: 'dhl_express' });
    expect(ship.status).toBe(200);
    return { order, task, tracking: made.body.tracking_number as string };
  };

  beforeAll(async () => {
    fake = await startDhlFake({ hangMs: 2500 });
    t = await startTestApp({ clock, env: dhlEnv(fake) });
    net = await setupNetwork(t);
    await product(t, 'tee', [{ sku: 'TEE', price: 2000 }]);
    await receive(t, 'TEE', net.warehouse, 50);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it("promises home delivery by the carrier's transit days and price; the rate table when it fails or hangs", async () => {
    const cart = await t.request('POST', '/v1/carts', { token: net.web, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, { token: net.web, body: { sku: 'TEE', quantity: 1 } });
    const home = async (country: string) =>
      (
        await t.request('GET', `/v1/carts/${cart.body.id}/delivery-options?country=${country}`, { token: net.web })
      ).body.options.find((o: { id: string }) => o.id === 'home');
    // DHL: 1 day from a warehouse that hands over today, €7.90 (the table would say 2 days, €3.95).
    expect(await home('ES')).toMatchObject({ price: { amount: 790 }, promised_date: '2026-06-02' });
    expect(await home('PT')).toMatchObject({ price: { amount: 1250 }, promised_date: '2026-06-03' });
    // The carrier hangs past its deadline: the table's '*' zone and the warehouse lead time answer.
    fake.rates.set('FR', { price: 20, days: 1 });
    fake.fail('rates', 'hang');
    const started = Date.now();
    expect(await home('FR')).toMatchObject({ price: { amount: 995 }, promised_date: '2026-06-03' });
    expect(Date.now() - started).toBeLessThan(2400);
    // A carrier error: the table too.
    fake.rates.set('IT', { price: 20, days: 1 });
    fake.fail('rates', '500');
    expect(await home('IT')).toMatchObject({ price: { amount: 995 }, promised_date: '2026-06-03' });
    // The failure is remembered a minute (no call meanwhile), then the carrier's own price is back.
    const calls = fake.calls.rates;
    expect(await home('IT')).toMatchObject({ price: { amount: 995 } });
    expect(fake.calls.rates).toBe(calls);
    clock.advance(61_000);
    expect(await home('IT')).toMatchObject({ price: { amount: 2000 }, promised_date: '2026-06-02' });
  });

  it('buys the label once and stores it with the shipment; only the task’s location may', async () => {
    const { order, task } = await packedTask();
    expect((await t.request('GET', `/v1/orders/${order}`)).body.delivery).toMatchObject({
      amount: 790,
      promised_date: '2026-06-02',
    });
    expect((await t.request('POST', `/v1/fulfillments/${task}/label`, { token: net.solStaff, body: {} })).status).toBe(
      403,
    );
    const before = fake.calls.shipments;
    const made = await label(task);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: 'created', carrier: 'dhl_express', label_format: 'pdf', attempts: 1 });
    const again = await label(task);
    expect([again.status, again.body.id]).toEqual([201, made.body.id]);
    expect(fake.calls.shipments - before).toBe(1);
    expect(fake.shipments.at(-1)!.reference).toBe(made.body.id);
    expect(fake.shipments.at(-1)!.body).toMatchObject({
      customerDetails: { receiverDetails: { postalAddress: { postalCode: '28004', countryCode: 'ES' } } },
    });
    const res = await t.omnia.app.inject({
      method: 'GET',
      url: `/v1/fulfillments/${task}/label`,
      headers: { authorization: `Bearer ${t.admin}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-tracking-number']).toBe(made.body.tracking_number);
    expect(res.body).toBe(FAKE_LABEL_PDF);
    expect(await outbox('carrier.label_created', task)).toBe(1);
  });

  it('a refused label fails (422) and may be asked for again; a throttled one is finished by the job', async () => {
    const { task } = await packedTask();
    fake.fail('shipments', '422');
    const refused = await label(task);
    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/\/unprocessable$/);
    fake.fail('shipments', '429');
    const pending = await label(task);
    expect(pending.status).toBe(202);
    expect(pending.body).toMatchObject({ status: 'requested', attempts: 1 });
    expect(pending.body.last_error).toMatch(/throttled/);
    expect(await t.omnia.services.carriers.settleLabels()).toBe(0); // not due yet: 30 s back-off
    clock.advance(31_000);
    expect(await t.omnia.services.carriers.settleLabels()).toBe(1);
    const [failed, made] = await shipments(task);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(made).toMatchObject({ status: 'created', attempts: 2 });
  });

  it('an interrupted label request (the process died mid-call) is settled by the job, once', async () => {
    const { task } = await packedTask();
    const s = t.omnia.services;
    // A process whose carrier call never returns: the intent is committed, the outcome never written.
    const dead: Carrier = {
      code: 'dhl_express',
      rates: async () => [],
      createShipment: () => new Promise(() => undefined),
      tracking: async () => ({ tracking_number: '', checkpoints: [] }),
      parseTrackingPush: () => [],
    };
    const dying = new CarrierService(t.database.db, clock, createLogger('silent'), dead, {
      fulfillment: s.fulfillment,
      network: s.network,
      orders: s.orders,
    });
    void dying.requestLabel(task, () => undefined);
    for (let i = 0; i < 100 && !(await shipments(task)).length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await shipments(task)).toMatchObject([{ status: 'requested', attempts: 1 }]);
    // The running process does not take it over while the first call may still answer (its lease).
    expect(await s.carriers.settleLabels()).toBe(0);
    clock.advance(61_000);
    const before = fake.calls.shipments;
    expect(await s.carriers.settleLabels()).toBe(1);
    expect(await s.carriers.settleLabels()).toBe(0);
    expect(fake.calls.shipments - before).toBe(1);
    const [one] = await shipments(task);
    expect(one).toMatchObject({ status: 'created', attempts: 2 });
    expect(fake.shipments.filter((x) => x.reference === one.id)).toHaveLength(1);
  });

  it('a label DHL made but whose answer was lost is found by its reference on the retry, not bought twice', async () => {
    const { task } = await packedTask();
    fake.fail('shipments', 'hang_after');
    const lost = await label(task);
    expect(lost.status).toBe(202);
    expect(lost.body.last_error).toMatch(/did not answer/);
    expect(fake.shipments.filter((x) => x.reference === lost.body.id)).toHaveLength(1);
    clock.advance(31_000);
    const before = fake.calls.shipments;
    expect(await t.omnia.services.carriers.settleLabels()).toBe(1);
    expect(fake.calls.shipments).toBe(before);
    const [one] = await shipments(task);
    const bought = fake.shipments.filter((x) => x.reference === lost.body.id);
    expect(bought).toHaveLength(1);
    expect(one).toMatchObject({ status: 'created', tracking_number: bought[0]!.number, attempts: 2 });
    const pdf = await t.omnia.app.inject({
      method: 'GET',
      url: `/v1/fulfillments/${task}/label`,
      headers: { authorization: `Bearer ${t.admin}` },
    });
    expect([pdf.statusCode, pdf.body]).toEqual([200, FAKE_LABEL_PDF]);
  });

  it('tracking polled moves the task to delivered and completes the order', async () => {
    const { order, task, tracking } = await shippedTask();
    fake.addEvent(tracking, { typeCode: 'PU', date: '2026-06-01', time: '18:00:00', GMTOffset: '+02:00' });
    await t.omnia.services.carriers.pollTracking();
    expect((await shipments(task))[0]).toMatchObject({ tracking_status: 'picked_up' });
    expect((await t.omnia.services.fulfillment.get(task)).status).toBe('shipped');
    fake.addEvent(tracking, { typeCode: 'OK', date: '2026-06-02', time: '11:30:00', GMTOffset: '+02:00' });
    expect(await t.omnia.services.carriers.pollTracking()).toBe(0); // polled a moment ago: not yet
    clock.advance(31 * 60_000);
    await t.omnia.services.carriers.pollTracking();
    expect((await t.omnia.services.fulfillment.get(task)).status).toBe('delivered');
    expect((await t.omnia.services.orders.get(order)).status).toBe('completed');
    expect((await shipments(task))[0]).toMatchObject({
      tracking_status: 'delivered',
      delivered_at: '2026-06-02T09:30:00.000Z',
    });
    expect(await outbox('fulfillment.delivered', task)).toBe(1);
    // Delivered shipments are not asked for again.
    const polledAt = () =>
      t.database.db
        .selectFrom('carrier_shipments')
        .select('polled_at')
        .where('fulfillment_id', '=', task)
        .executeTakeFirst();
    const last = await polledAt();
    clock.advance(31 * 60_000);
    await t.omnia.services.carriers.pollTracking();
    expect(await polledAt()).toEqual(last);
  });

  it('a delivery reported before the store shipped is kept, and applied by the poll once it has', async () => {
    const { order, task } = await packedTask();
    const made = await label(task);
    const tracking = made.body.tracking_number as string;
    const ok = { typeCode: 'OK', date: '2026-06-02', time: '12:00:00', GMTOffset: '+02:00' };
    fake.addEvent(tracking, ok);
    const early = await webhook({ shipments: [{ shipmentTrackingNumber: tracking, events: [ok] }] });
    expect(early.body).toEqual({ shipments: 1, new_checkpoints: 1 });
    expect((await t.omnia.services.fulfillment.get(task)).status).toBe('packed');
    expect((await shipments(task))[0]).toMatchObject({ tracking_status: 'delivered' });
    expect((await act(t, task, { action: 'ship', tracking, carrier: 'dhl_express' })).status).toBe(200);
    clock.advance(31 * 60_000);
    await t.omnia.services.carriers.pollTracking();
    expect((await t.omnia.services.fulfillment.get(task)).status).toBe('delivered');
    expect((await t.omnia.services.orders.get(order)).status).toBe('completed');
  });

  it('a signed tracking webhook delivers once; a duplicate changes nothing; a bad signature is refused', async () => {
    const { order, task, tracking } = await shippedTask();
    const push = {
      shipments: [
        {
          shipmentTrackingNumber: tracking,
          status: 'Delivered',
          events: [
            { typeCode: 'WC', date: '2026-06-02', time: '08:00:00', GMTOffset: '+02:00', description: 'With courier' },
            { typeCode: 'OK', date: '2026-06-02', time: '12:00:00', GMTOffset: '+02:00', description: 'Delivered' },
          ],
        },
      ],
    };
    const bad = await webhook(push, signBody('not-the-secret', JSON.stringify(push)));
    expect(bad.status).toBe(401);
    expect(bad.body.type).toMatch(/\/unauthorized$/);
    expect((await t.omnia.services.fulfillment.get(task)).status).toBe('shipped');
    const first = await webhook(push);
    expect([first.status, first.body]).toEqual([200, { shipments: 1, new_checkpoints: 2 }]);
    const dup = await webhook(push);
    expect([dup.status, dup.body]).toEqual([200, { shipments: 1, new_checkpoints: 0 }]);
    expect((await t.omnia.services.fulfillment.get(task)).status).toBe('delivered');
    expect((await t.omnia.services.orders.get(order)).status).toBe('completed');
    expect(await outbox('fulfillment.delivered', task)).toBe(1);
    expect(await outbox('carrier.tracking_updated', task)).toBe(1);
    expect(
      (await shipments(task))[0].checkpoints.map((c: { code: string; source: string }) => [c.code, c.source]),
    ).toEqual([
      ['WC', 'webhook'],
      ['OK', 'webhook'],
    ]);
    // A body that is not the tracking shape, even signed, is a 400; an unknown carrier a 404.
    expect((await webhook({ nope: true })).status).toBe(400);
    const other = await t.request('POST', '/v1/carriers/ups/tracking-webhook', { token: '', body: '{}' });
    expect(other.status).toBe(404);
  });
});
