import { describe, expect, it } from 'vitest';
import { ExpiringCache } from './cache.js';
import { ManualClock } from './clock.js';

describe('ExpiringCache', () => {
  it('expires entries on the injected clock, not the wall clock', () => {
    const clock = new ManualClock();
    const c = new ExpiringCache<string, { n: number }>(clock, { ttlMs: 1000, max: 10 });
    c.set('a', { n: 1 });
    clock.advance(999);
    expect(c.get('a')).toEqual({ n: 1 });
    clock.advance(2);
    expect(c.get('a')).toBeUndefined();
    expect(c.has('a')).toBe(false);
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const c = new ExpiringCache<string, number>(new ManualClock(), { ttlMs: 60_000, max: 2 });
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recently used
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([1, undefined, 3]);
    expect(c.size).toBe(2);
  });

  it('forgets on delete and clear', () => {
    const c = new ExpiringCache<string, number>(new ManualClock(), { ttlMs: 60_000, max: 10 });
    c.set('a', 1);
    c.set('b', 2);
    c.delete('a');
    expect(c.get('a')).toBeUndefined();
    c.clear();
    expect(c.size).toBe(0);
  });
});
