/**
 * Which promotions a quote meets, and on which lines: the channel's automatic promotions through the
 * scope index (per SKU, memoised), those unlocked by the quote's coupons, and the basket-wide
 * shipping ones, in evaluation order. Pure (the index's scratch aside, see CandidateWork).
 */
import {
  candidatesOf,
  channelIndex,
  lineInScope,
  offeredOn,
  type CompiledPromotion,
  type LineFacts,
  type PromotionIndex,
} from './compile.js';
import type { QuoteContext } from './types.js';

/** The candidates of one quote: promotions in evaluation order and, at the same position, their lines. */
export interface Candidates {
  promos: CompiledPromotion[];
  lines: number[][];
}

/**
 * The candidate promotions in evaluation order, each with the lines it covers: the channel's
 * automatic promotions through the scope index, plus those unlocked by this quote's coupons.
 */
export function gatherCandidates(index: PromotionIndex, states: readonly LineFacts[], ctx: QuoteContext): Candidates {
  const channelId = ctx.channel_id;
  const sidx = channelIndex(index, channelId);
  const work = index.work;
  if (work.gen === 0xffffffff) {
    work.stamp.fill(0);
    work.gen = 0;
  }
  const gen = ++work.gen;
  const { stamp, lines: linesOf, ranks } = work;
  let met = 0;
  // a coupon may also name an automatic promotion the channel already offers: that one is met once
  let unlocked: CompiledPromotion[] | null = null;
  if (ctx.coupon_promotions.size > 0) {
    for (const id of ctx.coupon_promotions.keys()) {
      const p = index.byId.get(id);
      if (p && !offeredOn(p, channelId)) (unlocked ??= []).push(p);
    }
  }
  for (let i = 0; i < states.length; i++) {
    const line = states[i]!;
    const list = candidatesOf(sidx, line);
    for (let k = 0; k < list.length; k++) {
      const r = list[k]!.rank;
      if (stamp[r] !== gen) {
        stamp[r] = gen;
        linesOf[r] = [i];
        ranks[met++] = r;
      } else linesOf[r]!.push(i);
    }
    if (unlocked)
      for (const p of unlocked) {
        if (!lineInScope(p, line)) continue;
        const r = p.rank;
        if (stamp[r] !== gen) {
          stamp[r] = gen;
          linesOf[r] = [i];
          ranks[met++] = r;
        } else linesOf[r]!.push(i);
      }
  }
  if (sidx.basketWide.length) {
    const every = states.map((_, i) => i);
    for (const p of sidx.basketWide) {
      if (stamp[p.rank] !== gen) {
        stamp[p.rank] = gen;
        ranks[met++] = p.rank;
      }
      linesOf[p.rank] = every;
    }
  }
  // evaluation order = rank order: one numeric sort of the ranks met
  const order = ranks.subarray(0, met).sort();
  const promos = new Array<CompiledPromotion>(met);
  const lines = new Array<number[]>(met);
  for (let k = 0; k < met; k++) {
    promos[k] = index.all[order[k]!]!;
    lines[k] = linesOf[order[k]!]!;
  }
  return { promos, lines };
}
