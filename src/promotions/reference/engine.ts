/**
 * The pricing engine as it was before issue 17's rework for CPU (commit bfb2d7d), kept only as the
 * property tests' oracle (engine.reference.props.unit.test.ts): the fast engine must give exactly
 * its quotes, explanations included. Straightforward Maps, arrays and eager texts; never used to
 * price. One change from that commit: a coupon naming an automatic promotion that the channel already
 * offers no longer meets the promotion twice (it took its discount twice), as in the fast engine.
 */
import { candidatesOf, channelIndex, lineInScope, type CompiledPromotion, type PromotionIndex } from '../compile.js';
import { formatMoney } from '../../platform/money.js';
import { computeDiscount, type Slot } from './discounts.js';
import { distribute, includedTax } from '../rounding.js';
import type {
  AppliedPromotion,
  CouponResult,
  ExplainedQuote,
  NotApplied,
  PricedLine,
  Quote,
  QuoteContext,
  QuoteLine,
} from '../types.js';

/**
 * `explain`: build the `not_applied` verdicts (per line and per basket) with their reasons. They are
 * text for a person (the console's sandbox, a support agent) and were most of a quote's cost: the
 * default of the HTTP API and of carts is without them. Totals never depend on it (property-tested).
 */
export interface PriceOptions {
  explain?: boolean | undefined;
}

/**
 * Why a promotion cannot apply in this context at all, or null when it may. A `silent` failure
 * (outside its dates, another currency, location or channel) means the promotion does not exist for
 * this quote: lines do not mention it, so a channel never sees another's offers and a scheduled
 * promotion stays unannounced. The others (customer conditions) are shown, as something the customer
 * can act on.
 */
const NOT_STARTED = { reason: 'the promotion has not started', silent: true } as const;
const ENDED = { reason: 'the promotion has ended', silent: true } as const;
const OTHER_CURRENCY = { reason: 'the promotion is in another currency', silent: true } as const;
const OTHER_CHANNEL = { reason: 'not offered on this channel', silent: true } as const;
const OTHER_LOCATION = { reason: 'not offered at this location', silent: true } as const;
const SEGMENT = { reason: 'the customer is not in a qualifying segment', silent: false } as const;
const FIRST_ORDER = { reason: "only for a customer's first order", silent: false } as const;
const NEEDS_COUPON = { reason: 'needs a coupon', silent: true } as const;

export function contextFailure(p: CompiledPromotion, ctx: QuoteContext): { reason: string; silent: boolean } | null {
  const at = ctx.at.getTime();
  if (p.startsMs !== null && at < p.startsMs) return NOT_STARTED;
  if (p.endsMs !== null && at >= p.endsMs) return ENDED;
  if (p.usesAmounts && p.currency !== ctx.currency) return OTHER_CURRENCY;
  if (p.channels && !p.channels.has(ctx.channel_id)) return OTHER_CHANNEL;
  if (p.locations && (ctx.location_id === null || !p.locations.has(ctx.location_id))) return OTHER_LOCATION;
  const c = ctx.customer;
  if (p.segments && !c.segments.some((s) => p.segments!.has(s))) return SEGMENT;
  if (p.consents && !p.consents.every((k) => c.consents.includes(k)))
    return { reason: `needs the customer's consent to ${p.consents.join(', ')}`, silent: false };
  if (p.firstOrder && !c.first_order) return FIRST_ORDER;
  if (p.couponRequired && !ctx.coupon_promotions.has(p.id)) return NEEDS_COUPON;
  return null;
}

interface LineState extends Slot {
  gross: number;
  applied: AppliedPromotion[];
  notApplied: NotApplied[];
  /** Name of the exclusive promotion holding the line, if any. */
  heldBy: string | null;
}

/**
 * One quote being priced. A class of short methods rather than one long function: V8 optimises
 * small methods reliably, where one big function with everything inlined was measured to stay
 * unoptimised (TurboFan gave up on it) and ran 2–3× slower.
 */
class Pricing {
  readonly states: LineState[];
  readonly quoteNotApplied: NotApplied[] = [];
  readonly appliedIds = new Set<string>();
  readonly firstReason = new Map<string, string>();
  readonly groupHolder = new Map<string, string>();
  readonly shipping: Quote['shipping'];
  readonly shippingAmount: number;
  freeThreshold = -1;

  constructor(
    private readonly index: PromotionIndex,
    lines: readonly PricedLine[],
    private readonly ctx: QuoteContext,
    private readonly explain: boolean,
  ) {
    this.states = lines.map((line) => ({
      line,
      gross: line.unit_price * line.quantity,
      remaining: line.unit_price * line.quantity,
      applied: [],
      notApplied: [],
      heldBy: null,
    }));
    this.shippingAmount = ctx.shipping?.amount ?? 0;
    this.shipping = { method: ctx.shipping?.method ?? null, amount: this.shippingAmount, discount: 0 };
  }

  money(n: number): string {
    return formatMoney({ amount: n, currency: this.ctx.currency });
  }

  /**
   * The candidate promotions in evaluation order, each with the lines it covers: the channel's
   * automatic promotions through the scope index, plus those unlocked by this quote's coupons.
   */
  candidates(): { promos: CompiledPromotion[]; linesOf: Map<CompiledPromotion, number[]> } {
    const { index, states } = this;
    const sidx = channelIndex(index, this.ctx.channel_id);
    const unlocked: CompiledPromotion[] = [];
    for (const id of this.ctx.coupon_promotions.keys()) {
      const p = index.byId.get(id);
      if (p) unlocked.push(p);
    }
    const linesOf = new Map<CompiledPromotion, number[]>();
    const offered = (p: CompiledPromotion) => !p.couponRequired && (!p.channels || p.channels.has(this.ctx.channel_id));
    const add = (p: CompiledPromotion, i: number) => {
      const l = linesOf.get(p);
      if (l) l.push(i);
      else linesOf.set(p, [i]);
    };
    for (let i = 0; i < states.length; i++) {
      const line = states[i]!.line;
      const list = candidatesOf(sidx, line);
      for (let k = 0; k < list.length; k++) add(list[k]!, i);
      // a promotion the channel index lists was met above
      for (const p of unlocked) if (lineInScope(p, line) && !offered(p)) add(p, i);
    }
    if (sidx.basketWide.length) {
      const every = states.map((_, i) => i);
      for (const p of sidx.basketWide) linesOf.set(p, every);
    }
    // evaluation order = rank order; a pass over a byte map beats sorting the candidates per quote
    const present = new Uint8Array(index.all.length);
    for (const p of linesOf.keys()) present[p.rank] = 1;
    const promos: CompiledPromotion[] = [];
    for (let r = 0; r < present.length; r++) if (present[r] === 1) promos.push(index.all[r]!);
    return { promos, linesOf };
  }

  /**
   * Whether a refusal of this promotion must be put into words: always when explaining; otherwise
   * only for a promotion unlocked by one of the request's coupons, since a rejected coupon carries
   * its reason (carts show it) whatever the mode.
   */
  private says(p: CompiledPromotion): boolean {
    return this.explain || this.ctx.coupon_promotions.has(p.id);
  }

  /** Records why `p` did not apply. Callers ask `says(p)` first, so no text is built for nobody. */
  refuse(p: CompiledPromotion, idx: readonly number[], text: string): void {
    if (!this.firstReason.has(p.id)) this.firstReason.set(p.id, text);
    if (!this.explain) return;
    if (idx.length === 0 || p.phase === 2) this.quoteNotApplied.push({ promotion_id: p.id, reason: text });
    else for (const i of idx) this.states[i]!.notApplied.push({ promotion_id: p.id, reason: text });
  }

  evaluate(p: CompiledPromotion, idx: readonly number[]): void {
    const failure = contextFailure(p, this.ctx);
    if (failure) {
      if (failure.silent) {
        if (this.says(p)) this.firstReason.set(p.id, failure.reason);
      } else if (this.says(p)) this.refuse(p, idx, failure.reason);
      return;
    }
    const holder = p.group ? this.groupHolder.get(p.group) : undefined;
    if (holder) {
      if (this.says(p)) this.refuse(p, idx, `group ${p.group} already used by ${holder}`);
    } else if (p.phase === 2) this.shippingPromotion(p, idx);
    else this.linePromotion(p, idx);
  }

  private taken(p: CompiledPromotion): void {
    this.appliedIds.add(p.id);
    if (p.group) this.groupHolder.set(p.group, p.name);
  }

  private shippingPromotion(p: CompiledPromotion, idx: readonly number[]): void {
    let sub = 0;
    for (const i of idx) sub += this.states[i]!.remaining;
    this.freeThreshold = this.freeThreshold < 0 ? p.threshold : Math.min(this.freeThreshold, p.threshold);
    if (this.shipping.free_shipping_reason !== undefined) {
      if (this.says(p)) this.refuse(p, [], `shipping already free by ${this.shipping.free_shipping_reason}`);
    } else if (sub < p.threshold) {
      if (this.says(p))
        this.refuse(p, [], `spend ${this.money(p.threshold - sub)} more on qualifying items for free shipping`);
    } else {
      this.shipping.discount = this.shippingAmount;
      this.shipping.free_shipping_reason = p.name;
      this.taken(p);
    }
  }

  /** Lines this promotion may touch: not held by an exclusive one; an exclusive one takes only untouched lines. */
  private eligibleLines(p: CompiledPromotion, idx: readonly number[]): number[] {
    const eligible: number[] = [];
    const explain = this.explain;
    for (const i of idx) {
      const s = this.states[i]!;
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
      } else eligible.push(i);
    }
    return eligible;
  }

  private linePromotion(p: CompiledPromotion, idx: readonly number[]): void {
    const eligible = this.eligibleLines(p, idx);
    if (eligible.length === 0) {
      if (this.says(p) && !this.firstReason.has(p.id)) this.firstReason.set(p.id, 'no line left for it');
      return;
    }
    const slots: LineState[] = [];
    let sub = 0;
    for (const i of eligible) {
      const s = this.states[i]!;
      slots.push(s);
      sub += s.remaining;
    }
    if (p.minSubtotal > 0 && sub < p.minSubtotal) {
      if (this.says(p))
        this.refuse(
          p,
          eligible,
          `spend ${this.money(p.minSubtotal - sub)} more on qualifying items (minimum ${this.money(p.minSubtotal)})`,
        );
      return;
    }
    const out = computeDiscount(p, slots, (n) => this.money(n));
    let total = 0;
    if (out.amounts) for (const a of out.amounts) total += a;
    if (!out.amounts || total === 0) {
      if (this.says(p)) this.refuse(p, eligible, out.amounts ? `${out.reason}: nothing to take off` : out.reason);
      return;
    }
    for (let k = 0; k < slots.length; k++) {
      const s = slots[k]!;
      const a = out.amounts[k]!;
      if (a > 0) {
        s.remaining -= a;
        s.applied.push({ promotion_id: p.id, name: p.name, amount: a, reason: out.reason });
      } else if (this.explain) {
        s.notApplied.push({
          promotion_id: p.id,
          reason: `${out.reason}: the line counted towards it, the discount went to other units`,
        });
      }
      if (p.exclusive) s.heldBy = p.name;
    }
    this.taken(p);
  }

  /** VAT is inside the prices: per rate, the tax of the rate's total, spread over its lines exactly. */
  taxes(): { lineTax: number[]; breakdown: Quote['tax_breakdown'] } {
    const { states, ctx } = this;
    const byRate = new Map<number, number[]>();
    states.forEach((s, i) => {
      const l = byRate.get(s.line.tax_rate);
      if (l) l.push(i);
      else byRate.set(s.line.tax_rate, [i]);
    });
    const shipNet = this.shippingAmount - this.shipping.discount;
    const lineTax = new Array<number>(states.length).fill(0);
    const breakdown: Quote['tax_breakdown'] = [];
    const rates = new Set([...byRate.keys(), ...(shipNet > 0 ? [ctx.shipping_tax_rate] : [])]);
    for (const rate of [...rates].sort((a, b) => b - a)) {
      const idx = byRate.get(rate) ?? [];
      const weights = idx.map((i) => states[i]!.remaining);
      if (shipNet > 0 && rate === ctx.shipping_tax_rate) weights.push(shipNet);
      let gross = 0;
      for (const w of weights) gross += w;
      const tax = includedTax(gross, rate);
      if (gross > 0) {
        const shares = distribute(tax, weights);
        idx.forEach((i, k) => (lineTax[i] = shares[k]!));
      }
      breakdown.push({ rate, base: gross - tax, tax });
    }
    return { lineTax, breakdown };
  }

  result(): Quote {
    const explain = this.explain;
    const { lineTax, breakdown } = this.taxes();
    let subtotal = 0;
    let lineDiscounts = 0;
    let taxTotal = 0;
    const outLines: QuoteLine[] = this.states.map((s, i) => {
      subtotal += s.gross;
      lineDiscounts += s.gross - s.remaining;
      return {
        line_id: s.line.line_id,
        sku: s.line.sku,
        quantity: s.line.quantity,
        unit_price: s.line.unit_price,
        list_amount: s.line.list_amount,
        discount: s.gross - s.remaining,
        total: s.remaining,
        tax_rate: s.line.tax_rate,
        tax_amount: lineTax[i]!,
        applied: s.applied,
        ...(explain ? { not_applied: s.notApplied } : {}),
      };
    });
    for (const b of breakdown) taxTotal += b.tax;
    const coupons: CouponResult[] = [];
    for (const [promotionId, code] of this.ctx.coupon_promotions) {
      if (this.appliedIds.has(promotionId)) coupons.push({ code, status: 'applied' });
      else
        coupons.push({
          code,
          status: 'rejected',
          reason: this.firstReason.get(promotionId) ?? 'its promotion does not cover any item in the basket',
        });
    }
    const shipping = this.shipping;
    return {
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
      ...(this.freeThreshold >= 0 ? { free_shipping_threshold: this.freeThreshold } : {}),
      ...(explain ? { not_applied: this.quoteNotApplied } : {}),
    };
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
  const { promos, linesOf } = run.candidates();
  for (const p of promos) run.evaluate(p, linesOf.get(p)!);
  return run.result();
}
