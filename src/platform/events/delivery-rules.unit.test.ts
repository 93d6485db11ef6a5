import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterFailure, errorText, MAX_DELIVERY_ATTEMPTS } from './delivery-rules.js';

describe('event delivery rules', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('backs off exponentially from 1 s and is dead after the last attempt', () => {
    expect(afterFailure(1, now)).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 1_000) });
    expect(afterFailure(3, now)).toEqual({ status: 'pending', nextAttemptAt: new Date(now.getTime() + 4_000) });
    expect(afterFailure(MAX_DELIVERY_ATTEMPTS, now).status).toBe('dead');
    expect(afterFailure(2, now, 2).status).toBe('dead');
  });
  it('never waits less as attempts grow, and never more than 15 minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_DELIVERY_ATTEMPTS - 2 }), (a) => {
        const d1 = afterFailure(a, now).nextAttemptAt.getTime() - now.getTime();
        const d2 = afterFailure(a + 1, now).nextAttemptAt.getTime() - now.getTime();
        expect(d2).toBeGreaterThanOrEqual(d1);
        expect(d2).toBeLessThanOrEqual(15 * 60_000);
      }),
    );
  });
  it('keeps error text bounded', () => {
    expect(errorText(new Error('x'.repeat(5000)))).toHaveLength(1000);
    expect(errorText('boom')).toBe('boom');
  });
});
