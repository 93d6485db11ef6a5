import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addLocalDays,
  localParts,
  openIntervals,
  pickupPromise,
  weekdayOf,
  zonedInstant,
  type PickupPromiseInput,
} from './pickup-hours.js';
import type { OpeningHours } from './types.js';

const weekdays: OpeningHours = {
  mon: [['10:00', '21:30']],
  tue: [['10:00', '21:30']],
  wed: [['10:00', '21:30']],
  thu: [['10:00', '21:30']],
  fri: [['10:00', '21:30']],
  sat: [['10:00', '14:00']],
};
const base = (over: Partial<PickupPromiseInput>): PickupPromiseInput => ({
  hours: weekdays,
  timezone: 'Europe/Madrid',
  now: new Date('2026-06-10T14:00:00Z'), // Wednesday 16:00 in Madrid (CEST, +2)
  leadDays: 0,
  prepMinutes: 120,
  minCollectMinutes: 60,
  load: 0,
  capacity: 0,
  ...over,
});

describe('pickup hours', () => {
  it('reads local dates, weekdays and offsets in a timezone', () => {
    expect(localParts(new Date('2026-06-10T14:00:00Z'), 'Europe/Madrid')).toEqual({
      date: '2026-06-10',
      minutes: 16 * 60,
      offsetMinutes: 120,
    });
    expect(localParts(new Date('2026-01-10T23:30:00Z'), 'Europe/Madrid').date).toBe('2026-01-11');
    expect(weekdayOf('2026-06-10')).toBe('wed');
    expect(weekdayOf('2026-06-14')).toBe('sun');
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(
      openIntervals(
        {
          mon: [
            ['16:00', '20:00'],
            ['10:00', '14:00'],
          ],
        },
        '2026-06-08',
      ),
    ).toEqual([
      [600, 840],
      [960, 1200],
    ]);
  });

  it('turns local wall times into instants across both DST changes', () => {
    // Spain leaves summer time on 2026-10-25 (03:00 CEST → 02:00 CET) and enters it on 2026-03-29.
    expect(zonedInstant('2026-10-24', 600, 'Europe/Madrid').toISOString()).toBe('2026-10-24T08:00:00.000Z');
    expect(zonedInstant('2026-10-25', 600, 'Europe/Madrid').toISOString()).toBe('2026-10-25T09:00:00.000Z');
    expect(zonedInstant('2026-03-28', 600, 'Europe/Madrid').toISOString()).toBe('2026-03-28T09:00:00.000Z');
    expect(zonedInstant('2026-03-29', 600, 'Europe/Madrid').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(zonedInstant('2026-06-10', 1440, 'Europe/Lisbon').toISOString()).toBe('2026-06-10T23:00:00.000Z');
  });

  it('is ready today two hours on, collect until closing', () => {
    const p = pickupPromise(base({}))!;
    expect(p.when).toBe('today');
    expect(p.ready_by.toISOString()).toBe('2026-06-10T16:00:00.000Z'); // 18:00 local
    expect(p.collect_until.toISOString()).toBe('2026-06-10T19:30:00.000Z'); // 21:30 local
  });

  it('an order at 20:30 at a store closing at 21:30 is ready tomorrow from opening', () => {
    const p = pickupPromise(base({ now: new Date('2026-06-10T18:30:00Z') }))!;
    expect(p).toMatchObject({ date: '2026-06-11', when: 'tomorrow' });
    expect(p.ready_by.toISOString()).toBe('2026-06-11T08:00:00.000Z'); // 10:00 local
  });

  it('skips closed days: Saturday after its early close goes to Monday, never Sunday', () => {
    const p = pickupPromise(base({ now: new Date('2026-06-13T11:30:00Z') }))!; // Sat 13:30
    expect(p.date).toBe('2026-06-15');
    expect(weekdayOf(p.date)).toBe('mon');
    expect(p.when).toBe('later');
  });

  it('a store at capacity starts tomorrow; a transfer waits its lead days, from opening', () => {
    expect(pickupPromise(base({ load: 40, capacity: 40 }))!.date).toBe('2026-06-11');
    expect(pickupPromise(base({ load: 39, capacity: 40 }))!.date).toBe('2026-06-10');
    // busy (half the capacity or more): twice the picking time, 16:00 → 20:00
    expect(pickupPromise(base({ load: 19, capacity: 40 }))!.ready_by.toISOString()).toBe('2026-06-10T16:00:00.000Z');
    expect(pickupPromise(base({ load: 20, capacity: 40 }))!.ready_by.toISOString()).toBe('2026-06-10T18:00:00.000Z');
    const t = pickupPromise(base({ leadDays: 2 }))!; // Friday
    expect(t.date).toBe('2026-06-12');
    expect(t.ready_by.toISOString()).toBe('2026-06-12T08:00:00.000Z');
    expect(pickupPromise(base({ leadDays: 4 }))!.date).toBe('2026-06-15'); // Sunday closed → Monday
  });

  it('uses the second interval after a lunch break, and the local timezone of the store', () => {
    const split: OpeningHours = {
      wed: [
        ['10:00', '14:00'],
        ['17:00', '21:00'],
      ],
    };
    const p = pickupPromise(base({ hours: split, now: new Date('2026-06-10T10:30:00Z') }))!; // 12:30 → 14:30
    expect(p.ready_by.toISOString()).toBe('2026-06-10T15:00:00.000Z'); // 17:00 local
    const lisbon = pickupPromise(base({ timezone: 'Europe/Lisbon' }))!; // 15:00 local → 17:00
    expect(lisbon.ready_by.toISOString()).toBe('2026-06-10T16:00:00.000Z');
  });

  it('gives no promise without published hours', () => {
    expect(pickupPromise(base({ hours: {} }))).toBeNull();
  });

  it('never promises a closed day or outside opening hours (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom('Europe/Madrid', 'Europe/Lisbon', 'Atlantic/Canary', 'America/New_York'),
        (now, leadDays, prepMinutes, timezone) => {
          const p = pickupPromise(base({ now, leadDays, prepMinutes, timezone }));
          if (!p) return false;
          const local = localParts(p.ready_by, timezone);
          const open = openIntervals(weekdays, local.date);
          return (
            local.date === p.date &&
            open.some(([o, c]) => local.minutes >= o && local.minutes + 60 <= c) &&
            p.ready_by.getTime() >= now.getTime() + prepMinutes * 60_000 - 60_000 &&
            p.collect_until > p.ready_by
          );
        },
      ),
    );
  });
});
