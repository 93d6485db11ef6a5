/**
 * The three reports over HTTP on a hand-worked fixture (fixture.ts): every expected figure below is
 * computed by hand from the fixture's rows, not by the code under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { buildFixture, type Fixture } from './fixture.js';

let app: TestApp;
let fx: Fixture;
const W = 'from=2026-03-01&to=2026-04-01';

beforeAll(async () => {
  app = await startTestApp();
  fx = await buildFixture(app);
}, 60_000);
afterAll(async () => app?.close());

describe('GET /v1/analytics/channel-mix', () => {
  it('splits the window’s customers into online-only, store-only and omnichannel with their value', async () => {
    const r = await app.request('GET', `/v1/analytics/channel-mix?${W}`);
    expect(r.status).toBe(200);
    const s = r.body.total.segments;
    expect(r.body.total.customers).toBe(5);
    // online-only: c (30.00, all returned), d (20.00), e (45.00)
    expect(s.online_only).toEqual({
      customers: 3,
      share: 0.6,
      spend_per_customer: Math.round(6500 / 3),
      orders_per_year: (3 / 3) * (365 / 31),
      average_basket: Math.round(9500 / 3),
      return_rate: 3000 / 9500,
      retention_12m: null,
    });
    // store-only: b, two sales of 40.00 and 60.00, 20.00 refunded; a year before e and f were
    // store-only and only e came back
    expect(s.store_only).toEqual({
      customers: 1,
      share: 0.2,
      spend_per_customer: 8000,
      orders_per_year: 2 * (365 / 31),
      average_basket: 5000,
      return_rate: 0.2,
      retention_12m: 0.5,
    });
    expect(s.omnichannel).toMatchObject({ customers: 1, share: 0.2, spend_per_customer: 15000, average_basket: 7500 });
    expect(r.body.total.channels.marketplace).toEqual({ customers: 1, orders: 1 });
    expect(r.body.total.channels.store).toEqual({ customers: 2, orders: 3 });
  });

  it('converts visits to orders per channel and credits web orders collected in store', async () => {
    const r = await app.request('GET', `/v1/analytics/channel-mix?${W}`);
    const conv = Object.fromEntries(r.body.conversion.map((c: { channel: string }) => [c.channel, c]));
    expect(conv.web).toEqual({ channel: 'web', visits: 4, orders: 2, rate: 0.5 });
    expect(conv.store).toEqual({ channel: 'store', visits: 4, orders: 3, rate: 0.75 });
    expect(conv.marketplace).toEqual({ channel: 'marketplace', visits: 0, orders: 1, rate: null });
    const credits = Object.fromEntries(r.body.credits.map((c: { store: string }) => [c.store, c]));
    expect(credits[fx.S1]).toMatchObject({
      name: 'Store One',
      till_sales: 5000,
      web_collected_orders: 1,
      web_collected: 3000,
      web_collected_returns: 3000,
      credited: 5000,
    });
    expect(credits[fx.S2]).toMatchObject({ till_sales: 10000, till_returns: 2000, credited: 8000 });
  });

  it('groups by region (the home store’s) and by month', async () => {
    const byRegion = await app.request('GET', `/v1/analytics/channel-mix?${W}&group_by=region`);
    const g = Object.fromEntries(byRegion.body.groups.map((x: { key: string }) => [x.key, x]));
    expect(Object.keys(g).sort()).toEqual(['R1', 'R2', 'online']);
    expect(g.R1.customers).toBe(2); // a (till at S1) and c (collects at S1)
    expect(g.R1.segments.omnichannel.share).toBe(0.5);
    expect(g.online.customers).toBe(2); // d and e never bought in a store
    const byMonth = await app.request('GET', `/v1/analytics/channel-mix?from=2026-02-15&to=2026-04-01`);
    expect(byMonth.body.groups.map((x: { key: string }) => x.key)).toEqual(['2026-02', '2026-03']);
    expect(byMonth.body.groups[1].customers).toBe(5);
  });

  it('exports CSV by ?format=csv or Accept: text/csv', async () => {
    const r = await app.request('GET', `/v1/analytics/channel-mix?${W}&format=csv&table=credits`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/csv/);
    const lines = String(r.body).trim().split('\r\n');
    expect(lines[0]).toBe(
      'store,name,till_sales,till_returns,web_collected_orders,web_collected,web_collected_returns,web_returns_handled,credited',
    );
    expect(lines).toContain(`${fx.S2},Store Two,10000,2000,0,0,0,0,8000`);
    const a = await app.request('GET', `/v1/analytics/channel-mix?${W}`, { headers: { accept: 'text/csv' } });
    expect(String(a.body).split('\r\n')[0]).toBe(
      'month,name,segment,customers,share,spend_per_customer,orders_per_year,average_basket,return_rate,retention_12m',
    );
    expect(String(a.body)).toContain('total,total,online_only,3,0.6,2167,');
  });
});

describe('GET /v1/analytics/shipping', () => {
  it('compares cost with what was paid per band and method, and finds the break-even threshold', async () => {
    const r = await app.request('GET', `/v1/analytics/shipping?${W}&gross_margin=50&threshold=4000&reach=1000`);
    expect(r.status).toBe(200);
    expect(r.body.orders).toBe(4);
    expect(r.body.orders_without_cost).toBe(1);
    const band = Object.fromEntries(r.body.by_band.map((b: { band: string }) => [b.band, b]));
    expect(band['0-2499']).toEqual({
      band: '0-2499',
      orders: 1,
      merchandise: 2000,
      gross_margin: 1000,
      paid: 0,
      cost: 900,
      contribution: 100,
    });
    expect(band['2500-4999']).toEqual({
      band: '2500-4999',
      orders: 2,
      merchandise: 7500,
      gross_margin: 3750,
      paid: 395,
      cost: 950,
      contribution: 3195,
    });
    expect(band['10000-14999']).toMatchObject({ orders: 1, cost: 700, contribution: 4300 });
    expect(band['5000-7499'].orders).toBe(0);
    const method = Object.fromEntries(r.body.by_method.map((m: { method: string }) => [m.method, m]));
    expect(method.home).toEqual({
      method: 'home',
      orders: 2,
      paid: 395,
      cost: 1350,
      average_paid: 198,
      average_cost: 675,
    });
    expect(method.ship_from_store).toMatchObject({ orders: 1, cost: 900 });
    expect(method.click_collect).toMatchObject({ orders: 1, paid: 0, cost: 300 });
    const pt = r.body.by_zone_band_method.find((x: { zone: string }) => x.zone === 'PT');
    expect(pt).toMatchObject({ band: '0-2499', method: 'ship_from_store', orders: 1, shipping_margin: -900 });
    // free from 40.00: a and e ship free (e stops paying 3.95), c tops 30.00 up by 10.00 at 50 %
    expect(r.body.what_if).toEqual({
      threshold: 4000,
      orders_free: 2,
      orders_topping_up: 1,
      shipping_revenue_lost: 395,
      uplift_merchandise: 1000,
      uplift_margin: 500,
      effect: 105,
    });
    // 25.00 loses (d tops up by 5.00: +2.50 − 3.95); 30.00 is the first to break even (d by 10.00)
    expect(r.body.break_even.threshold).toBe(3000);
    const at = (t: number) => r.body.break_even.curve.find((w: { threshold: number }) => w.threshold === t);
    expect(at(2500).effect).toBe(-145);
    expect(at(3000).effect).toBe(105);
  });

  it('refuses bad parameters with problem+json, never clamps', async () => {
    for (const q of [
      'gross_margin=120',
      'threshold=-1',
      'bands=0,5000,2500',
      'bands=100,200',
      'from=2026-02-30',
      'from=2026-04-01&to=2026-03-01',
      'from=2020-01-01&to=2026-01-01',
      'group=x',
    ]) {
      const r = await app.request('GET', `/v1/analytics/shipping?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.headers['content-type'], q).toMatch(/problem\+json/);
      expect(r.body.code, q).toBe('validation_failed');
    }
  });
});

describe('GET /v1/analytics/lost-sales', () => {
  it('values demand answered out of stock and splits what another location had from what none had', async () => {
    const r = await app.request('GET', `/v1/analytics/lost-sales?${W}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      units: 4,
      value: 4200,
      // one spare K-M elsewhere on the 3rd: it covers one of S1's two units, not the web cart's too
      sourcing_opportunity: { units: 1, value: 1000 },
      buying_problem: { units: 3, value: 3200 },
    });
    expect(r.body.by_store).toEqual([
      {
        key: fx.S1,
        name: 'Store One',
        units: 2,
        value: 2000,
        sourceable_units: 1,
        sourceable_value: 1000,
        unsourceable_units: 1,
        unsourceable_value: 1000,
      },
    ]);
    expect(r.body.grid).toEqual([{ location_id: fx.S1, name: 'Store One', size: 'M', units: 2, value: 2000 }]);
    const bySize = Object.fromEntries(r.body.by_size.map((x: { key: string; units: number }) => [x.key, x.units]));
    expect(bySize).toEqual({ M: 3, S: 1 });
    const byChannel = Object.fromEntries(
      r.body.by_channel.map((x: { key: string; value: number }) => [x.key, x.value]),
    );
    expect(byChannel).toEqual({ pos: 2000, web: 2200 });
    expect(r.body.by_product[0]).toMatchObject({ name: 'Knit', units: 4 });
    const csv = await app.request('GET', `/v1/analytics/lost-sales?${W}&format=csv`);
    const lines = String(csv.body).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`2026-03-03,availability,pos,${fx.S1},K-M,M,${lines[1]!.split(',')[6]},2,1000,2000,1,1`);
  });
});

describe('who may read the reports', () => {
  it('merchandisers and secret keys with analytics:read; not a store-bound key, an associate or a publishable key', async () => {
    const { auth } = app.omnia.services;
    await auth.createStaff({ email: 'm@x.test', password: 'correct horse battery', role: 'merchandiser' });
    await auth.createStaff({
      email: 's@x.test',
      password: 'correct horse battery',
      role: 'store_associate',
      location: fx.S1,
    });
    const merch = (await auth.loginStaff('m@x.test', 'correct horse battery')).token;
    const assoc = (await auth.loginStaff('s@x.test', 'correct horse battery')).token;
    const key = await app.apiKey('web', ['analytics:read']);
    const bound = await app.apiKey('pos', ['analytics:read'], { location: fx.S1 });
    const pub = await app.apiKey('web', [], { kind: 'publishable' });
    const url = `/v1/analytics/lost-sales?${W}`;
    expect((await app.request('GET', url, { token: merch })).status).toBe(200);
    expect((await app.request('GET', url, { token: key })).status).toBe(200);
    expect((await app.request('GET', url, { token: bound })).status).toBe(403);
    expect((await app.request('GET', url, { token: assoc })).status).toBe(403);
    expect((await app.request('GET', url, { token: pub })).status).toBe(403);
    expect((await app.request('GET', url, { token: '' })).status).toBe(401);
  });
});
