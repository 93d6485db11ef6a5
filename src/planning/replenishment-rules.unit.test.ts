import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder, rebalanceProposals, replenishmentProposals } from './replenishment-rules.js';
import type { Proposal, RebalanceStore, ReplenishmentProposal, Result } from './types.js';

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.field}: ${r.error.message}`);
  return r.value;
}
const line = (store: string, min: number, max: number, on_hand: number, in_transit = 0) => ({
  sku: 'TSHIRT-M',
  store,
  warehouse: 'WH',
  min,
  max,
  on_hand,
  in_transit,
});

describe('replenishment: warehouse → store up to max', () => {
  it('given enough stock, then each store at or below min gets max − position', () => {
    const r = value(
      replenishmentProposals(
        [line('X', 2, 6, 1, 1), line('Y', 2, 5, 3), line('Z', 2, 4, 0)],
        [{ warehouse: 'WH', sku: 'TSHIRT-M', available: 100 }],
      ),
    );
    // X: position 1 + 1 = 2 ≤ 2 → 6 − 2 = 4; Y: 3 > 2 → nothing; Z: 0 → 4
    expect(r.map((p) => [p.to, p.units])).toEqual([
      ['X', 4],
      ['Z', 4],
    ]);
  });

  it('given a short warehouse, then it is shared by largest remainder', () => {
    const r = value(
      replenishmentProposals(
        [line('X', 2, 6, 2), line('Y', 3, 4, 1), line('Z', 1, 2, 1)],
        [{ warehouse: 'WH', sku: 'TSHIRT-M', available: 5 }],
      ),
    );
    // needs X 4, Y 3, Z 1 = 8 for 5 units; quotas 5·4/8 = 2.5, 5·3/8 = 1.875, 5·1/8 = 0.625
    // floors 2 + 1 + 0 = 3; 2 left → largest fractions Y (.875) then Z (.625): X 2, Y 2, Z 1
    expect(r.map((p) => [p.to, p.units, p.needed])).toEqual([
      ['X', 2, 4],
      ['Y', 2, 3],
      ['Z', 1, 1],
    ]);
  });

  it('refuses a max below min and a duplicated store line', () => {
    const stock = [{ warehouse: 'WH', sku: 'TSHIRT-M', available: 5 }];
    const a = replenishmentProposals([line('X', 5, 4, 0)], stock);
    expect(a.ok ? null : a.error.field).toBe('lines[0].max');
    const b = replenishmentProposals([line('X', 1, 4, 0), line('X', 1, 4, 0)], stock);
    expect(b.ok ? null : b.error.field).toBe('lines[1]');
  });

  it('never sends more than the warehouse has nor more than a store needs; gives all it can', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(10), fc.nat(10), fc.nat(15)), { minLength: 1, maxLength: 12 }),
        fc.nat(60),
        (rows, available) => {
          const lines = rows.map(([min, extra, onHand], i) => line(`S${i}`, min, min + extra, onHand));
          const r: ReplenishmentProposal[] = value(
            replenishmentProposals(lines, [{ warehouse: 'WH', sku: 'TSHIRT-M', available }]),
          );
          const sent = r.reduce((s, p) => s + p.units, 0);
          const needed = lines
            .filter((l) => l.on_hand <= l.min)
            .reduce((s, l) => s + Math.max(0, l.max - l.on_hand), 0);
          expect(sent).toBe(Math.min(available, needed));
          for (const p of r) expect(p.units).toBeLessThanOrEqual(p.needed);
        },
      ),
    );
  });

  it('largest remainder hands out exactly what is available when short', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        fc.nat(200),
        (needs, av) => {
          const total = needs.reduce((a, b) => a + b, 0);
          const shares = largestRemainder(
            av,
            needs.map((need, i) => ({ key: `k${i}`, need })),
          );
          const given = [...shares.values()].reduce((a, b) => a + b, 0);
          expect(given).toBe(Math.min(av, total));
        },
      ),
    );
  });
});

const rs = (store: string, over: Partial<RebalanceStore>): RebalanceStore => ({
  sku: 'JEANS-32',
  store,
  min: 2,
  max: 6,
  on_hand: 4,
  in_transit: 0,
  mean_daily_demand: 1,
  days_to_next_delivery: 3,
  ...over,
});

describe('rebalancing: store → store', () => {
  const stores = [
    rs('SLOW', { on_hand: 10, mean_daily_demand: 0.1 }), // 10 − max 6 = 4 in excess
    rs('FAST', { on_hand: 1, max: 5 }), // position 1 ≤ min 2, needs 5 − 1 = 4
  ];

  it('given excess at one store and a selling store below min, then the excess moves', () => {
    const r = value(rebalanceProposals({ stores, lead_days: new Map([['SLOW>FAST', 1]]), min_lot: 2 }));
    // excess 4, need 4, lead 1 day < 3 days to FAST's next delivery, 4 ≥ lot 2 → move 4
    expect(r).toEqual([{ sku: 'JEANS-32', from: 'SLOW', to: 'FAST', units: 4 }]);
  });

  it('given a lot larger than the move, a transfer slower than the next delivery, or no route, then nothing', () => {
    expect(value(rebalanceProposals({ stores, lead_days: new Map([['SLOW>FAST', 1]]), min_lot: 5 }))).toEqual([]);
    expect(value(rebalanceProposals({ stores, lead_days: new Map([['SLOW>FAST', 3]]), min_lot: 1 }))).toEqual([]);
    expect(value(rebalanceProposals({ stores, lead_days: new Map(), min_lot: 1 }))).toEqual([]);
  });

  it('given a store below min where the SKU does not sell, then it receives nothing', () => {
    const dead = [stores[0]!, rs('DEAD', { on_hand: 0, mean_daily_demand: 0 })];
    expect(value(rebalanceProposals({ stores: dead, lead_days: new Map([['SLOW>DEAD', 1]]), min_lot: 1 }))).toEqual([]);
  });

  it('refuses a minimum lot below 1', () => {
    const r = rebalanceProposals({ stores, lead_days: new Map(), min_lot: 0 });
    expect(r.ok ? null : r.error.field).toBe('min_lot');
  });

  it('never moves more than a donor holds above max, never below the lot, never past a receiver max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.nat(6), fc.nat(20), fc.boolean()), { minLength: 2, maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        (rows, lot) => {
          const list = rows.map(([min, extra, onHand, sells], i) =>
            rs(`S${i}`, { min, max: min + extra, on_hand: onHand, mean_daily_demand: sells ? 1 : 0 }),
          );
          const lead = new Map<string, number>();
          for (const a of list) for (const b of list) if (a !== b) lead.set(`${a.store}>${b.store}`, 1);
          const r: Proposal[] = value(rebalanceProposals({ stores: list, lead_days: lead, min_lot: lot }));
          for (const s of list) {
            const out = r.filter((p) => p.from === s.store).reduce((x, p) => x + p.units, 0);
            const inn = r.filter((p) => p.to === s.store).reduce((x, p) => x + p.units, 0);
            expect(out).toBeLessThanOrEqual(Math.max(0, s.on_hand - s.max));
            expect(s.on_hand + s.in_transit + inn).toBeLessThanOrEqual(Math.max(s.max, s.on_hand));
            if (inn > 0) expect(out).toBe(0);
          }
          for (const p of r) expect(p.units).toBeGreaterThanOrEqual(lot);
        },
      ),
    );
  });
});
