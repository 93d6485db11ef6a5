/**
 * Receiving a transfer at the store: what the associate counted per line becomes the receipt the API
 * takes (`POST /v1/transfers/{id}/receive`). Pure. Counts are refused, never clamped: more than is
 * still expected, or not a whole number, is an error on that line. Closing short needs a reason.
 */
export interface OpenTransferLine {
  sku: string;
  shipped: number;
  received: number;
}

export interface ReceiptBody {
  lines: { sku: string; quantity: number }[];
  close?: boolean;
  reason?: string;
}

export type ReceiptError = { sku: string; key: 'not_whole' | 'too_many' } | { sku: null; key: 'reason_required' };

export const remaining = (l: OpenTransferLine) => l.shipped - l.received;

export function receiptBody(
  lines: readonly OpenTransferLine[],
  counted: Readonly<Record<string, string>>,
  close: boolean,
  reason: string,
): { body: ReceiptBody | null; errors: ReceiptError[]; shortfall: number } {
  const errors: ReceiptError[] = [];
  const out: ReceiptBody['lines'] = [];
  let shortfall = 0;
  for (const l of lines) {
    const raw = (counted[l.sku] ?? String(remaining(l))).trim();
    const n = raw === '' ? 0 : Number(raw);
    if (!Number.isInteger(n) || n < 0) {
      errors.push({ sku: l.sku, key: 'not_whole' });
      continue;
    }
    if (n > remaining(l)) {
      errors.push({ sku: l.sku, key: 'too_many' });
      continue;
    }
    shortfall += remaining(l) - n;
    out.push({ sku: l.sku, quantity: n });
  }
  const why = reason.trim();
  if (close && shortfall > 0 && !why) errors.push({ sku: null, key: 'reason_required' });
  if (errors.length) return { body: null, errors, shortfall };
  return {
    body: { lines: out, ...(close ? { close: true } : {}), ...(close && shortfall > 0 ? { reason: why } : {}) },
    errors,
    shortfall: close ? shortfall : 0,
  };
}
