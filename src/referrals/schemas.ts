/** TypeBox schemas of the referrals routes (OpenAPI documents them). */
import { Type } from '@sinclair/typebox';
import { Currency, Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';
import { PageQuery, Page } from '../platform/http/pagination.js';
import { REFERRAL_STATUSES, REFUSAL_REASONS, VOID_REASONS } from './types.js';

const Str = Type.String();
const MoneyOut = Type.Object({ amount: Type.Integer({ description: 'minor units' }), currency: Str });

export const ProgrammeBody = Strict({
  promotion_id: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'the friend’s promotion (id or code): coupon-only and limited to a first order',
  }),
  reward: Strict(
    { amount: Type.Integer({ minimum: 1, maximum: 99_999_999 }), currency: Currency },
    { description: 'store credit the referrer earns when the friend’s order is delivered or collected' },
  ),
  link_base: Type.String({
    minLength: 8,
    maxLength: 500,
    description: 'the storefront page a share link opens (the code is added as ?referral=)',
  }),
  active: Type.Optional(Type.Boolean({ description: 'false pauses new codes and rewards (default true)' })),
});

export const ProgrammeSchema = Type.Object({
  promotion_id: Str,
  reward: MoneyOut,
  link_base: Str,
  active: Type.Boolean(),
  updated_at: Timestamp,
});

export const ReferralCodeSchema = Type.Object({
  customer_id: Str,
  code: Type.String({ description: 'the person’s code, the same every time; the friend enters it as a coupon' }),
  link: Type.String({ description: 'the share link (storefront page with the code and attribution)' }),
  active: Type.Boolean(),
  promotion_id: Str,
  reward: MoneyOut,
});

export const ReferralSchema = Type.Object({
  id: Str,
  code: Str,
  referrer_id: Str,
  friend_id: Type.Optional(Type.Union([Str, Type.Null()], { description: 'left out for the referrer’s own token' })),
  order_id: Str,
  status: StringEnum(REFERRAL_STATUSES),
  reason: Type.Union([StringEnum([...REFUSAL_REASONS, ...VOID_REASONS]), Type.Null()], {
    description: 'refused: why the identity graph took it for a self-referral; void: why it will not earn',
  }),
  detail: Type.Union([Str, Type.Null()]),
  reward: MoneyOut,
  reversed: Type.Union([Type.Object({ amount: Type.Integer(), unrecovered: Type.Integer() }), Type.Null()]),
  created_at: Timestamp,
  credited_at: Type.Union([Timestamp, Type.Null()]),
  reversed_at: Type.Union([Timestamp, Type.Null()]),
});

export const ReferralPage = Page(ReferralSchema);
export const CustomerParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ReferralParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const ListQuery = Type.Object({ ...PageQuery, status: Type.Optional(StringEnum(REFERRAL_STATUSES)) });
export const PageOnly = Type.Object({ ...PageQuery });
