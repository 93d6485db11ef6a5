/**
 * One coupon batch as CSV, for printing or a mailing tool (the batch's codes are read by
 * store.batchCoupons). Pure. Hand-written: five columns of codes, flags and ISO dates need RFC 4180
 * quoting only in principle, not a CSV library.
 */
import type { BatchCouponRow } from './store.js';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One batch as CSV (CRLF lines, header first), for printing or a mailing tool. */
export function batchCsv(rows: BatchCouponRow[]): string {
  const lines = [['code', 'redeemed', 'active', 'starts_at', 'ends_at'].join(',')];
  for (const r of rows)
    lines.push(
      [r.code, r.redemptions > 0, r.active, r.starts_at?.toISOString() ?? null, r.ends_at?.toISOString() ?? null]
        .map(csvField)
        .join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}
