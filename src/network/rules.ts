/** Pure rules of the network: geography, opening hours, policy checks. No I/O. */
import type { FieldError } from '../platform/http/problems.js';
import type { OpeningHours, StockPolicy } from './types.js';
import { WEEKDAYS } from './types.js';

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance (haversine), in km. */
export function distanceKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLng = (lng2 - lng1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function openingHoursErrors(hours: OpeningHours): FieldError[] {
  const errors: FieldError[] = [];
  for (const [day, intervals] of Object.entries(hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      errors.push({ field: `opening_hours/${day}`, message: `is not a weekday (${WEEKDAYS.join(', ')})` });
      continue;
    }
    let lastClose = '';
    (intervals ?? []).forEach(([open, close], i) => {
      const field = `opening_hours/${day}/${i}`;
      if (!HHMM.test(open) || !HHMM.test(close)) errors.push({ field, message: 'times must be HH:MM' });
      else if (open >= close) errors.push({ field, message: 'opens after it closes' });
      else if (open < lastClose) errors.push({ field, message: 'overlaps the previous interval' });
      lastClose = close;
    });
  }
  return errors;
}

/** Is the location open at this local weekday and time ("HH:MM")? */
export function isOpen(hours: OpeningHours, day: (typeof WEEKDAYS)[number], time: string): boolean {
  return (hours[day] ?? []).some(([open, close]) => time >= open && time < close);
}

/** A policy may only name locations that exist; duplicates are collapsed, never silently kept. */
export function stockPolicyErrors(policy: StockPolicy, knownLocationIds: ReadonlySet<string>): FieldError[] {
  if (policy.locations === 'all') return [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  policy.locations.forEach((id, i) => {
    if (!knownLocationIds.has(id))
      errors.push({ field: `stock_policy/locations/${i}`, message: `location ${id} does not exist` });
    if (seen.has(id)) errors.push({ field: `stock_policy/locations/${i}`, message: `location ${id} is listed twice` });
    seen.add(id);
  });
  return errors;
}
