import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildModel,
  exclusionOf,
  type SourcingLocation,
  type SourcingOrderInput,
  type StockLevel,
} from './candidates.js';
import { DEFAULT_COSTS, batchCost, planViolations, slotCost, type CostParams } from './model.js';
import { solveBatch } from './optimiser.js';
import { sourceBatch } from './explain.js';
import { makeWorkload } from '../../../test/fulfillment/workload.js';

const P: CostParams = DEFAULT_COSTS;
const madrid = { lat: 40.4168, lng: -3.7038 };
const loc = (
  id: string,
  type: SourcingLocation['type'],
  at: { lat: number; lng: number },
  extra: Partial<SourcingLocation> = {},
): SourcingLocation => ({
  id,
  type,
  ...at,
  capabilities: type === 'warehouse' ? ['ship'] : ['pickup', 'ship_from_store', 'returns'],
  active: true,
  capacityLeft: -1,
  ...extra,
});
const order = (id: string, lines: [string, number][], extra: Partial<SourcingOrderInput> = {}): SourcingOrderInput => ({
  id,
  method: 'home',
  dest: madrid,
  promise_days: 4,
  allowed: 'all',
  lines: lines.map(([sku, quantity]) => ({ sku, quantity })),
  ...extra,
});

describe('candidate rules', () => {
  const wh = loc('wh', 'warehouse', { lat: 41.65, lng: -0.88 }); // Zaragoza, ~270 km
  const store = loc('st', 'store', madrid);
  it('excludes by capability, policy, the day, the order, the promise and the radius', () => {
    expect(exclusionOf(P, order('o', []), { ...store, capabilities: ['pickup'] }, 1)).toBe('capability');
    expect(exclusionOf(P, order('o', [], { allowed: new Set(['wh']) }), store, 1)).toBe('policy');
    expect(exclusionOf(P, order('o', []), { ...store, excludedToday: true }, 1)).toBe('excluded_today');
    expect(exclusionOf(P, order('o', [], { exclude: new Set(['st']) }), store, 1)).toBe('excluded_for_order');
    expect(exclusionOf(P, order('o', [], { promise_days: 1 }), wh, 270)).toBe('promise');
    expect(exclusionOf(P, order('o', []), store, 600)).toBe('radius');
    expect(exclusionOf(P, order('o', []), { ...store, capacityLeft: 0 }, 1)).toBe('no_capacity');
    expect(exclusionOf(P, order('o', []), wh, 270)).toBeNull();
  });
  it('a store without ship-from-store still serves click & collect at itself', () => {
    const cc = order('o', [], { method: 'click_collect', dest_location_id: 'st', promise_days: 0 });
    expect(exclusionOf(P, cc, { ...store, capabilities: ['pickup'] }, 0)).toBeNull();
  });
  it('buildModel counts what each rule removed and agrees with exclusionOf', () => {
    const locations = [wh, store, loc('far', 'store', { lat: 43.36, lng: -8.41 }), loc('pp', 'pickup_point', madrid)];
    const stock: StockLevel[] = locations.map((l) => ({ sku: 'A', location_id: l.id, available: 3 }));
    const { model, narrowing } = buildModel(P, locations, stock, [order('o1', [['A', 1]])]);
    expect([...model.orders[0]!.cands].map((j) => model.locIds[j])).toEqual(['wh', 'st']);
    expect(narrowing[0]!.excluded).toEqual({ radius: 1, capability: 1 });
  });
});

describe('slot costs', () => {
  it('charges the last units and rewards overstock, convexly', () => {
    const locations = [loc('st', 'store', madrid)];
    const { model } = buildModel(
      P,
      locations,
      [{ sku: 'A', location_id: 'st', available: 5, max: 2 }],
      [order('o', [['A', 1]])],
    );
    // 5 units, max 2 → 3 overstock; protect 1 → the 5th unit is a last unit.
    const u = P.handlingPerUnit.store;
    expect(slotCost(model, 0, 0, 1)).toBe(u - P.overMaxReward);
    expect(slotCost(model, 0, 3, 1)).toBe(u);
    expect(slotCost(model, 0, 4, 1)).toBe(u + P.lastUnitsPenalty);
    expect(slotCost(model, 0, 0, 5)).toBe(5 * u - 3 * P.overMaxReward + P.lastUnitsPenalty);
  });
});

describe('optimiser', () => {
  it('ships a two-line order from the one location that has both, not split', () => {
    const locations = [loc('wh', 'warehouse', { lat: 41.65, lng: -0.88 }), loc('st', 'store', madrid)];
    const stock: StockLevel[] = [
      { sku: 'A', location_id: 'wh', available: 10 },
      { sku: 'B', location_id: 'wh', available: 10 },
      { sku: 'A', location_id: 'st', available: 3 },
    ];
    const r = sourceBatch(P, locations, stock, [
      order('o1', [
        ['A', 1],
        ['B', 1],
      ]),
    ]);
    expect(r.decisions[0]!.allocations.map((a) => a.location_id)).toEqual(['wh']);
    expect(r.decisions[0]!.explanation.reason).toMatch(/wh supplies the order/);
    // The same reason as a code with its figures, for clients that translate it.
    expect(r.decisions[0]!.explanation.reason_code).toBe('single_only');
    expect(r.decisions[0]!.explanation.reason_params).toMatchObject({ locations: ['wh'], unsourced: 0 });
  });
  it('names the next single-location option and its cost when another location could ship it all, and says when none can', () => {
    const locations = [loc('wh', 'warehouse', { lat: 41.65, lng: -0.88 }), loc('st', 'store', madrid)];
    const stock: StockLevel[] = [
      { sku: 'A', location_id: 'wh', available: 10 },
      { sku: 'A', location_id: 'st', available: 10 },
    ];
    const d = sourceBatch(P, locations, stock, [order('o1', [['A', 1]])]).decisions[0]!;
    const winner = d.allocations[0]!.location_id;
    expect(d.explanation.reason_code).toBe('single_cheapest');
    expect(d.explanation.reason_params).toMatchObject({ locations: [winner], cost: d.cost, unsourced: 0 });
    expect(d.explanation.reason_params?.rival_location_id).toBe(winner === 'wh' ? 'st' : 'wh');
    expect(d.explanation.reason_params?.rival_cost).toBeGreaterThanOrEqual(d.cost);
    const none = sourceBatch(P, locations, [], [order('o2', [['A', 1]])]).decisions[0]!;
    expect(none.explanation.reason_code).toBe('no_candidate');
    expect(none.explanation.reason).toMatch(/no candidate/);
  });
  it('splits between a warehouse and a store when neither has every line', () => {
    const locations = [loc('wh', 'warehouse', { lat: 41.65, lng: -0.88 }), loc('st', 'store', madrid)];
    const stock: StockLevel[] = [
      { sku: 'A', location_id: 'wh', available: 10 },
      { sku: 'B', location_id: 'st', available: 3 },
    ];
    const d = sourceBatch(P, locations, stock, [
      order('o1', [
        ['A', 1],
        ['B', 1],
      ]),
    ]).decisions[0]!;
    expect(d.allocations.map((a) => [a.location_id, a.lines.map((l) => l.sku)]).sort()).toEqual([
      ['st', ['B']],
      ['wh', ['A']],
    ]);
    expect(d.explanation.reason).toMatch(/split/);
    expect(d.explanation.reason_code).toBe('split_no_single');
    expect(d.explanation.reason_params?.locations.sort()).toEqual(['st', 'wh']);
    expect(d.explanation.reason_params?.cost).toBe(d.cost);
    expect(d.unsourced).toEqual([]);
  });
  it('respects store capacity across the batch and reports what cannot be sourced', () => {
    const locations = [loc('st', 'store', madrid, { capacityLeft: 1 })];
    const stock: StockLevel[] = [{ sku: 'A', location_id: 'st', available: 5 }];
    const r = sourceBatch(P, locations, stock, [order('o1', [['A', 1]]), order('o2', [['A', 1]])]);
    expect(r.decisions.filter((d) => d.allocations.length === 1)).toHaveLength(1);
    expect(r.decisions.filter((d) => d.unsourced.length === 1)).toHaveLength(1);
  });
  it('splits one line over two locations when none has the whole quantity', () => {
    const locations = [loc('a', 'store', madrid), loc('b', 'store', { lat: 40.45, lng: -3.7 })];
    const stock: StockLevel[] = [
      { sku: 'A', location_id: 'a', available: 2 },
      { sku: 'A', location_id: 'b', available: 2 },
    ];
    const d = sourceBatch(P, locations, stock, [order('o1', [['A', 3]])]).decisions[0]!;
    expect(d.allocations.reduce((n, a) => n + a.lines[0]!.quantity, 0)).toBe(3);
  });
  it('hands merged duplicate-SKU lines back to their own line indexes', () => {
    const locations = [loc('wh', 'warehouse', madrid)];
    const d = sourceBatch(
      P,
      locations,
      [{ sku: 'A', location_id: 'wh', available: 9 }],
      [
        order('o1', [
          ['A', 2],
          ['A', 1],
        ]),
      ],
    ).decisions[0]!;
    expect(d.allocations[0]!.lines).toEqual([
      { line_index: 0, sku: 'A', quantity: 2 },
      { line_index: 1, sku: 'A', quantity: 1 },
    ]);
  });
  it('property: plans are feasible, cost what batchCost says, and improvement never loses to greedy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const w = makeWorkload(seed, {
          locations: 60,
          warehouses: 3,
          pickupPoints: 5,
          skus: 120,
          orders: 80,
          storeCapacity: [0, 3],
        });
        const { model } = buildModel(P, w.locations, w.stock, w.orders);
        const best = solveBatch(model);
        const greedy = solveBatch(model, { passes: 0, ejectionTries: 0 });
        expect(planViolations(model, best.plans)).toEqual([]);
        expect(batchCost(model, best.plans)).toBe(best.cost);
        expect(best.cost).toBeLessThanOrEqual(greedy.cost);
      }),
      { numRuns: 25 },
    );
  });
});
