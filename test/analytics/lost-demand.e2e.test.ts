/**
 * Lost demand is recorded from the answers that say "out of stock": a cart addition whose line is
 * short, an availability query answering 0 — batched in memory, written on flush with the price and
 * the units other locations could still sell — and it then shows in GET /v1/analytics/lost-sales.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { setupShop, type Shop } from '../checkout/fixtures.js';
import { asksFrom } from '../../src/analytics/lost-demand-hook.js';

let app: TestApp;
let shop: Shop;

beforeAll(async () => {
  app = await startTestApp();
  shop = await setupShop(app, { prefix: 'ld', stock: 2 });
}, 60_000);
afterAll(async () => app?.close());

describe('recording lost demand', () => {
  it('records a short cart line and a zero availability answer, valued and classified on flush', async () => {
    const web = shop.keys.web;
    const cart = await app.request('POST', '/v1/carts', { token: web, body: {} });
    expect(cart.status).toBe(201);
    // 2 in the warehouse and 5 at Sol can be promised to the web: 9 asked, 7 there → 2 short
    const sku = shop.skus[0]!;
    const add = await app.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: web,
      body: { sku, quantity: 9 },
    });
    expect(add.status).toBe(200);
    const line = add.body.lines.find((l: { sku: string }) => l.sku === sku);
    expect(line.availability.status).toBe('short');
    const shortBy = 9 - line.availability.available;
    // the last unit, sold out everywhere once a movement takes it
    const last = shop.skus[3]!;
    await app.omnia.services.inventory.recordMovement({
      sku: last,
      location_id: shop.store.id,
      type: 'adjustment',
      quantity: -1,
    });
    const pub = await app.apiKey('ld-web', [], { kind: 'publishable' });
    const avail = await app.request('GET', `/v1/availability?sku=${last}`, { token: pub });
    expect(avail.status).toBe(200);
    expect(avail.body.available).toBe(0);
    // a second time the same day: one row, two asks
    await app.request('GET', `/v1/availability?sku=${last}`, { token: pub });

    const db = app.omnia.services.ctx.db;
    const before = await sql<{ n: number }>`select count(*)::int as n from analytics_lost_demand`.execute(db);
    expect(before.rows[0]!.n).toBe(0); // nothing written until the flush
    expect(await app.omnia.services.analytics.lostDemand!.flush()).toBe(2);
    const rows = await sql<{
      source: string;
      sku: string;
      units: number;
      asks: number;
      unit_price: string;
      elsewhere: number;
    }>`
      select source, sku, units, asks, unit_price, elsewhere from analytics_lost_demand order by source`.execute(db);
    expect(rows.rows).toEqual([
      { source: 'availability', sku: last, units: 2, asks: 2, unit_price: expect.anything(), elsewhere: 0 },
      { source: 'cart', sku, units: shortBy, asks: 1, unit_price: expect.anything(), elsewhere: 7 },
    ]);
    expect(Number(rows.rows[0]!.unit_price)).toBe(4000);
    expect(Number(rows.rows[1]!.unit_price)).toBe(line.unit_price);

    const today = app.omnia.services.ctx.clock.now().toISOString().slice(0, 10);
    const report = await app.request('GET', `/v1/analytics/lost-sales?from=${today}`);
    expect(report.status).toBe(200);
    expect(report.body.units).toBe(shortBy + 2);
    // the cart's units could have come from elsewhere (7 free); the last unit from nowhere
    expect(report.body.sourcing_opportunity.units).toBe(shortBy);
    expect(report.body.buying_problem).toEqual({ units: 2, value: 8000 });
    expect(await app.omnia.services.analytics.lostDemand!.flush()).toBe(0);
  });

  it('reads a checkout refused for stock, and ignores answers that are not a shortage', () => {
    const caller = { channel: 'chn_web', location: null };
    const problem = {
      code: 'insufficient_stock',
      lines: [
        { sku: 'A', requested: 3, available: 1 },
        { sku: 'B', requested: 1, available: 1 },
      ],
    };
    expect(asksFrom('POST /v1/carts/:id/checkout', 409, problem, caller)).toEqual([
      { source: 'checkout', channel_id: 'chn_web', location_id: null, sku: 'A', units: 2 },
    ]);
    expect(asksFrom('POST /v1/carts/:id/checkout', 409, { code: 'cart_changed' }, caller)).toEqual([]);
    expect(asksFrom('POST /v1/carts/:id/checkout', 409, problem, { channel: null, location: null })).toEqual([]);
    // a list page asking for many SKUs is browsing, not a shopper's question
    const many = { items: Array.from({ length: 6 }, (_, i) => ({ sku: `S${i}`, available: 0 })) };
    expect(asksFrom('POST /v1/availability/query', 200, many, caller)).toEqual([]);
    expect(asksFrom('GET /v1/availability', 200, { sku: 'A', available: 3 }, caller)).toEqual([]);
  });
});
