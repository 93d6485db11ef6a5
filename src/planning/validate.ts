import type { Result, RuleError } from './types.js';

/** Shared input checks: each returns the error for a bad value, or null when the value is fine. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
export function fail<T>(field: string, message: string, code: RuleError['code'] = 'invalid_input'): Result<T> {
  return { ok: false, error: { code, field, message } };
}
export function badNumber(field: string, v: number, min: number, max = Infinity): RuleError | null {
  if (!Number.isFinite(v) || v < min || v > max) {
    return { code: 'invalid_input', field, message: `${field} must be a number in [${min}, ${max}], got ${v}` };
  }
  return null;
}
export function badInt(field: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): RuleError | null {
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    return { code: 'invalid_input', field, message: `${field} must be an integer in [${min}, ${max}], got ${v}` };
  }
  return null;
}
export function badServiceLevel(field: string, p: number): RuleError | null {
  // Below 0.5 the safety stock would be negative: a target nobody means, so it is refused.
  if (!Number.isFinite(p) || p < 0.5 || p >= 1) {
    return { code: 'invalid_input', field, message: `${field} must be in [0.5, 1), got ${p}` };
  }
  return null;
}
/** The first error of a list of checks, as a failed result. */
export function firstError<T>(...errors: (RuleError | null)[]): Result<T> | null {
  const e = errors.find((x) => x !== null);
  return e ? { ok: false, error: e } : null;
}
