/**
 * The MyDHL API client against the local fake: the documented shapes read into ours, and each
 * failure (credentials, throttling, a hang past the deadline, a malformed answer, a refusal) told
 * apart, because the label job retries some and gives up on others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierError, dhlExpress } from '../../src/carriers/index.js';
import { FAKE_LABEL_PDF, startDhlFake, type DhlFake } from './fakes/dhl-fake.js';

const from = { name: 'Zaragoza DC', line1: 'Calle A 1', city: 'Zaragoza', postal_code: '50197', country: 'ES' };
const to = { name: 'Ana', line1: 'Calle Luna 3', city: 'Madrid', postal_code: '28004', country: 'ES' };

describe('DHL Express (MyDHL API) client against the local fake', () => {
  let fake: DhlFake;
  const client = (o: { password?: string; timeoutMs?: number } = {}) =>
    dhlExpress({
      baseUrl: fake.url,
      username: fake.username,
      password: o.password ?? fake.password,
      accountNumber: fake.account,
      timeoutMs: o.timeoutMs ?? 1500,
    });
  const failure = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CarrierError);
    return err as CarrierError;
  };

  beforeAll(async () => {
    fake = await startDhlFake({ hangMs: 2500 });
  });
  afterAll(async () => fake?.close());

  it('reads rates into minor units with the transit days', async () => {
    const quotes = await client().rates({ from, to, parcels: [{ weight_g: 1200 }], ship_date: '2026-06-01' });
    expect(quotes).toContainEqual({
      carrier: 'dhl_express',
      product_code: 'N',
      product_name: 'EXPRESS DOMESTIC',
      amount: 790,
      currency: 'EUR',
      transit_days: 1,
    });
    expect(quotes).toHaveLength(2);
  });

  it('tells each failure apart', async () => {
    const rate = (c = client()) => c.rates({ from, to, parcels: [{ weight_g: 500 }], ship_date: '2026-06-01' });
    expect((await failure(rate(client({ password: 'wrong' })))).failure).toBe('auth');
    fake.fail('rates', '429');
    const throttled = await failure(rate());
    expect([throttled.failure, throttled.retryAfterMs, throttled.retryable]).toEqual(['throttled', 1000, true]);
    fake.fail('rates', 'hang');
    expect((await failure(rate())).failure).toBe('timeout');
    fake.fail('rates', 'malformed');
    expect((await failure(rate())).failure).toBe('malformed');
    fake.fail('rates', '500');
    expect((await failure(rate())).failure).toBe('unavailable');
    const refused = await failure(
      client().rates({ from, to: { ...to, country: 'FR' }, parcels: [{ weight_g: 500 }], ship_date: '2026-06-01' }),
    );
    expect([refused.failure, refused.retryable]).toEqual(['rejected', false]);
  });

  it('creates a shipment with a PDF (or ZPL) label and our reference', async () => {
    const made = await client().createShipment({
      reference: 'shp_TEST1',
      ship_date: '2026-06-01',
      from,
      to,
      parcels: [{ weight_g: 900 }],
      description: 'Order ord_1',
      label_format: 'pdf',
    });
    expect(made.tracking_number).toMatch(/^\d{10}$/);
    expect(Buffer.from(made.label.base64, 'base64').toString()).toBe(FAKE_LABEL_PDF);
    expect(made.label.format).toBe('pdf');
    const sent = fake.shipments.find((s) => s.number === made.tracking_number)!;
    expect(sent.reference).toBe('shp_TEST1');
    expect(sent.body).toMatchObject({ productCode: 'N', content: { packages: [{ weight: 0.9 }] } });
    const zpl = await client().createShipment({
      reference: 'shp_TEST2',
      ship_date: '2026-06-01',
      from,
      to: { ...to, country: 'PT', postal_code: '1100-148', city: 'Lisboa' },
      parcels: [{ weight_g: 100 }],
      description: 'x',
      label_format: 'zpl',
    });
    expect(zpl.label.format).toBe('zpl');
    expect(fake.shipments.at(-1)!.body).toMatchObject({ productCode: 'U' });
    fake.fail('shipments', 'malformed');
    const bad = await failure(
      client().createShipment({
        reference: 'shp_TEST3',
        ship_date: '2026-06-01',
        from,
        to,
        parcels: [{ weight_g: 1 }],
        description: 'x',
        label_format: 'pdf',
      }),
    );
    expect(bad.failure).toBe('malformed');
  });

  it('finds a shipment made under our reference (with its label again), and none under another', async () => {
    const found = await client().findByReference!('shp_TEST1', '2026-06-01');
    expect(found?.tracking_number).toBe(fake.shipments.find((s) => s.reference === 'shp_TEST1')!.number);
    expect(Buffer.from(found!.label.base64, 'base64').toString()).toBe(FAKE_LABEL_PDF);
    expect(await client().findByReference!('shp_NEVER', '2026-06-01')).toBeNull();
    fake.fail('lookup', '429');
    expect((await failure(client().findByReference!('shp_TEST1', '2026-06-01'))).failure).toBe('throttled');
  });

  it('reads tracking checkpoints with their offsets and statuses', async () => {
    const number = fake.shipments[0]!.number;
    fake.addEvent(number, {
      typeCode: 'PU',
      date: '2026-06-01',
      time: '18:00:00',
      GMTOffset: '+02:00',
      description: 'Shipment picked up',
    });
    fake.addEvent(number, { typeCode: 'WC', date: '2026-06-02', time: '08:10:00', GMTOffset: '+02:00' });
    fake.addEvent(number, {
      typeCode: 'OK',
      date: '2026-06-02',
      time: '11:30:00',
      GMTOffset: '+02:00',
      description: 'Delivered',
    });
    const report = await client().tracking(number);
    expect(report.tracking_number).toBe(number);
    expect(report.checkpoints.map((c) => [c.code, c.status, c.occurred_at])).toEqual([
      ['PU', 'picked_up', '2026-06-01T16:00:00.000Z'],
      ['WC', 'out_for_delivery', '2026-06-02T06:10:00.000Z'],
      ['OK', 'delivered', '2026-06-02T09:30:00.000Z'],
    ]);
    expect((await failure(client().tracking('0000000000'))).failure).toBe('rejected');
  });
});
