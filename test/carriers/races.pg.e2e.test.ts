/**
 * Carrier work shared by several workers, on PostgreSQL where they really run at once: two workers
 * settling the same pending label call the carrier once (a leased row, FOR UPDATE SKIP LOCKED), a
 * carrier call never runs while a label row is locked, and the same tracking webhook arriving twice at
 * the same moment delivers the task once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/log.js';
import { CarrierService, dhlExpress, signBody, type Carrier } from '../../src/carriers/index.js';
import { act, HOME, placeOrder, product, receive, setupNetwork, type Net } from '../fulfillment/fixtures.js';
import { dhlEnv, startDhlFake, type DhlFake } from './fakes/dhl-fake.js';

describe('carrier races (PostgreSQL)', () => {
  let t: TestApp;
  let net: Net;
  let fake: DhlFake;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const SECRET = 'whsec-carrier-test-secret';

  async function packedTask(): Promise<string> {
    const order = await placeOrder(t, net, [['TEE', 1]], { method: 'home', address: HOME });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack']) expect((await act(t, f!.id, { action })).status).toBe(200);
    return f!.id;
  }
  /** A second worker process: its own CarrierService over the same database and carrier. */
  const worker = (carrier: Carrier) => {
    const s = t.omnia.services;
    return new CarrierService(
      t.database.db,
      clock,
      createLogger('silent'),
      carrier,
      { fulfillment: s.fulfillment, network: s.network, orders: s.orders },
      { ...s.carriers.config },
    );
  };
  const dhl = () =>
    dhlExpress({
      baseUrl: fake.url,
      username: fake.username,
      password: fake.password,
      accountNumber: fake.account,
      timeoutMs: 3000,
    });

  beforeAll(async () => {
    fake = await startDhlFake({ hangMs: 2500 });
    t = await startTestApp({
      clock,
      env: dhlEnv(fake),
      database: await createTestDatabase({ forcePg: true, poolSize: 8 }),
    });
    net = await setupNetwork(t);
    await product(t, 'tee', [{ sku: 'TEE', price: 2000 }]);
    await receive(t, 'TEE', net.warehouse, 20);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('two workers settling the same pending label call the carrier once; no row is locked during the call', async () => {
    const task = await packedTask();
    // The first process died mid-call: its request is committed and never answered.
    const dead: Carrier = { ...dhl(), createShipment: () => new Promise(() => undefined) };
    void worker(dead).requestLabel(task, () => undefined);
    const row = () =>
      t.database.db.selectFrom('carrier_shipments').selectAll().where('fulfillment_id', '=', task).executeTakeFirst();
    for (let i = 0; i < 100 && !(await row()); i++) await new Promise((r) => setTimeout(r, 20));
    clock.advance(61_000);
    // While the carrier is being asked, another connection can lock the row (nothing holds it).
    const lockedDuringCall: boolean[] = [];
    const probing = (c: Carrier): Carrier => ({
      ...c,
      createShipment: async (req) => {
        try {
          await t.database.db.transaction().execute(async (trx) => {
            await sql`select id from carrier_shipments where fulfillment_id = ${task} for update nowait`.execute(trx);
          });
          lockedDuringCall.push(false);
        } catch (err) {
          if ((err as { code?: string }).code !== '55P03') throw err;
          lockedDuringCall.push(true);
        }
        return c.createShipment(req);
      },
    });
    const before = fake.calls.shipments;
    const done = await Promise.all([worker(probing(dhl())).settleLabels(), worker(probing(dhl())).settleLabels()]);
    expect(done.reduce((a, b) => a + b, 0)).toBe(1);
    expect(fake.calls.shipments - before).toBe(1);
    expect(lockedDuringCall).toEqual([false]);
    expect(await row()).toMatchObject({ status: 'created', attempts: 2 });
  });

  it('the same webhook twice at once: the checkpoints and the delivery are applied once', async () => {
    const task = await packedTask();
    const made = await t.request('POST', `/v1/fulfillments/${task}/label`, { body: {} });
    expect(made.status).toBe(201);
    expect((await act(t, task, { action: 'ship', tracking: made.body.tracking_number })).status).toBe(200);
    const raw = JSON.stringify({
      shipments: [
        {
          shipmentTrackingNumber: made.body.tracking_number,
          events: [{ typeCode: 'OK', date: '2026-06-02', time: '12:00:00', GMTOffset: '+02:00' }],
        },
      ],
    });
    const send = () =>
      t.request('POST', '/v1/carriers/dhl_express/tracking-webhook', {
        token: '',
        body: raw,
        headers: { 'x-carrier-signature': signBody(SECRET, raw) },
      });
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body.new_checkpoints).sort()).toEqual([0, 0, 1]);
    expect((await t.omnia.services.fulfillment.get(task)).status).toBe('delivered');
    const delivered = await t.database.db
      .selectFrom('outbox')
      .select('id')
      .where('type', '=', 'fulfillment.delivered')
      .where('aggregate_id', '=', task)
      .execute();
    expect(delivered).toHaveLength(1);
  });
});
