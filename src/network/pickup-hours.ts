/**
 * Pickup times from a location's opening hours and timezone: when an order can be ready
 * ("today from 18:00", "tomorrow from 10:00") and until when it can be collected that day. Pure:
 * the clock, hours, load and lead days come in as arguments. Local wall times are turned into
 * instants with the platform's Intl time-zone data (no hand-kept offset tables), so DST days
 * (23 or 25 hours) come out right.
 */
import { WEEKDAYS, type OpeningHours, type Weekday } from './types.js';

export interface PickupPromiseInput {
  hours: OpeningHours;
  timezone: string;
  now: Date;
  /** Whole days before the goods are at the location (0: on its shelf now; transfers, carrier days). */
  leadDays: number;
  /** Open-hours minutes the store needs to pick and pack goods it already holds. */
  prepMinutes: number;
  /** A promise leaves at least this long to collect before closing, else it moves to the next opening. */
  minCollectMinutes: number;
  /** Open fulfilment tasks today and the store's daily capacity (0: unlimited). */
  load: number;
  capacity: number;
  /** How far to look for an open day (a location closed this long gets no promise). */
  horizonDays?: number | undefined;
}

export interface PickupPromise {
  /** The instant the order is ready to collect (always inside opening hours). */
  ready_by: Date;
  /** Closing time of that day: the collect window ends then. */
  collect_until: Date;
  /** The ready day as a local date (YYYY-MM-DD) in the location's timezone. */
  date: string;
  /** Relative to the location's local today, for "ready today / tomorrow" wording. */
  when: 'today' | 'tomorrow' | 'later';
}

export const DEFAULT_PICKUP_TIMING = { prepMinutes: 120, minCollectMinutes: 60, roundMinutes: 15 } as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Local calendar date and minutes since local midnight of an instant. */
export function localParts(at: Date, tz: string): { date: string; minutes: number; offsetMinutes: number } {
  const p = Object.fromEntries(
    formatter(tz)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  const [y, mo, d, h, mi, s] = [p.year, p.month, p.day, p.hour, p.minute, p.second].map(Number) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const offsetMinutes = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: h! * 60 + mi!, offsetMinutes };
}

/** The instant of a local wall time (minutes since local midnight, 1440 = next midnight) on a local date. */
export function zonedInstant(date: string, minutes: number, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  // The offset at the guess may differ from the offset at the answer across a DST change: settle it twice.
  let t = wall - localParts(new Date(wall), tz).offsetMinutes * 60_000;
  const o = localParts(new Date(t), tz).offsetMinutes;
  t = wall - o * 60_000;
  return new Date(t);
}

export function addLocalDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A day's open intervals in minutes, in order. */
export function openIntervals(hours: OpeningHours, date: string): [number, number][] {
  return (hours[weekdayOf(date)] ?? [])
    .map(([o, c]) => [toMinutes(o), toMinutes(c)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

/** Does the location publish any opening hours at all? (None: times are unknown, not "always closed".) */
export function hasOpeningHours(hours: OpeningHours): boolean {
  return WEEKDAYS.some((d) => (hours[d] ?? []).length > 0);
}

/**
 * Picking time under load: the base time while the store uses less than half its daily capacity,
 * twice that from half on (its associates are busy with the other tasks); a full store starts tomorrow.
 */
export function loadedPrepMinutes(prepMinutes: number, load: number, capacity: number): number {
  return capacity > 0 && load * 2 >= capacity ? prepMinutes * 2 : prepMinutes;
}

/**
 * The pickup promise: goods on the shelf are ready `prepMinutes` (doubled past half the capacity) after now (rounded up to a quarter
 * hour) if that still leaves `minCollectMinutes` before the interval closes; a store at its daily
 * capacity starts tomorrow; goods still to arrive are ready from the opening of the first open day
 * on or after their arrival (prepared before the doors open). Never on a closed day; null when the
 * location publishes no hours or opens nowhere within the horizon.
 */
export function pickupPromise(input: PickupPromiseInput): PickupPromise | null {
  const { hours, timezone: tz } = input;
  if (!hasOpeningHours(hours)) return null;
  const here = localParts(input.now, tz);
  const full = input.capacity > 0 && input.load >= input.capacity;
  const startOffset = input.leadDays + (full && input.leadDays === 0 ? 1 : 0);
  // Minutes on the first candidate day before which it cannot be ready (-1: from opening).
  const round = DEFAULT_PICKUP_TIMING.roundMinutes;
  const earliest =
    startOffset === 0
      ? Math.ceil((here.minutes + loadedPrepMinutes(input.prepMinutes, input.load, input.capacity)) / round) * round
      : Number.NEGATIVE_INFINITY;
  const horizon = input.horizonDays ?? 14;
  for (let i = startOffset; i <= startOffset + horizon; i++) {
    const date = addLocalDays(here.date, i);
    const intervals = openIntervals(hours, date);
    if (!intervals.length) continue;
    const close = intervals[intervals.length - 1]![1];
    for (const [open, shut] of intervals) {
      const ready = Math.max(open, i === startOffset ? earliest : open);
      if (ready + input.minCollectMinutes > shut) continue;
      return {
        ready_by: zonedInstant(date, ready, tz),
        collect_until: zonedInstant(date, close, tz),
        date,
        when: i === 0 ? 'today' : i === 1 ? 'tomorrow' : 'later',
      };
    }
  }
  return null;
}
