import { describe, expect, it } from 'vitest';
import { dayRange } from './order-filters';

describe('the order list’s day filter', () => {
  it('turns picked days into instants with the last day included', () => {
    const r = dayRange('2026-03-10', '2026-03-11');
    expect(new Date(r.placed_from!).getDate()).toBe(10);
    expect(Date.parse(r.placed_to!) - Date.parse(r.placed_from!)).toBe(2 * 86_400_000);
  });
  it('leaves out what was not picked', () => {
    expect(dayRange('', '')).toEqual({});
    expect(Object.keys(dayRange('2026-03-10', ''))).toEqual(['placed_from']);
  });
});
