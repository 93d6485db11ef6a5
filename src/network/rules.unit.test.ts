import { describe, expect, it } from 'vitest';
import { distanceKm, isOpen, openingHoursErrors, stockPolicyErrors } from './rules.js';

describe('network rules', () => {
  it('measures Madrid–Barcelona at about 505 km', () => {
    expect(distanceKm(40.4168, -3.7038, 41.3874, 2.1686)).toBeGreaterThan(500);
    expect(distanceKm(40.4168, -3.7038, 41.3874, 2.1686)).toBeLessThan(510);
    expect(distanceKm(1, 1, 1, 1)).toBe(0);
  });
  it('validates opening hours', () => {
    expect(
      openingHoursErrors({
        mon: [
          ['10:00', '14:00'],
          ['16:00', '21:00'],
        ],
      }),
    ).toEqual([]);
    expect(openingHoursErrors({ mon: [['14:00', '10:00']] })[0]?.message).toMatch(/opens after/);
    expect(
      openingHoursErrors({
        mon: [
          ['10:00', '14:00'],
          ['13:00', '21:00'],
        ],
      })[0]?.message,
    ).toMatch(/overlaps/);
    expect(openingHoursErrors({ mon: [['25:00', '26:00']] })[0]?.message).toMatch(/HH:MM/);
    expect(isOpen({ sat: [['10:00', '22:00']] }, 'sat', '21:59')).toBe(true);
    expect(isOpen({ sat: [['10:00', '22:00']] }, 'sun', '12:00')).toBe(false);
  });
  it('refuses policies naming unknown or repeated locations', () => {
    const known = new Set(['loc_a']);
    expect(stockPolicyErrors({ locations: 'all', safety_stock: 0, buffer_pct: 0 }, known)).toEqual([]);
    expect(
      stockPolicyErrors({ locations: ['loc_a', 'loc_a', 'loc_b'], safety_stock: 0, buffer_pct: 0 }, known),
    ).toHaveLength(2);
  });
});
