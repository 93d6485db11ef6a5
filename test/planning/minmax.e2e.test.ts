import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { AS_OF, setupPlanning, type PlanningFixture } from './fixture.js';

let t: TestApp;
let fx: PlanningFixture;
let runId: string;

beforeAll(async () => {
  t = await startTestApp();
  fx = await setupPlanning(t);
}, 60_000);
afterAll(() => t.close());

const run = (body: Record<string, unknown>) =>
  t.request('POST', '/v1/planning/minmax', { body: { as_of: AS_OF, history_days: 10, ...body } });

describe('min/max runs (issue 15 point 2)', () => {
  it('computes min/max per size per store from the orders, leaving the stock-out day out', async () => {
    const res = await run({ service_level: 0.95, review_days: 2, lead_days: 1, min_observed_days: 5 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('done');
    runId = res.body.id;
    const page = await t.request('GET', `/v1/planning/minmax/${runId}/results?limit=10`);
    expect(page.status).toBe(200);
    const byStore = Object.fromEntries(page.body.items.map((r: { location_id: string }) => [r.location_id, r]));
    const a = byStore[fx.A];
    expect(a).toMatchObject({ sku: fx.sku, size: 'M', observed_days: 9, censored_days: 1, min_qty: 18, max_qty: 18 });
    expect(a.mean_daily).toBeCloseTo(5, 5);
    expect(a.sd_daily).toBeCloseTo(1, 5);
    const b = byStore[fx.B];
    expect(b).toMatchObject({ observed_days: 10, censored_days: 0, min_qty: 10, max_qty: 10 });
    expect(b.sd_daily).toBeCloseTo(Math.sqrt(10 / 9), 5);
    // investment = (safety + μR/2) × cost: A (2.849 + 5) × 1000
    expect(a.investment).toBe(Math.round((1.6448536269514722 * Math.sqrt(3) + 5) * 1000));
  });

  it('reports the pooling saving per store and chain-wide, and the simulation check', async () => {
    const res = await t.request('GET', `/v1/planning/minmax/${runId}`);
    expect(res.status).toBe(200);
    const s = res.body.summary;
    const k = 1.6448536269514722 * Math.sqrt(3);
    expect(s.safety_alone).toBeCloseTo(k * (1 + Math.sqrt(10 / 9)), 3);
    expect(s.safety_pooled).toBeCloseTo(k * Math.sqrt(1 + 10 / 9), 3);
    expect(s.pooling_ratio).toBeCloseTo(1.4135, 3);
    expect(s.pairs).toBe(2);
    expect(res.body.stores).toHaveLength(2);
    const storeA = res.body.stores.find((x: { location_id: string }) => x.location_id === fx.A);
    expect(storeA.safety_saving_value).toBe(
      Math.round(k * (1 - Math.sqrt(1 + 10 / 9) / (1 + Math.sqrt(10 / 9))) * 1000),
    );
    expect(s.simulation.skus).toBe(1);
    expect(s.simulation.days).toBe(10);
    expect(s.simulation.alone.cycle_service_level).toBeGreaterThan(0);
    expect(s.simulation.pooled.average_units).toBeLessThan(s.simulation.alone.average_units);
    expect(res.body.progress).toEqual({ total: 2, done: 2 });
  });

  it('exports the results as CSV', async () => {
    const res = await t.request('GET', `/v1/planning/minmax/${runId}/results?format=csv`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/csv');
    const lines = (res as unknown as { body: string }).body.trim().split('\n');
    expect(lines[0]).toMatch(/^sku,location_id,size,/);
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith(`TEE-M,${fx.A},`))).toContain(`,M,5.0000,`);
  });

  it('writes the results to the stock levels', async () => {
    const res = await t.request('POST', `/v1/planning/minmax/${runId}/apply`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ applied: 2, missing: 0 });
    const inv = await t.request('GET', `/v1/inventory/${fx.sku}`);
    const level = (id: string) => inv.body.levels.find((l: { location_id: string }) => l.location_id === id);
    expect(level(fx.A)).toMatchObject({ min_qty: 18, max_qty: 18 });
    expect(level(fx.B)).toMatchObject({ min_qty: 10, max_qty: 10 });
  });

  it('max = min + μR on request (the overshooting rule)', async () => {
    const res = await run({ max_rule: 'min_plus_review', min_observed_days: 5, simulate_skus: 0 });
    const page = await t.request('GET', `/v1/planning/minmax/${res.body.id}/results?location_id=${fx.A}`);
    expect(page.body.items[0]).toMatchObject({ min_qty: 18, max_qty: 28 });
    expect(res.body.summary.simulation).toBeNull();
  });

  it('refuses bad input with problem+json, and unknown runs with 404', async () => {
    const bad = await run({ service_level: 1 });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const notStore = await run({ location_ids: [fx.W] });
    expect(notStore.status).toBe(400);
    expect(notStore.body.errors[0].field).toBe('location_ids/0');
    expect((await t.request('GET', '/v1/planning/minmax/pln_nope')).status).toBe(404);
    expect((await t.request('GET', '/v1/planning/minmax/pln_nope/results')).status).toBe(404);
  });

  it('queues large runs for the background job and reports progress', async () => {
    const res = await run({ background: true, min_observed_days: 5 });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    // The pairs are counted once, when the run is made: a queued run already shows its total.
    expect(res.body.progress).toEqual({ total: 2, done: 0 });
    expect((await t.request('GET', `/v1/planning/minmax/${res.body.id}/results`)).status).toBe(409);
    expect(await t.omnia.services.planning.runDue()).toBe(1);
    const done = await t.request('GET', `/v1/planning/minmax/${res.body.id}`);
    expect(done.body.status).toBe('done');
    expect(done.body.progress).toEqual({ total: 2, done: 2 });
    expect(await t.omnia.services.planning.runDue()).toBe(0);
  });
});

describe('proposals (issue 15 point 3)', () => {
  it('proposes warehouse → store to max and store → store for what the warehouse lacks', async () => {
    const res = await t.request('GET', `/v1/planning/proposals?run_id=${runId}`);
    expect(res.status).toBe(200);
    const items = res.body.items.map((p: Record<string, unknown>) => ({
      kind: p.kind,
      from: p.from_location_id,
      to: p.to_location_id,
      units: p.units,
      needed: p.needed,
      status: p.status,
    }));
    expect(items).toEqual([
      { kind: 'replenishment', from: fx.W, to: fx.A, units: 5, needed: 15, status: 'proposed' },
      { kind: 'rebalancing', from: fx.B, to: fx.A, units: 10, needed: 10, status: 'proposed' },
    ]);
  });

  it('an accepted proposal becomes an inventory transfer; a decided one cannot be decided again', async () => {
    const list = (await t.request('GET', `/v1/planning/proposals?run_id=${runId}&kind=rebalancing`)).body.items;
    const acc = await t.request('POST', `/v1/planning/proposals/${list[0].id}/accept`);
    expect(acc.status, JSON.stringify(acc.body)).toBe(200);
    expect(acc.body.status).toBe('accepted');
    const tr = await t.request('GET', `/v1/transfers/${acc.body.transfer_id}`);
    expect(tr.body).toMatchObject({
      from_location_id: fx.B,
      to_location_id: fx.A,
      status: 'in_transit',
      reference: list[0].id,
      lines: [{ sku: fx.sku, shipped: 10 }],
    });
    const inv = await t.request('GET', `/v1/inventory/${fx.sku}`);
    expect(inv.body.levels.find((l: { location_id: string }) => l.location_id === fx.B).on_hand).toBe(20);
    expect((await t.request('POST', `/v1/planning/proposals/${list[0].id}/accept`)).status).toBe(409);
    const rep = (await t.request('GET', `/v1/planning/proposals?run_id=${runId}&kind=replenishment`)).body.items[0];
    const rej = await t.request('POST', `/v1/planning/proposals/${rep.id}/reject`);
    expect(rej.body).toMatchObject({ status: 'rejected', transfer_id: null });
    const open = await t.request('GET', `/v1/planning/proposals?run_id=${runId}&status=proposed`);
    expect(open.body.items).toEqual([]);
  });

  it('a proposal the source can no longer cover is refused and stays open', async () => {
    // A later run: A has 10 in transit now (13 ≤ 18), W still 5 → W → A 5; then W is counted at 1.
    const r = await run({ min_observed_days: 5, simulate_skus: 0 });
    const list = (await t.request('GET', `/v1/planning/proposals?run_id=${r.body.id}`)).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'replenishment', from_location_id: fx.W, units: 5, needed: 5 });
    await t.omnia.services.inventory.recordMovement({ sku: fx.sku, location_id: fx.W, type: 'count', quantity: 1 });
    const acc = await t.request('POST', `/v1/planning/proposals/${list[0].id}/accept`);
    expect(acc.status).toBe(409);
    expect(acc.body.type).toContain('insufficient_stock');
    const again = await t.request('GET', `/v1/planning/proposals?run_id=${r.body.id}`);
    expect(again.body.items[0]).toMatchObject({ status: 'proposed', transfer_id: null });
  });
});
