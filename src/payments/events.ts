import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const OrderId = Type.Union([Str, Type.Null()]);
const became = (description: string) => Type.Object({ payment_id: Str, order_id: OrderId }, { description });
const failed = (k: string) =>
  Type.Object(
    { payment_id: Str, order_id: OrderId, operation_id: Str, reason: Type.Unknown() },
    { description: `A ${k} of a payment failed at the provider.` },
  );

/** The events payments emit (see docs/events.md): one per status a payment reaches, and failed operations. */
export const paymentEvents = defineEvents({
  'payment.pending': became('A payment was started and awaits the provider.'),
  'payment.authorized': became('A payment was authorised.'),
  'payment.captured': became('A payment was captured.'),
  'payment.partially_refunded': became('Part of a captured payment was refunded.'),
  'payment.refunded': became('A payment was refunded in full.'),
  'payment.voided': became('An authorisation was voided.'),
  'payment.declined': became('The provider declined a payment.'),
  'payment.failed': became('A payment failed (error or no answer from the provider).'),
  'payment.link_sent': Type.Object(
    {
      payment_id: Str,
      order_id: OrderId,
      payment_url: Str,
      pay_by: Str,
      amount: Type.Object({ amount: Type.Integer(), currency: Str }),
    },
    { description: 'A payment link was made for a pending payment: the shopper is mailed it (stripe_link).' },
  ),
  'payment.capture_failed': failed('capture'),
  'payment.void_failed': failed('void'),
  'payment.refund_failed': failed('refund'),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof paymentEvents> {}
}
