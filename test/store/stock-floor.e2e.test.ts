/**
 * The associate's stock screen over HTTP: the lookup by name, SKU or GTIN (here, nearest stores with
 * distances, warehouses, per channel), the store's incoming transfers and a short receipt with its
 * reason, and a shelf count posting a `count` movement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupNetwork, type Net } from '../fulfillment/fixtures.js';
import { gtinCheckDigit } from '../../src/catalog/index.js';

let t: TestApp;
let net: Net;
const GTIN = `840000001234${gtinCheckDigit('840000001234')}`;

beforeAll(async () => {
  t = await startTestApp();
  net = await setupNetwork(t);
  await t.omnia.services.catalog.createProduct({
    code: 'LINO',
    name: 'Camisa de lino',
    brand: 'Omnia',
    category: 'clothing',
    variants: [
      { sku: 'LINO-S', size: 'S', gtin: GTIN, weight_g: 200, prices: [{ currency: 'EUR', list_amount: 3995 }] },
      { sku: 'LINO-M', size: 'M', weight_g: 200, prices: [{ currency: 'EUR', list_amount: 3995 }] },
    ],
  } as never);
  const inv = t.omnia.services.inventory;
  await inv.recordMovement({ sku: 'LINO-S', location_id: net.gran.id, type: 'receipt', quantity: 2 });
  await inv.recordMovement({ sku: 'LINO-S', location_id: net.warehouse.id, type: 'receipt', quantity: 20 });
  await inv.recordMovement({ sku: 'LINO-M', location_id: net.sol.id, type: 'receipt', quantity: 3 });
});
afterAll(() => t?.close());

const lookup = (q: string, token = net.solStaff) =>
  t.request('GET', `/v1/inventory/lookup?q=${encodeURIComponent(q)}`, { token });

describe('stock lookup', () => {
  it('finds a product by a word of its name, accents and case aside, from the associate’s store', async () => {
    const r = await lookup('CAMISA lino');
    expect(r.status).toBe(200);
    expect(r.body.location_id).toBe(net.sol.id);
    expect(r.body.items).toHaveLength(1);
    const [s, m] = r.body.items[0].variants;
    expect(s).toMatchObject({ sku: 'LINO-S', size: 'S', gtin: GTIN, price: { amount: 3995, currency: 'EUR' } });
    // None here, two at Gran Vía 0.4 km away, twenty in the warehouse.
    expect(s.here).toMatchObject({ location_id: net.sol.id, on_hand: 0, available: 0, distance_km: null });
    expect(s.stores).toEqual([expect.objectContaining({ location_id: net.gran.id, available: 2, distance_km: 0.4 })]);
    expect(s.warehouses).toEqual([expect.objectContaining({ location_id: net.warehouse.id, available: 20 })]);
    const web = s.channels.find((c: { code: string }) => c.code === 'f-web');
    expect(web.available).toBe(22);
    expect(m.here).toMatchObject({ on_hand: 3, available: 3 });
  });

  it('finds it by SKU and by GTIN too', async () => {
    expect((await lookup('LINO-M')).body.items.map((p: { code: string }) => p.code)).toEqual(['LINO']);
    const byGtin = await lookup(GTIN);
    expect(byGtin.body.items.map((p: { code: string }) => p.code)).toEqual(['LINO']);
  });

  it('measures from another store when named; finds nothing for an unknown word; refuses an empty query', async () => {
    const fromGran = await t.request('GET', `/v1/inventory/lookup?q=lino&location_id=${net.gran.id}`);
    expect(fromGran.body.items[0].variants[0].here).toMatchObject({ location_id: net.gran.id, available: 2 });
    expect((await lookup('zzzzqqq')).body.items).toEqual([]);
    expect((await lookup('')).status).toBe(400);
    expect((await t.request('GET', '/v1/inventory/lookup?q=lino&location_id=nope')).status).toBe(404);
  });
});

describe('incoming transfers and a shelf count', () => {
  let transferId: string;
  it('lists what is on its way to the associate’s store, not to another', async () => {
    const sent = await t.request('POST', '/v1/transfers', {
      body: {
        from_location_id: net.warehouse.id,
        to_location_id: net.sol.id,
        lines: [{ sku: 'LINO-S', quantity: 5 }],
        reference: 'TR-SOL-1',
      },
    });
    expect(sent.status).toBe(201);
    transferId = sent.body.id;
    const mine = await t.request('GET', '/v1/transfers?status=open', { token: net.solStaff });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([transferId]);
    const theirs = await t.request('GET', '/v1/transfers?status=open', { token: net.granStaff });
    expect(theirs.body.items).toEqual([]);
    expect(
      (await t.request('GET', `/v1/transfers?to_location_id=${net.sol.id}`, { token: net.granStaff })).status,
    ).toBe(403);
    expect((await t.request('GET', '/v1/transfers?status=sideways', { token: net.solStaff })).status).toBe(400);
  });

  it('receives part, then closes short with the reason kept', async () => {
    const part = await t.request('POST', `/v1/transfers/${transferId}/receive`, {
      token: net.solStaff,
      body: { lines: [{ sku: 'LINO-S', quantity: 3 }] },
    });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ status: 'partially_received', discrepancy_reason: null });
    const closed = await t.request('POST', `/v1/transfers/${transferId}/receive`, {
      token: net.solStaff,
      body: { lines: [{ sku: 'LINO-S', quantity: 1 }], close: true, reason: 'one box crushed in transit' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'received',
      discrepancy_reason: 'one box crushed in transit',
      lines: [{ sku: 'LINO-S', shipped: 5, received: 4, discrepancy: 1 }],
    });
    expect((await t.request('GET', '/v1/transfers?status=open', { token: net.solStaff })).body.items).toEqual([]);
    const received = await t.request('GET', '/v1/transfers?status=received', { token: net.solStaff });
    expect(received.body.items[0]).toMatchObject({ id: transferId, discrepancy_reason: 'one box crushed in transit' });
    const s = (await lookup('LINO-S')).body.items[0].variants[0];
    expect(s.here).toMatchObject({ on_hand: 4, in_transit: 0 });
  });

  it('a shelf count posts a count movement at the associate’s store only', async () => {
    const count = await t.request('POST', '/v1/inventory/movements', {
      token: net.solStaff,
      body: { sku: 'LINO-M', location_id: net.sol.id, type: 'count', quantity: 2, reason: 'shelf count' },
    });
    expect(count.status).toBe(201);
    const ledger = await t.request('GET', `/v1/inventory/LINO-M/movements?location_id=${net.sol.id}`, {
      token: net.solStaff,
    });
    expect(ledger.body.items[0]).toMatchObject({ type: 'count', quantity: -1, on_hand_after: 2 });
    const elsewhere = await t.request('POST', '/v1/inventory/movements', {
      token: net.solStaff,
      body: { sku: 'LINO-M', location_id: net.gran.id, type: 'count', quantity: 0, reason: 'shelf count' },
    });
    expect(elsewhere.status).toBe(403);
  });
});
