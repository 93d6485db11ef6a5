import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  authorName,
  customerSizeProfile,
  provingOrder,
  shiftSize,
  sizeAdvice,
  summarize,
  MIN_SIZE_ANSWERS,
  type OrderFacts,
} from './rules.js';

const order = (id: string, status: string, channel: string, at: string, lines: OrderFacts['lines']): OrderFacts => ({
  id,
  status,
  channel_type: channel,
  placed_at: at,
  lines,
});

describe('the verified-purchase badge', () => {
  const dress = [{ product_id: 'prd_D', sku: 'D-M', quantity: 1 }];
  it('comes from any channel’s live order with the product, the earliest first', () => {
    const orders = [
      order('ord_2', 'confirmed', 'web', '2026-02-01T00:00:00Z', dress),
      order('ord_1', 'completed', 'pos', '2026-01-01T00:00:00Z', dress),
    ];
    expect(provingOrder(orders, 'prd_D')).toEqual({ order_id: 'ord_1', channel_type: 'pos', sku: 'D-M' });
  });
  it('is not given by cancelled or unpaid orders, cancelled units, or other products', () => {
    expect(provingOrder([order('ord_1', 'cancelled', 'web', '2026-01-01T00:00:00Z', dress)], 'prd_D')).toBeUndefined();
    expect(
      provingOrder([order('ord_1', 'payment_pending', 'app', '2026-01-01T00:00:00Z', dress)], 'prd_D'),
    ).toBeUndefined();
    const gone = [{ product_id: 'prd_D', sku: 'D-M', quantity: 0 }];
    expect(provingOrder([order('ord_1', 'completed', 'pos', '2026-01-01T00:00:00Z', gone)], 'prd_D')).toBeUndefined();
    expect(provingOrder([order('ord_1', 'completed', 'pos', '2026-01-01T00:00:00Z', dress)], 'prd_X')).toBeUndefined();
  });
  it('names the variant reviewed when it was the one bought', () => {
    const two = [
      { product_id: 'prd_D', sku: 'D-S', quantity: 1 },
      { product_id: 'prd_D', sku: 'D-M', quantity: 1 },
    ];
    const o = [order('ord_1', 'fulfilled', 'marketplace', '2026-01-01T00:00:00Z', two)];
    expect(provingOrder(o, 'prd_D', 'D-M')?.sku).toBe('D-M');
    expect(provingOrder(o, 'prd_D', 'D-XL')?.sku).toBe('D-S');
  });
});

describe('size advice', () => {
  it('needs enough answers, then a majority', () => {
    expect(sizeAdvice({ small: 2, true: 0, large: 0 })).toBeNull();
    expect(sizeAdvice({ small: 2, true: 1, large: 0 })).toBe('runs_small');
    expect(sizeAdvice({ small: 1, true: 1, large: 2 })).toBe('runs_large');
    expect(sizeAdvice({ small: 2, true: 0, large: 2 })).toBe('true_to_size');
    expect(sizeAdvice({ small: 1, true: 3, large: 1 })).toBe('true_to_size');
  });
  it('never says small and large of the same answers (property)', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(50), (small, t, large) => {
        const a = sizeAdvice({ small, true: t, large });
        if (small + t + large < MIN_SIZE_ANSWERS) expect(a).toBeNull();
        if (a === 'runs_small') expect(small).toBeGreaterThan(large);
        if (a === 'runs_large') expect(large).toBeGreaterThan(small);
      }),
    );
  });
  it('moves letter and numeric sizes one step', () => {
    expect(shiftSize('M', 1)).toBe('L');
    expect(shiftSize('xs', -1)).toBe('XXS');
    expect(shiftSize('3XL', 1)).toBe('3XL');
    expect(shiftSize('40', 1)).toBe('42');
    expect(shiftSize('39', -1)).toBe('38');
    expect(shiftSize('One size', 1)).toBe('One size');
  });
  it('turns a person’s answers into the size to suggest next', () => {
    const p = customerSizeProfile([
      { size: 'M', feedback: 'small' },
      { size: '40', feedback: 'large' },
      { size: null, feedback: 'small' },
    ]);
    expect(p.answers).toEqual({ small: 2, true: 0, large: 1 });
    expect(p.tendency).toBe('size_up');
    expect(p.sizes).toEqual([
      { size: 'M', feedback: 'small', suggest: 'L' },
      { size: '40', feedback: 'large', suggest: '38' },
    ]);
  });
});

describe('rating summary', () => {
  it('counts, averages to one decimal and shares the size answers', () => {
    const s = summarize([
      { rating: 5, size_feedback: 'small', n: 2 },
      { rating: 4, size_feedback: null, n: 1 },
      { rating: 1, size_feedback: 'true', n: 1 },
    ]);
    expect(s).toEqual({
      count: 4,
      average: 3.8,
      distribution: { '1': 1, '2': 0, '3': 0, '4': 1, '5': 2 },
      size_feedback: { count: 3, small: 0.67, true: 0.33, large: 0, advice: 'runs_small' },
    });
  });
  it('is empty without reviews', () => {
    expect(summarize([])).toMatchObject({ count: 0, average: null, size_feedback: { count: 0, advice: null } });
  });
  it('keeps the distribution summing to the count and the average within 1..5 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            rating: fc.integer({ min: 1, max: 5 }),
            size_feedback: fc.constantFrom('small', 'true', 'large', null),
            n: fc.integer({ min: 1, max: 100 }),
          }),
        ),
        (groups) => {
          const s = summarize(groups);
          expect(Object.values(s.distribution).reduce((a, b) => a + b, 0)).toBe(s.count);
          if (s.count) expect(s.average!).toBeGreaterThanOrEqual(1);
          if (s.count) expect(s.average!).toBeLessThanOrEqual(5);
        },
      ),
    );
  });
});

describe('author name', () => {
  it('shows a first name and an initial, nothing without a first name', () => {
    expect(authorName('Ana', 'garcía')).toBe('Ana G.');
    expect(authorName('Ana', null)).toBe('Ana');
    expect(authorName(null, 'García')).toBeNull();
  });
});
