import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const Promotion = (description: string) => Type.Object({ id: Str, kind: Str, status: Str }, { description });

/** The events promotions emit (see docs/events.md). */
export const promotionEvents = defineEvents({
  'promotion.created': Promotion('A promotion was created.'),
  'promotion.updated': Promotion('A promotion changed.'),
  'coupons.created': Type.Object(
    {
      promotion_id: Str,
      kind: Type.Union([Str, Type.Null()]),
      batch_id: Type.Union([Str, Type.Null()]),
      count: Type.Integer(),
    },
    { description: 'Coupon codes were generated for a promotion.' },
  ),
  'coupon.redeemed': Type.Object(
    { id: Str, code: Str, promotion_id: Str, order_id: Str, customer_id: Type.Union([Str, Type.Null()]) },
    { description: 'A coupon was redeemed by an order.' },
  ),
  'coupon.released': Type.Object(
    { code: Str, promotion_id: Str, order_id: Str },
    { description: 'A redemption was given back (the order’s payment failed).' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof promotionEvents> {}
}
