import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const OrNull = Type.Union([Str, Type.Null()]);
const Money = Type.Object({ amount: Type.Integer({ description: 'minor units' }), currency: Str });
const referral = (description: string) =>
  Type.Object(
    {
      referral_id: Str,
      code: Str,
      referrer_id: Str,
      friend_id: OrNull,
      order_id: Str,
      status: Str,
      reason: OrNull,
      reward: Money,
      reversed: Type.Optional(
        Type.Object({ amount: Type.Integer(), unrecovered: Type.Integer() }, { description: 'reversed: taken back' }),
      ),
    },
    { description },
  );

/** The events referrals emit (see docs/events.md). */
export const referralEvents = defineEvents({
  'referral.programme_updated': Type.Object(
    { promotion_id: Str, reward: Money, active: Type.Boolean() },
    { description: 'The retailer set the referral programme (the friend’s promotion, the referrer’s reward).' },
  ),
  'referral.recorded': referral('A friend’s first order carried a referral code: the reward waits for delivery.'),
  'referral.refused': referral('A referral was refused as a self-referral (same person, device, address or card).'),
  'referral.credited': referral('The friend’s order was delivered or collected: the referrer earned store credit.'),
  'referral.reversed': referral('The friend’s order was returned: the referrer’s store credit was taken back.'),
  'referral.voided': referral('The referral will not earn: its order was cancelled or returned before delivery.'),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof referralEvents> {}
}
