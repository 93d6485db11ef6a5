import type { Result, RuleError } from './types.js';

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
export function fail<T>(field: string, message: string): Result<T> {
  return { ok: false, error: { code: 'invalid_input', field, message } };
}
export function badInt(field: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): RuleError | null {
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    return { code: 'invalid_input', field, message: `${field} must be an integer in [${min}, ${max}], got ${v}` };
  }
  return null;
}
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Days since 1970-01-01 of a YYYY-MM-DD calendar day, or null when it is not a real date. */
export function epochDay(day: string): number | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2026-02-30 over to March: a round trip catches such non-dates.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms / 86_400_000 : null;
}
export function dayString(epoch: number): string {
  return new Date(epoch * 86_400_000).toISOString().slice(0, 10);
}
export function firstError<T>(...errors: (RuleError | null)[]): Result<T> | null {
  const e = errors.find((x) => x !== null);
  return e ? { ok: false, error: e } : null;
}
