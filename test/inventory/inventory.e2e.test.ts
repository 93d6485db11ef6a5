import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { runChecks } from '../../src/platform/doctor.js';
import { inventoryChecks } from '../../src/inventory/index.js';
import { setupRetail, type Retail } from './fixtures.js';

describe('inventory over HTTP', () => {
  let t: TestApp;
  let r: Retail;
  let web: string;
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const [A, B, C] = ['T-SKU-0', 'T-SKU-1', 'T-SKU-2'];

  async function receive(sku: string, location: string, quantity: number) {
    const res = await t.request('POST', '/v1/inventory/movements', {
      body: { sku, location_id: location, type: 'receipt', quantity, reason: 'delivery' },
    });
    expect(res.status).toBe(201);
    return res.body;
  }
  async function snapshotOf(sku: string) {
    return (await t.request('GET', `/v1/inventory/${sku}`)).body;
  }
  async function movementCount(sku: string) {
    return (await t.request('GET', `/v1/inventory/${sku}/movements?limit=500`)).body.items.length;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    r = await setupRetail(t.omnia.services, { stores: 3, skus: 4 });
    web = await t.apiKey('web', ['inventory:read', 'reservations:write']);
    await t.omnia.services.network.createChannel({
      code: 'market',
      type: 'marketplace',
      name: 'Marketplace',
      stock_policy: { locations: [r.warehouse.id], safety_stock: 2, buffer_pct: 50 },
    });
    await receive(A, r.stores[0]!.id, 10);
    await receive(A, r.warehouse.id, 20);
    await receive(B, r.stores[1]!.id, 3);
  });
  afterAll(async () => t?.close());

  it('keeps the ledger: receipts, counts (absolute, recording the difference), damage, adjustments', async () => {
    const count = await t.request('POST', '/v1/inventory/movements', {
      body: { sku: A, location_id: r.stores[0]!.code, type: 'count', quantity: 8, reason: 'cycle count' },
    });
    expect(count.status).toBe(201);
    expect(count.body.level.on_hand).toBe(8);
    expect(count.body.movement).toMatchObject({ type: 'count', quantity: -2, on_hand_after: 8, reason: 'cycle count' });
    const dmg = await t.request('POST', '/v1/inventory/movements', {
      body: { sku: A, location_id: r.stores[0]!.id, type: 'damage', quantity: 1, reason: 'broken' },
    });
    expect(dmg.body.level.on_hand).toBe(7);
    const adj = await t.request('POST', '/v1/inventory/movements', {
      body: { sku: A, location_id: r.stores[0]!.id, type: 'adjustment', quantity: 3 },
    });
    expect(adj.body.level.on_hand).toBe(10);
    const ledger = await t.request('GET', `/v1/inventory/${A}/movements?location_id=${r.stores[0]!.id}`);
    expect(ledger.body.items.map((m: { type: string }) => m.type)).toEqual([
      'adjustment',
      'damage',
      'count',
      'receipt',
    ]);
    expect(ledger.body.items.reduce((s: number, m: { quantity: number }) => s + m.quantity, 0)).toBe(10);
    const page = await t.request('GET', `/v1/inventory/${A}/movements?limit=2`);
    expect(page.body.items).toHaveLength(2);
    const next = await t.request('GET', `/v1/inventory/${A}/movements?limit=2&cursor=${page.body.next_cursor}`);
    expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id);
  });

  it('answers availability per channel policy, near a point sorted by distance', async () => {
    const all = await t.request('GET', `/v1/availability?sku=${A}&channel=web`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ sku: A, channel: 'web', available: 30 });
    const market = await t.request('GET', `/v1/availability?sku=${A}&channel=market`);
    // warehouse only: (20 − 2 safety) × 50 % = 9
    expect(market.body.available).toBe(9);
    expect(market.body.locations).toEqual([{ location_id: r.warehouse.id, available: 9, distance_km: null }]);
    const near = await t.request('POST', '/v1/availability/query', {
      body: { channel: 'web', skus: [A, B, C], lat: 40.4, lng: -3.7, radius_km: 50 },
    });
    expect(near.status).toBe(200);
    const [a, b, c] = near.body.items;
    expect(a.locations.map((l: { location_id: string }) => l.location_id)).toEqual([r.stores[0]!.id]);
    expect(b.locations[0]).toMatchObject({ location_id: r.stores[1]!.id, available: 3 });
    expect(b.locations[0].distance_km).toBeGreaterThan(10);
    expect(c).toMatchObject({ sku: C, available: 0, locations: [] });
    // a key acts for its own channel
    expect((await t.request('GET', `/v1/availability?sku=${A}`, { token: web })).body.channel).toBe('web');
    expect((await t.request('GET', `/v1/availability?sku=${A}&channel=market`, { token: web })).status).toBe(403);
  });

  it('reserves all lines or none, releases, confirms into sales, and expires by the job', async () => {
    const before = await snapshotOf(B);
    const none = await t.request('POST', '/v1/reservations', {
      token: web,
      body: {
        lines: [
          { sku: A, quantity: 2 },
          { sku: B, quantity: 4 },
        ],
        ttl_seconds: 600,
        reference: 'cart-1',
      },
    });
    expect(none.status).toBe(409);
    expect(none.body.code).toBe('insufficient_stock');
    expect(none.body.lines).toEqual([{ sku: B, requested: 4, available: 3 }]);
    expect(await snapshotOf(B)).toEqual(before);
    expect((await snapshotOf(A)).levels.every((l: { reserved: number }) => l.reserved === 0)).toBe(true);

    const ok = await t.request('POST', '/v1/reservations', {
      token: web,
      body: {
        lines: [
          { sku: A, quantity: 2 },
          { sku: B, quantity: 3 },
        ],
        ttl_seconds: 600,
        reference: 'cart-2',
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.status).toBe('active');
    expect(ok.body.lines.find((l: { sku: string }) => l.sku === A).location_id).toBe(r.warehouse.id);
    // read back (the reservation and its lines in one statement): the same lines, in the same order and form
    const read = await t.request('GET', `/v1/reservations/${ok.body.id}`, { token: web });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(ok.body);
    expect((await t.request('GET', `/v1/availability?sku=${B}&channel=web`)).body.available).toBe(0);

    const rel = await t.request('DELETE', `/v1/reservations/${ok.body.id}`, { token: web });
    expect(rel.status).toBe(200);
    expect(rel.body.status).toBe('released');
    expect((await t.request('GET', `/v1/availability?sku=${B}&channel=web`)).body.available).toBe(3);

    const sale = await t.request('POST', '/v1/reservations', {
      token: web,
      body: { lines: [{ sku: B, quantity: 2, location_id: r.stores[1]!.code }], ttl_seconds: 60, reference: 'order-1' },
    });
    expect(sale.status).toBe(201);
    const part = await t.request('POST', `/v1/reservations/${sale.body.id}/confirm`, {
      token: web,
      body: { lines: [{ sku: B, quantity: 1 }] },
    });
    expect(part.body).toMatchObject({ status: 'active', lines: [{ sku: B, quantity: 1, confirmed: 1 }] });
    const done = await t.request('POST', `/v1/reservations/${sale.body.id}/confirm`, { token: web, body: {} });
    expect(done.body).toMatchObject({ status: 'confirmed', lines: [{ quantity: 0, confirmed: 2 }] });
    expect((await snapshotOf(B)).levels[0]).toMatchObject({ on_hand: 1, reserved: 0 });
    const sales = (await t.request('GET', `/v1/inventory/${B}/movements`)).body.items.filter(
      (m: { type: string }) => m.type === 'sale',
    );
    expect(sales.map((m: { quantity: number; reference: string }) => [m.quantity, m.reference])).toEqual([
      [-1, 'order-1'],
      [-1, 'order-1'],
    ]);

    const short = await t.request('POST', '/v1/reservations', {
      token: web,
      body: { lines: [{ sku: A, quantity: 1 }], ttl_seconds: 30, reference: 'cart-3' },
    });
    expect(short.status).toBe(201);
    clock.advance(31_000);
    expect(await t.omnia.services.inventory.expireDue()).toBe(1);
    expect(await t.omnia.services.inventory.expireDue()).toBe(0);
    expect((await t.request('GET', `/v1/reservations/${short.body.id}`, { token: web })).body.status).toBe('expired');
    expect((await t.request('GET', `/v1/availability?sku=${A}&channel=web`)).body.available).toBe(30);
  });

  it('moves stock by transfer: in transit at dispatch, partial receipt, discrepancy on close', async () => {
    const sent = await t.request('POST', '/v1/transfers', {
      body: {
        from_location_id: r.warehouse.id,
        to_location_id: r.stores[2]!.code,
        lines: [{ sku: A, quantity: 5 }],
        reference: 'TR-1',
      },
    });
    expect(sent.status).toBe(201);
    let levels = (await snapshotOf(A)).levels;
    expect(levels.find((l: { location_id: string }) => l.location_id === r.warehouse.id).on_hand).toBe(15);
    expect(levels.find((l: { location_id: string }) => l.location_id === r.stores[2]!.id)).toMatchObject({
      on_hand: 0,
      in_transit: 5,
    });
    const part = await t.request('POST', `/v1/transfers/${sent.body.id}/receive`, {
      body: { lines: [{ sku: A, quantity: 3 }] },
    });
    expect(part.body).toMatchObject({
      status: 'partially_received',
      lines: [{ sku: A, shipped: 5, received: 3, discrepancy: null }],
    });
    const closed = await t.request('POST', `/v1/transfers/${sent.body.id}/receive`, {
      body: { lines: [{ sku: A, quantity: 1 }], close: true },
    });
    expect(closed.body).toMatchObject({ status: 'received', lines: [{ received: 4, discrepancy: 1 }] });
    levels = (await snapshotOf(A)).levels;
    expect(levels.find((l: { location_id: string }) => l.location_id === r.stores[2]!.id)).toMatchObject({
      on_hand: 4,
      in_transit: 0,
    });
    expect((await t.request('POST', `/v1/transfers/${sent.body.id}/receive`, { body: { lines: [] } })).body.code).toBe(
      'invalid_transition',
    );
    const tooMuch = await t.request('POST', '/v1/transfers', {
      body: { from_location_id: r.stores[1]!.id, to_location_id: r.warehouse.id, lines: [{ sku: B, quantity: 50 }] },
    });
    expect(tooMuch.status).toBe(409);
  });

  it('sets safety stock and min/max per SKU and location, which the ATP then holds back', async () => {
    const before = (await t.request('GET', `/v1/availability?sku=${A}&channel=web`)).body.available;
    const res = await t.request('PATCH', `/v1/inventory/${A}/levels/${r.stores[0]!.code}`, {
      body: { safety_stock: 4, min_qty: 2, max_qty: 12 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ safety_stock: 4, min_qty: 2, max_qty: 12 });
    expect((await t.request('GET', `/v1/availability?sku=${A}&channel=web`)).body.available).toBe(before - 4);
    expect(
      (await t.request('PATCH', `/v1/inventory/${A}/levels/${r.stores[0]!.id}`, { body: { min_qty: 20 } })).body.code,
    ).toBe('validation_failed');
    expect(
      (await t.request('PATCH', `/v1/inventory/${C}/levels/${r.stores[0]!.id}`, { body: { safety_stock: 1 } })).body
        .code,
    ).toBe('unprocessable');
    await t.request('PATCH', `/v1/inventory/${A}/levels/${r.stores[0]!.id}`, { body: { safety_stock: 0 } });
  });

  it('refuses bad input with a problem and changes nothing', async () => {
    const stockBefore = await snapshotOf(A);
    const ledgerBefore = await movementCount(A);
    const cases: [string, string, unknown, number, string][] = [
      [
        'unknown SKU (reserve)',
        '/v1/reservations',
        { lines: [{ sku: 'NOPE-1', quantity: 1 }], ttl_seconds: 60, reference: 'x' },
        400,
        'validation_failed',
      ],
      [
        'unknown location',
        '/v1/reservations',
        { lines: [{ sku: A, quantity: 1, location_id: 'nowhere' }], ttl_seconds: 60, reference: 'x' },
        404,
        'not_found',
      ],
      [
        'zero quantity',
        '/v1/reservations',
        { lines: [{ sku: A, quantity: 0 }], ttl_seconds: 60, reference: 'x' },
        400,
        'validation_failed',
      ],
      [
        'negative quantity',
        '/v1/reservations',
        { lines: [{ sku: A, quantity: -3 }], ttl_seconds: 60, reference: 'x' },
        400,
        'validation_failed',
      ],
      [
        'quantity past int32',
        '/v1/reservations',
        { lines: [{ sku: A, quantity: 2147483648 }], ttl_seconds: 60, reference: 'x' },
        400,
        'validation_failed',
      ],
      [
        'lines adding past int32',
        '/v1/reservations',
        {
          lines: [
            { sku: A, quantity: 2147483647 },
            { sku: A, quantity: 1 },
          ],
          ttl_seconds: 60,
          reference: 'x',
        },
        400,
        'validation_failed',
      ],
      [
        'location outside the policy',
        '/v1/reservations',
        {
          channel: 'market',
          lines: [{ sku: A, quantity: 1, location_id: r.stores[0]!.id }],
          ttl_seconds: 60,
          reference: 'x',
        },
        422,
        'location_not_allowed',
      ],
      [
        'unknown field',
        '/v1/reservations',
        { lines: [{ sku: A, quantity: 1 }], ttl_seconds: 60, reference: 'x', colour: 'red' },
        400,
        'validation_failed',
      ],
      [
        'unknown SKU (movement)',
        '/v1/inventory/movements',
        { sku: 'NOPE-2', location_id: r.stores[0]!.id, type: 'receipt', quantity: 1 },
        400,
        'validation_failed',
      ],
      [
        'unknown location (movement)',
        '/v1/inventory/movements',
        { sku: A, location_id: 'nowhere', type: 'receipt', quantity: 1 },
        404,
        'not_found',
      ],
      [
        'zero receipt',
        '/v1/inventory/movements',
        { sku: A, location_id: r.stores[0]!.id, type: 'receipt', quantity: 0 },
        400,
        'validation_failed',
      ],
      [
        'negative receipt',
        '/v1/inventory/movements',
        { sku: A, location_id: r.stores[0]!.id, type: 'receipt', quantity: -1 },
        400,
        'validation_failed',
      ],
      [
        'receipt past int32',
        '/v1/inventory/movements',
        { sku: A, location_id: r.stores[0]!.id, type: 'receipt', quantity: 4294967296 },
        400,
        'validation_failed',
      ],
      [
        'on-hand past int32',
        '/v1/inventory/movements',
        { sku: A, location_id: r.stores[0]!.id, type: 'receipt', quantity: 2147483647 },
        400,
        'validation_failed',
      ],
      [
        'count where the SKU is not stocked',
        '/v1/inventory/movements',
        { sku: A, location_id: r.stores[1]!.id, type: 'count', quantity: 4 },
        422,
        'unprocessable',
      ],
      [
        'damage beyond free stock',
        '/v1/inventory/movements',
        { sku: A, location_id: r.stores[0]!.id, type: 'damage', quantity: 11 },
        409,
        'insufficient_stock',
      ],
      [
        'transfer to itself',
        '/v1/transfers',
        { from_location_id: r.warehouse.id, to_location_id: r.warehouse.id, lines: [{ sku: A, quantity: 1 }] },
        400,
        'validation_failed',
      ],
      [
        'transfer of zero',
        '/v1/transfers',
        { from_location_id: r.warehouse.id, to_location_id: r.stores[0]!.id, lines: [{ sku: A, quantity: 0 }] },
        400,
        'validation_failed',
      ],
    ];
    for (const [what, url, body, status, code] of cases) {
      const clean = await t.request('POST', url, {
        body: url === '/v1/reservations' ? { channel: 'web', ...(body as object) } : body,
      });
      expect([what, clean.status, clean.body.code]).toEqual([what, status, code]);
      expect(clean.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await snapshotOf(A)).toEqual(stockBefore);
    expect(await movementCount(A)).toBe(ledgerBefore);
    expect((await t.request('GET', '/v1/inventory/NOPE-3')).status).toBe(400);
  });

  it('refuses releasing twice and confirming a released reservation', async () => {
    const res = await t.request('POST', '/v1/reservations', {
      token: web,
      body: { lines: [{ sku: A, quantity: 1 }], ttl_seconds: 60, reference: 'twice' },
    });
    expect((await t.request('DELETE', `/v1/reservations/${res.body.id}`, { token: web })).status).toBe(200);
    const again = await t.request('DELETE', `/v1/reservations/${res.body.id}`, { token: web });
    expect([again.status, again.body.code]).toEqual([409, 'already_released']);
    expect(
      (await t.request('POST', `/v1/reservations/${res.body.id}/confirm`, { token: web, body: {} })).body.code,
    ).toBe('already_released');
    expect((await t.request('DELETE', '/v1/reservations/res_nothing', { token: web })).status).toBe(404);
    // the invariants hold after everything this file did
    const results = await runChecks(t.omnia.ctx.db, inventoryChecks, clock.now());
    expect(results.map((c) => [c.name, c.result.status])).toEqual(inventoryChecks.map((c) => [c.name, 'ok']));
  });
});
