import { Type } from '@sinclair/typebox';
import { Strict, StringEnum, Timestamp } from '../platform/http/schemas.js';

const Str = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CampaignBody = Strict({
  name: Str(200),
  segment_id: Str(64),
  promotion_id: Str(64),
  offer: Type.Optional(Str(60)),
  channel: Type.Optional(StringEnum(['email', 'sms', 'push'] as const)),
  frequency_cap: Type.Optional(
    Strict(
      { max: Type.Integer({ minimum: 1, maximum: 100 }), days: Type.Integer({ minimum: 1, maximum: 365 }) },
      { description: 'at most `max` marketing messages per person in `days` (default 2 in 7)' },
    ),
  ),
});

export const CampaignSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  segment_id: Type.String(),
  promotion_id: Type.String(),
  offer: Nullable(Type.String()),
  channel: Type.String(),
  frequency_cap: Type.Object({ max: Type.Integer(), days: Type.Integer() }),
  status: StringEnum(['draft', 'sending', 'sent'] as const),
  created_at: Timestamp,
  sent_at: Nullable(Timestamp),
  finished_at: Nullable(Timestamp),
  results: Type.Object({
    recipients: Type.Integer(),
    sent: Type.Integer(),
    pending: Type.Integer(),
    skipped: Type.Record(Type.String(), Type.Integer(), { description: 'skipped people per reason' }),
  }),
});

export const RecipientSchema = Type.Object({
  customer_id: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  coupon_code: Nullable(Type.String()),
  updated_at: Timestamp,
});
