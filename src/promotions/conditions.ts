/**
 * The context conditions of a promotion (dates, currency, channel, location, customer, coupon):
 * whether it may apply to this quote at all, before any line is looked at. Pure.
 */
import type { CompiledPromotion } from './compile.js';
import type { QuoteContext } from './types.js';

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

/** `at`: the quote's time in ms, which the engine reads once per quote rather than per promotion. */
export function contextFailure(
  p: CompiledPromotion,
  ctx: QuoteContext,
  at: number = ctx.at.getTime(),
): { reason: string; silent: boolean } | null {
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
