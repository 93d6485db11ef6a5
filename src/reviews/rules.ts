/**
 * Pure rules of reviews: which order proves a purchase, the rating summary, size advice for a product
 * and for a person, and the name shown beside a review. No I/O, no clock.
 */
import type { CustomerSizeProfile, RatingSummary, SizeAdvice, SizeFeedback } from './types.js';

/** Orders that count as a purchase: placed and not cancelled (a till sale is completed at once). */
const BOUGHT = new Set(['placed', 'confirmed', 'partially_fulfilled', 'fulfilled', 'completed']);

export interface OrderFacts {
  id: string;
  status: string;
  channel_type: string;
  placed_at: string;
  lines: { product_id: string | null; sku: string; quantity: number }[];
}

/**
 * The order that proves this person bought the product, in any channel: the earliest live order with
 * a line of it still counted (cancelled units leave `quantity`). Undefined: no badge.
 */
export function provingOrder(
  orders: readonly OrderFacts[],
  productId: string,
  sku?: string | null,
): { order_id: string; channel_type: string; sku: string } | undefined {
  const live = orders.filter((o) => BOUGHT.has(o.status)).sort((a, b) => a.placed_at.localeCompare(b.placed_at));
  for (const o of live) {
    const lines = o.lines.filter((l) => l.product_id === productId && l.quantity > 0);
    // The variant named, if it was bought; else any variant of the product.
    const line = lines.find((l) => l.sku === sku) ?? lines[0];
    if (line) return { order_id: o.id, channel_type: o.channel_type, sku: line.sku };
  }
  return undefined;
}

/** Fewer answers than this give no size advice: two people are an anecdote. */
export const MIN_SIZE_ANSWERS = 3;

/**
 * What the answers say about a product's fit: it runs small (or large) when at least half of the
 * answers say so and they outnumber the opposite answer; true to size otherwise.
 */
export function sizeAdvice(a: { small: number; true: number; large: number }): SizeAdvice | null {
  const n = a.small + a.true + a.large;
  if (n < MIN_SIZE_ANSWERS) return null;
  if (a.small * 2 >= n && a.small > a.large) return 'runs_small';
  if (a.large * 2 >= n && a.large > a.small) return 'runs_large';
  return 'true_to_size';
}

const share = (x: number, n: number) => (n === 0 ? 0 : Math.round((x / n) * 100) / 100);

/** The summary of approved reviews from per-(rating, size feedback) counts. */
export function summarize(
  groups: readonly { rating: number; size_feedback: string | null; n: number }[],
): RatingSummary {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  const sizes = { small: 0, true: 0, large: 0 };
  let count = 0;
  let sum = 0;
  for (const g of groups) {
    const key = String(g.rating) as keyof typeof distribution;
    if (!(key in distribution)) continue;
    distribution[key] += g.n;
    count += g.n;
    sum += g.rating * g.n;
    if (g.size_feedback === 'small' || g.size_feedback === 'true' || g.size_feedback === 'large')
      sizes[g.size_feedback] += g.n;
  }
  const answers = sizes.small + sizes.true + sizes.large;
  return {
    count,
    average: count === 0 ? null : Math.round((sum / count) * 10) / 10,
    distribution,
    size_feedback: {
      count: answers,
      small: share(sizes.small, answers),
      true: share(sizes.true, answers),
      large: share(sizes.large, answers),
      advice: sizeAdvice(sizes),
    },
  };
}

const LETTERS = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', '3XL'];

/** The next size up (+1) or down (−1): letter sizes along their ladder, numbers by their step; else as it was. */
export function shiftSize(size: string, by: -1 | 0 | 1): string {
  if (by === 0) return size;
  const upper = size.trim().toUpperCase();
  const i = LETTERS.indexOf(upper);
  if (i >= 0) return LETTERS[Math.min(LETTERS.length - 1, Math.max(0, i + by))]!;
  const n = Number(upper);
  // European clothing sizes go in twos (38, 40, 42); shoes and children's sizes in ones.
  if (Number.isInteger(n) && n > 0) return String(n + by * (n >= 32 && n <= 60 && n % 2 === 0 ? 2 : 1));
  return size;
}

/**
 * A person's own answers as advice for their next purchase: a size that felt small suggests the next
 * size up. The tendency needs the same majority as a product's advice.
 */
export function customerSizeProfile(
  answers: readonly { size: string | null; feedback: SizeFeedback }[],
): CustomerSizeProfile {
  const counts = { small: 0, true: 0, large: 0 };
  const sizes: CustomerSizeProfile['sizes'] = [];
  for (const a of answers) {
    counts[a.feedback]++;
    if (!a.size || sizes.some((s) => s.size === a.size)) continue;
    const by = a.feedback === 'small' ? 1 : a.feedback === 'large' ? -1 : 0;
    sizes.push({ size: a.size, feedback: a.feedback, suggest: shiftSize(a.size, by) });
  }
  const advice = sizeAdvice(counts);
  const tendency =
    advice === 'runs_small'
      ? 'size_up'
      : advice === 'runs_large'
        ? 'size_down'
        : advice === 'true_to_size'
          ? 'true_to_size'
          : null;
  return { answers: counts, tendency, sizes };
}

/** The name beside a published review: the first name and the initial of the last ("Ana G."). */
export function authorName(first: string | null | undefined, last: string | null | undefined): string | null {
  const f = (first ?? '').trim();
  if (!f) return null;
  const l = (last ?? '').trim();
  return l ? `${f} ${l[0]!.toUpperCase()}.` : f;
}
