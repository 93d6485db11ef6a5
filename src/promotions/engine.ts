/**
 * The one pricing engine: basket lines with their catalog prices + the compiled promotions +
 * the quote context → a quote. Pure and deterministic (no clock, no I/O: `ctx.at` is given), so the
 * web, the till, the contact center and the quote API get the same answer for the same data.
 *
 * Order of evaluation (see docs/promotions.md): item promotions, then basket promotions on what is
 * left, then shipping. Within a phase exclusive promotions go first, then higher priority, then id.
 * An exclusive promotion never shares a line with another; a group admits one promotion per basket.
 */
import type { CompiledPromotion, PromotionIndex } from './compile.js';
import { formatMoney } from '../platform/money.js';
import { computeDiscount, refusalOf, type Slot } from './discounts.js';
import { gatherCandidates, type Candidates } from './candidates.js';
import { contextFailure } from './conditions.js';
import { vatOf } from './taxes.js';
import type {
  AppliedPromotion,
  CouponResult,
  ExplainedQuote,
  NotApplied,
  PricedLine,
  Quote,
  QuoteContext,
  QuoteLine,
} from './types.js';

/**
 * `explain`: build the `not_applied` verdicts (per line and per basket) with their reasons. They are
 * text for a person (the console's sandbox, a support agent) and were most of a quote's cost: the
 * default of the HTTP API and of carts is without them. Totals never depend on it (property-tested).
 */
export interface PriceOptions {
  explain?: boolean | undefined;
}

/**
 * A line being priced: the caller's facts copied once into an object of the engine's own shape, and
 * its state. Only the constructor reads the caller's objects: lines built by a spread
 * (`{ ...l, product_id, … }`) each get a hidden class of their own, so every read of them is
 * megamorphic (the benchmark built them so and measured 2.5× the CPU per quote); after the copy,
 * every read is of one shape.
 */
interface LineState extends Slot {
  line_id: string;
  listAmount: number;
  taxRate: number;
  gross: number;
  applied: AppliedPromotion[];
  /** Only filled when explaining (otherwise one shared empty array that nothing writes to). */
  notApplied: NotApplied[];
  /** Name of the exclusive promotion holding the line, if any. */
  heldBy: string | null;
}

const NO_VERDICTS: NotApplied[] = [];

/**
 * One quote being priced. A class of short methods rather than one long function: V8 optimises
 * small methods reliably, where one big function with everything inlined was measured to stay
 * unoptimised (TurboFan gave up on it) and ran 2–3× slower.
 *
 * Issue 17 (CPU per quote): no Map or Set per quote on the hot path (candidates are gathered on the
 * index's stamped scratch, applied promotions are only tracked when coupons ask), no array per
 * promotion (eligible lines and amounts go into two per-quote buffers), no text built that nobody
 * reads, and no closure made per call (tsx names every one it makes, at a cost).
 */
class Pricing {
  readonly states: LineState[];
  readonly quoteNotApplied: NotApplied[] = [];
  /** Applied promotion ids, kept only when the request has coupons (their verdicts need it). */
  readonly appliedIds: Set<string> | null;
  readonly firstReason = new Map<string, string>();
  groupHolder: Map<string, string> | null = null;
  readonly shipping: Quote['shipping'];
  readonly shippingAmount: number;
  readonly atMs: number;
  readonly hasCoupons: boolean;
  freeThreshold = -1;
  /** The eligible lines of the promotion being evaluated, and what it takes off each. */
  private readonly slots: LineState[];
  private readonly amounts: number[];

  constructor(
    private readonly index: PromotionIndex,
    lines: readonly PricedLine[],
    private readonly ctx: QuoteContext,
    private readonly explain: boolean,
  ) {
    const n = lines.length;
    this.states = new Array<LineState>(n);
    for (let i = 0; i < n; i++) {
      const line = lines[i]!;
      const gross = line.unit_price * line.quantity;
      this.states[i] = {
        line_id: line.line_id,
        sku: line.sku,
        product_id: line.product_id,
        category: line.category,
        size: line.size,
        unitPrice: line.unit_price,
        quantity: line.quantity,
        listAmount: line.list_amount,
        taxRate: line.tax_rate,
        gross,
        remaining: gross,
        applied: [],
        notApplied: explain ? [] : NO_VERDICTS,
        heldBy: null,
      };
    }
    this.slots = new Array<LineState>(n);
    this.amounts = new Array<number>(n).fill(0);
    this.atMs = ctx.at.getTime();
    this.hasCoupons = ctx.coupon_promotions.size > 0;
    this.appliedIds = this.hasCoupons ? new Set() : null;
    this.shippingAmount = ctx.shipping?.amount ?? 0;
    this.shipping = { method: ctx.shipping?.method ?? null, amount: this.shippingAmount, discount: 0 };
  }

  money(n: number): string {
    return formatMoney({ amount: n, currency: this.ctx.currency });
  }

  /** `money` as a function value, made once per quote and only when a text needs it. */
  private moneyFn: ((n: number) => string) | null = null;
  private formatter(): (n: number) => string {
    return (this.moneyFn ??= (n: number) => this.money(n));
  }

  candidates(): Candidates {
    return gatherCandidates(this.index, this.states, this.ctx);
  }

  /**
   * Whether a refusal of this promotion must be put into words: always when explaining; otherwise
   * only for a promotion unlocked by one of the request's coupons, since a rejected coupon carries
   * its reason (carts show it) whatever the mode.
   */
  private says(p: CompiledPromotion): boolean {
    return this.explain || (this.hasCoupons && this.ctx.coupon_promotions.has(p.id));
  }

  /** Records why `p` did not apply to the basket (or a shipping promotion). Callers ask `says(p)` first. */
  private refuseQuote(p: CompiledPromotion, text: string): void {
    if (!this.firstReason.has(p.id)) this.firstReason.set(p.id, text);
    if (this.explain) this.quoteNotApplied.push({ promotion_id: p.id, reason: text });
  }

  /** Records why the line promotion `p` did not apply to the first `n` (≥ 1) slots. Callers ask `says(p)` first. */
  private refuseSlots(p: CompiledPromotion, n: number, text: string): void {
    if (!this.firstReason.has(p.id)) this.firstReason.set(p.id, text);
    if (this.explain) for (let k = 0; k < n; k++) this.slots[k]!.notApplied.push({ promotion_id: p.id, reason: text });
  }

  /** Records why `p` did not apply to the lines `idx`. Callers ask `says(p)` first. */
  private refuseLines(p: CompiledPromotion, idx: readonly number[], text: string): void {
    if (!this.firstReason.has(p.id)) this.firstReason.set(p.id, text);
    if (!this.explain) return;
    if (idx.length === 0 || p.phase === 2) this.quoteNotApplied.push({ promotion_id: p.id, reason: text });
    else for (const i of idx) this.states[i]!.notApplied.push({ promotion_id: p.id, reason: text });
  }

  evaluate(p: CompiledPromotion, idx: readonly number[]): void {
    const failure = contextFailure(p, this.ctx, this.atMs);
    if (failure) {
      if (!this.says(p)) return;
      if (failure.silent) this.firstReason.set(p.id, failure.reason);
      else this.refuseLines(p, idx, failure.reason);
      return;
    }
    const holder = p.group && this.groupHolder ? this.groupHolder.get(p.group) : undefined;
    if (holder) {
      if (this.says(p)) this.refuseLines(p, idx, `group ${p.group} already used by ${holder}`);
    } else if (p.phase === 2) this.shippingPromotion(p, idx);
    else this.linePromotion(p, idx);
  }

  private taken(p: CompiledPromotion): void {
    if (this.appliedIds) this.appliedIds.add(p.id);
    if (p.group) (this.groupHolder ??= new Map()).set(p.group, p.name);
  }

  private shippingPromotion(p: CompiledPromotion, idx: readonly number[]): void {
    let sub = 0;
    for (const i of idx) sub += this.states[i]!.remaining;
    this.freeThreshold = this.freeThreshold < 0 ? p.threshold : Math.min(this.freeThreshold, p.threshold);
    if (this.shipping.free_shipping_reason !== undefined) {
      if (this.says(p)) this.refuseQuote(p, `shipping already free by ${this.shipping.free_shipping_reason}`);
    } else if (sub < p.threshold) {
      if (this.says(p))
        this.refuseQuote(p, `spend ${this.money(p.threshold - sub)} more on qualifying items for free shipping`);
    } else {
      this.shipping.discount = this.shippingAmount;
      this.shipping.free_shipping_reason = p.name;
      this.taken(p);
    }
  }

  /**
   * Puts into `slots` the lines this promotion may touch (not held by an exclusive one; an exclusive
   * one takes only untouched lines) and returns how many.
   */
  private eligibleLines(p: CompiledPromotion, idx: readonly number[]): number {
    const { explain, states, slots } = this;
    let n = 0;
    for (let k = 0; k < idx.length; k++) {
      const s = states[idx[k]!]!;
      if (s.heldBy !== null) {
        if (explain) s.notApplied.push({ promotion_id: p.id, reason: `line taken by exclusive promotion ${s.heldBy}` });
      } else if (p.exclusive && s.applied.length > 0) {
        if (explain)
          s.notApplied.push({
            promotion_id: p.id,
            reason: `exclusive, and the line already has ${s.applied[0]!.name}`,
          });
      } else if (s.remaining === 0) {
        if (explain) s.notApplied.push({ promotion_id: p.id, reason: 'nothing left to discount on the line' });
      } else slots[n++] = s;
    }
    return n;
  }

  private linePromotion(p: CompiledPromotion, idx: readonly number[]): void {
    const n = this.eligibleLines(p, idx);
    if (n === 0) {
      if (this.says(p) && !this.firstReason.has(p.id)) this.firstReason.set(p.id, 'no line left for it');
      return;
    }
    const { slots, amounts } = this;
    let sub = 0;
    for (let k = 0; k < n; k++) sub += slots[k]!.remaining;
    if (p.minSubtotal > 0 && sub < p.minSubtotal) {
      if (this.says(p))
        this.refuseSlots(
          p,
          n,
          `spend ${this.money(p.minSubtotal - sub)} more on qualifying items (minimum ${this.money(p.minSubtotal)})`,
        );
      return;
    }
    const reason = computeDiscount(p, slots, n, sub, amounts);
    if (reason === null) {
      if (this.says(p)) this.refuseSlots(p, n, refusalOf(p, slots, n, this.formatter()));
      return;
    }
    let total = 0;
    for (let k = 0; k < n; k++) total += amounts[k]!;
    if (total === 0) {
      if (this.says(p)) this.refuseSlots(p, n, `${reason}: nothing to take off`);
      return;
    }
    for (let k = 0; k < n; k++) {
      const s = slots[k]!;
      const a = amounts[k]!;
      if (a > 0) {
        s.remaining -= a;
        s.applied.push({ promotion_id: p.id, name: p.name, amount: a, reason });
      } else if (this.explain) {
        s.notApplied.push({
          promotion_id: p.id,
          reason: `${reason}: the line counted towards it, the discount went to other units`,
        });
      }
      if (p.exclusive) s.heldBy = p.name;
    }
    this.taken(p);
  }

  result(): Quote {
    const explain = this.explain;
    const { lineTax, breakdown } = vatOf(
      this.states,
      this.shippingAmount - this.shipping.discount,
      this.ctx.shipping_tax_rate,
    );
    let subtotal = 0;
    let lineDiscounts = 0;
    let taxTotal = 0;
    const states = this.states;
    const outLines = new Array<QuoteLine>(states.length);
    for (let i = 0; i < states.length; i++) {
      const s = states[i]!;
      subtotal += s.gross;
      lineDiscounts += s.gross - s.remaining;
      const out: QuoteLine = {
        line_id: s.line_id,
        sku: s.sku,
        quantity: s.quantity,
        unit_price: s.unitPrice,
        list_amount: s.listAmount,
        discount: s.gross - s.remaining,
        total: s.remaining,
        tax_rate: s.taxRate,
        tax_amount: lineTax[i]!,
        applied: s.applied,
      };
      if (explain) out.not_applied = s.notApplied;
      outLines[i] = out;
    }
    for (const b of breakdown) taxTotal += b.tax;
    const coupons: CouponResult[] = [];
    for (const [promotionId, code] of this.ctx.coupon_promotions) {
      if (this.appliedIds?.has(promotionId)) coupons.push({ code, status: 'applied' });
      else
        coupons.push({
          code,
          status: 'rejected',
          reason: this.firstReason.get(promotionId) ?? 'its promotion does not cover any item in the basket',
        });
    }
    const shipping = this.shipping;
    const quote: Quote = {
      currency: this.ctx.currency,
      channel_id: this.ctx.channel_id,
      lines: outLines,
      subtotal,
      discount_total: lineDiscounts + shipping.discount,
      shipping,
      tax_total: taxTotal,
      tax_breakdown: breakdown,
      total: subtotal - lineDiscounts + this.shippingAmount - shipping.discount,
      coupons,
    };
    if (this.freeThreshold >= 0) quote.free_shipping_threshold = this.freeThreshold;
    if (explain) quote.not_applied = this.quoteNotApplied;
    return quote;
  }
}

/**
 * Prices a basket. Without options (or with `explain: true`) the quote carries every verdict, as it
 * always did; `{ explain: false }` leaves `not_applied` out and skips building its reasons. The
 * amounts, `applied` and the coupons' verdicts (with a rejected coupon's reason) are the same.
 */
export function priceBasket(
  index: PromotionIndex,
  lines: readonly PricedLine[],
  ctx: QuoteContext,
  opts?: { explain?: true },
): ExplainedQuote;
export function priceBasket(
  index: PromotionIndex,
  lines: readonly PricedLine[],
  ctx: QuoteContext,
  opts: PriceOptions,
): Quote;
export function priceBasket(
  index: PromotionIndex,
  lines: readonly PricedLine[],
  ctx: QuoteContext,
  opts: PriceOptions = {},
): Quote {
  const run = new Pricing(index, lines, ctx, opts.explain ?? true);
  const { promos, lines: linesOf } = run.candidates();
  for (let k = 0; k < promos.length; k++) run.evaluate(promos[k]!, linesOf[k]!);
  return run.result();
}
