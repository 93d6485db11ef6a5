import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** The events carts emit (see docs/events.md). */
export const cartEvents = defineEvents({
  'cart.created': Type.Object(
    {
      cart_id: Type.String(),
      channel: Type.String({ description: 'channel id' }),
      customer_id: Nullable(Type.String()),
    },
    { description: 'A cart was opened.' },
  ),
  'cart.assigned': Type.Object(
    { cart_id: Type.String(), customer_id: Type.String() },
    { description: 'An anonymous cart became a logged-in customer’s.' },
  ),
  'cart.merged': Type.Object(
    { cart_id: Type.String(), from_cart_id: Type.String(), customer_id: Type.String() },
    { description: 'An anonymous cart was merged into the customer’s open cart.' },
  ),
  'cart.claimed': Type.Object(
    { cart_id: Type.String(), code: Type.String(), by: Type.String(), channel: Type.String() },
    { description: 'A cart was claimed on another device or at a till with its hand-off code.' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof cartEvents> {}
}
