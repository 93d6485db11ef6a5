/**
 * Returns as a pure decision: the order as it stands (lines, what was fulfilled, what was already
 * returned and refunded, what was paid), the request and the policy in; the return to record or the
 * list of refusals out. Nothing here reads the clock or the database.
 */
import type { FieldError } from '../platform/http/problems.js';
import { distribute } from '../promotions/index.js';

export const CONDITIONS = ['sellable', 'damaged'] as const;
export type Condition = (typeof CONDITIONS)[number];
export const REFUND_METHODS = ['original', 'store_credit'] as const;
export type RefundMethod = (typeof REFUND_METHODS)[number];

export interface OrderLineFacts {
  line_id: string;
  sku: string;
  product_id: string | null;
  quantity: number;
  fulfilled_quantity: number;
  /** What the customer paid for the whole line, minor units. */
  total: number;
  returnable: boolean;
  /** Units of this line already returned (earlier returns). */
  returned: number;
}

export interface ReturnRequestLine {
  line_id: string;
  quantity: number;
  reason: string;
  condition?: Condition;
}
export interface ExchangeRequestLine {
  /** The returned line it replaces (a size or colour swap of the same product, same price). */
  for_line_id: string;
  sku: string;
  quantity: number;
}

export interface ReturnPolicy {
  windowDays: number;
}

export interface ReturnFacts {
  placedAt: Date;
  now: Date;
  lines: OrderLineFacts[];
  /** Captured minus already refunded on the original payment (store credit is not limited by it). */
  refundableOnPayment: number;
  /** Product of each exchange SKU (null if unknown). */
  exchangeProducts: Map<string, string | null>;
}

export interface DecidedLine {
  line_id: string;
  sku: string;
  quantity: number;
  reason: string;
  condition: Condition;
  /** Refund for these units (0 for units exchanged). */
  refund: number;
  restock: 'restock' | 'damage';
}

export type ReturnDecision =
  | { ok: true; lines: DecidedLine[]; refund: number; exchange: ExchangeRequestLine[] }
  | {
      ok: false;
      type:
        'validation_failed' | 'return_window_closed' | 'not_returnable' | 'already_returned' | 'refund_exceeds_paid';
      detail: string;
      errors: FieldError[];
    };

/**
 * The refund for `q` more units of a line, prorated on what was paid, cumulatively so that rounding
 * never lets the refunds of a line add up to more than its total.
 */
export function proratedRefund(total: number, quantity: number, returnedBefore: number, q: number): number {
  const upTo = (n: number) => Math.floor((total * n) / quantity);
  return upTo(returnedBefore + q) - upTo(returnedBefore);
}

export function decideReturn(
  facts: ReturnFacts,
  req: {
    lines: ReturnRequestLine[];
    exchange?: ExchangeRequestLine[];
    refund: RefundMethod;
    refund_amount?: number | undefined;
  },
  policy: ReturnPolicy,
): ReturnDecision {
  const refuse = (
    type: Exclude<ReturnDecision, { ok: true }>['type'],
    detail: string,
    errors: FieldError[] = [],
  ): ReturnDecision => ({ ok: false, type, detail, errors });
  if (req.lines.length === 0)
    return refuse('validation_failed', 'name at least one line to return', [
      { field: 'lines', message: 'at least one line' },
    ]);
  const closes = facts.placedAt.getTime() + policy.windowDays * 86_400_000;
  if (facts.now.getTime() > closes) {
    return refuse(
      'return_window_closed',
      `the ${policy.windowDays}-day return window closed on ${new Date(closes).toISOString().slice(0, 10)}`,
    );
  }
  const byId = new Map(facts.lines.map((l) => [l.line_id, l]));
  const seen = new Set<string>();
  const out: DecidedLine[] = [];
  for (const [i, r] of req.lines.entries()) {
    const line = byId.get(r.line_id);
    const field = `lines/${i}`;
    if (!line)
      return refuse('validation_failed', `line ${r.line_id} is not in this order`, [
        { field: `${field}/line_id`, message: 'not in this order' },
      ]);
    if (seen.has(r.line_id))
      return refuse('validation_failed', `line ${r.line_id} is named twice`, [
        { field: `${field}/line_id`, message: 'named twice' },
      ]);
    seen.add(r.line_id);
    if (!Number.isInteger(r.quantity) || r.quantity < 1)
      return refuse('validation_failed', 'quantity must be a positive integer', [
        { field: `${field}/quantity`, message: 'a positive integer' },
      ]);
    if (!r.reason.trim())
      return refuse('validation_failed', 'a return needs a reason', [
        { field: `${field}/reason`, message: 'required' },
      ]);
    if (!line.returnable)
      return refuse('not_returnable', `${line.sku} cannot be returned`, [
        { field: `${field}/line_id`, message: 'not returnable' },
      ]);
    const open = line.fulfilled_quantity - line.returned;
    if (r.quantity > open) {
      const detail =
        line.returned > 0
          ? `line ${line.line_id}: ${line.returned} of ${line.fulfilled_quantity} delivered units are already returned; ${open} left`
          : `line ${line.line_id}: only ${open} unit(s) were delivered`;
      return refuse(line.returned > 0 ? 'already_returned' : 'validation_failed', detail, [
        { field: `${field}/quantity`, message: `at most ${open}` },
      ]);
    }
    const condition = r.condition ?? 'sellable';
    out.push({
      line_id: line.line_id,
      sku: line.sku,
      quantity: r.quantity,
      reason: r.reason.trim(),
      condition,
      refund: proratedRefund(line.total, line.quantity, line.returned, r.quantity),
      restock: condition === 'sellable' ? 'restock' : 'damage',
    });
  }
  // Exchanges: a swap of the same product, no more units than returned from that line; not refunded.
  const exchange = req.exchange ?? [];
  const swapped = new Map<string, number>();
  for (const [i, x] of exchange.entries()) {
    const field = `exchange/${i}`;
    const ret = out.find((l) => l.line_id === x.for_line_id);
    if (!ret)
      return refuse('validation_failed', `exchange ${i} must replace a line being returned`, [
        { field: `${field}/for_line_id`, message: 'not returned in this request' },
      ]);
    if (!Number.isInteger(x.quantity) || x.quantity < 1)
      return refuse('validation_failed', 'quantity must be a positive integer', [
        { field: `${field}/quantity`, message: 'a positive integer' },
      ]);
    const n = (swapped.get(x.for_line_id) ?? 0) + x.quantity;
    if (n > ret.quantity)
      return refuse('validation_failed', `exchange for ${x.for_line_id} exceeds the ${ret.quantity} returned`, [
        { field: `${field}/quantity`, message: `at most ${ret.quantity}` },
      ]);
    swapped.set(x.for_line_id, n);
    const product = facts.exchangeProducts.get(x.sku);
    const orig = byId.get(x.for_line_id)!.product_id;
    if (product === undefined || product === null)
      return refuse('validation_failed', `${x.sku} is not a known SKU`, [
        { field: `${field}/sku`, message: 'unknown' },
      ]);
    if (orig !== null && product !== orig)
      return refuse(
        'validation_failed',
        `an exchange swaps size or colour of the same product; ${x.sku} is another product`,
        [{ field: `${field}/sku`, message: 'another product' }],
      );
  }
  for (const l of out) {
    const n = swapped.get(l.line_id) ?? 0;
    if (n > 0) {
      const line = byId.get(l.line_id)!;
      // The swapped units keep their value; only the rest is refunded.
      l.refund = proratedRefund(line.total, line.quantity, line.returned + n, l.quantity - n);
    }
  }
  let refund = out.reduce((a, l) => a + l.refund, 0);
  if (req.refund_amount !== undefined) {
    if (!Number.isInteger(req.refund_amount) || req.refund_amount < 0)
      return refuse('validation_failed', 'refund_amount must be a non-negative integer', [
        { field: 'refund_amount', message: 'minor units' },
      ]);
    if (req.refund_amount > refund) {
      return refuse(
        'refund_exceeds_paid',
        `a refund of ${req.refund_amount} is more than the ${refund} paid for the returned units`,
        [{ field: 'refund_amount', message: `at most ${refund}` }],
      );
    }
    // A smaller refund (restocking fee, goodwill already given) lowers the lines' refunds in proportion,
    // by largest remainder like pricing: the shares add up exactly and none exceeds its line's own refund
    // (the last line taking the rounding gave 50/50/1 refunded 100 as 49/49/2).
    const shares =
      refund > 0
        ? distribute(
            req.refund_amount,
            out.map((l) => l.refund),
          )
        : out.map(() => 0);
    out.forEach((l, i) => (l.refund = shares[i]!));
    refund = req.refund_amount;
  }
  if (req.refund === 'original' && refund > facts.refundableOnPayment) {
    return refuse(
      'refund_exceeds_paid',
      `the original payment has ${facts.refundableOnPayment} left to refund, less than ${refund}`,
      [{ field: 'refund', message: 'use store_credit or a smaller amount' }],
    );
  }
  return { ok: true, lines: out, refund, exchange };
}
