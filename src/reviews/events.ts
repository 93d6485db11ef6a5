import { Type, type TObject } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();

/** The events reviews emit (see docs/events.md). Ids and figures only: the text is personal data. */
export const reviewEvents = defineEvents({
  'review.submitted': Type.Object(
    {
      review_id: Str,
      product_id: Str,
      customer_id: Str,
      rating: Type.Integer({ minimum: 1, maximum: 5 }),
      verified: Type.Boolean(),
    },
    { description: 'A customer wrote a review; it waits for moderation.' },
  ),
  'review.moderated': Type.Object(
    {
      review_id: Str,
      product_id: Str,
      status: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
      reason: Type.Union([Str, Type.Null()]),
    },
    { description: 'A review was approved (published) or rejected with a reason.' },
  ),
} satisfies Record<string, TObject>);

export type ReviewEventType = keyof typeof reviewEvents;

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof reviewEvents> {}
}
