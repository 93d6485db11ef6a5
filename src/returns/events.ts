import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const base = {
  return_id: Str,
  order_id: Str,
  customer_id: Type.Union([Str, Type.Null()]),
  channel: Type.String({ description: 'channel id' }),
  location_id: Str,
  gift: Type.Optional(
    Type.Boolean({ description: 'returned by a gift’s recipient with the gift receipt: the buyer is not told' }),
  ),
};
const Money = Type.Object({ amount: Type.Integer(), currency: Str });

/** The events returns emit (see docs/events.md). */
export const returnEvents = defineEvents({
  'return.created': Type.Object(
    {
      ...base,
      lines: Type.Array(Type.Unknown()),
      refund: Money,
      refund_method: Str,
      exchange: Type.Array(Type.Unknown()),
    },
    { description: 'A return was taken, in any channel.' },
  ),
  'return.requested': Type.Object(
    { ...base, return_code: Str, dropoff_method: Str },
    { description: 'A customer started a return online: the goods and the refund wait for a store to scan its code.' },
  ),
  'return.received': Type.Object(
    { ...base, lines: Type.Array(Type.Unknown()) },
    { description: 'Returned goods were received (restocked or not).' },
  ),
  'refund.issued': Type.Object(
    { ...base, amount: Money, method: Str },
    { description: 'A return was refunded (to the original payment or as store credit).' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof returnEvents> {}
}
