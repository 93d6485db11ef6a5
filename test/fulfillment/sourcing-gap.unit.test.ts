/**
 * The optimiser against the exact optimum (HiGHS MIP) on small seeded batches with tight capacity.
 * Not a timing test: it checks that the MIP is the same model (never above our cost, equal on
 * trivial batches) and that our plans stay within a few per cent of it.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, DEFAULT_COSTS, solveBatch } from '../../src/fulfillment/sourcing/index.js';
import { makeWorkload } from './workload.js';
import { solveMip } from './highs.js';

const SMALL = {
  locations: 80,
  warehouses: 3,
  pickupPoints: 7,
  skus: 150,
  orders: 120,
  storeCapacity: [1, 3] as [number, number],
};

describe('gap to the HiGHS optimum', () => {
  it('single-order batches: the optimiser finds the optimum', async () => {
    const w = makeWorkload(7, { ...SMALL, orders: 12 });
    for (const o of w.orders) {
      const { model } = buildModel(DEFAULT_COSTS, w.locations, w.stock, [o]);
      const ours = solveBatch(model);
      const mip = await solveMip(model, 20);
      expect(mip.optimal).toBe(true);
      expect(ours.cost).toBeCloseTo(mip.objective, 6);
    }
  }, 60_000);

  it('batches with shared stock and capacity: within 2 % of the optimum, never below it', async () => {
    for (const seed of [1, 2, 3]) {
      const w = makeWorkload(seed, SMALL);
      const { model } = buildModel(DEFAULT_COSTS, w.locations, w.stock, w.orders);
      const ours = solveBatch(model);
      const mip = await solveMip(model, 30);
      expect(mip.optimal).toBe(true);
      expect(ours.cost).toBeGreaterThanOrEqual(mip.objective - 1e-6);
      expect((ours.cost - mip.objective) / mip.objective).toBeLessThan(0.02);
    }
  }, 120_000);
});
