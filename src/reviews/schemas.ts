/** TypeBox schemas of the reviews API. */
import { Type } from '@sinclair/typebox';
import { StringEnum, Strict, Timestamp } from '../platform/http/schemas.js';
import { REVIEW_STATUSES, SIZE_FEEDBACK } from './types.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ReviewCreate = Strict({
  product_id: Type.String({ minLength: 1, maxLength: 64, description: 'product id or code' }),
  sku: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the variant (its size) reviewed' })),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  title: Type.Optional(Type.String({ maxLength: 120 })),
  text: Type.String({ minLength: 1, maxLength: 5000 }),
  size_feedback: Type.Optional(
    StringEnum(SIZE_FEEDBACK, { description: 'how the size fitted: runs small, true to size, runs large' }),
  ),
});

const publicFields = {
  id: Type.String(),
  product_id: Type.String(),
  sku: Nullable(Type.String()),
  author_name: Nullable(Type.String()),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  title: Nullable(Type.String()),
  text: Nullable(Type.String()),
  size_feedback: Nullable(StringEnum(SIZE_FEEDBACK)),
  verified_purchase: Type.Boolean({ description: 'the person bought it, in any channel' }),
  created_at: Timestamp,
};
export const PublicReviewSchema = Type.Object(publicFields);

export const ReviewSchema = Type.Object({
  ...publicFields,
  customer_id: Nullable(Type.String()),
  channel_id: Type.String(),
  verified_order_id: Nullable(Type.String()),
  verified_channel_type: Nullable(Type.String()),
  status: StringEnum(REVIEW_STATUSES),
  reject_reason: Nullable(Type.String()),
  moderated_by: Nullable(Type.String()),
  moderated_at: Nullable(Timestamp),
  updated_at: Timestamp,
});

const Count = Type.Integer({ minimum: 0 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
export const RatingSummarySchema = Type.Object({
  count: Count,
  average: Nullable(Type.Number()),
  distribution: Type.Object({ '1': Count, '2': Count, '3': Count, '4': Count, '5': Count }),
  size_feedback: Type.Object({
    count: Count,
    small: Share,
    true: Share,
    large: Share,
    advice: Nullable(StringEnum(['runs_small', 'true_to_size', 'runs_large'] as const)),
  }),
});

export const ProductReviewsSchema = Type.Object({
  items: Type.Array(PublicReviewSchema),
  next_cursor: Nullable(Type.String()),
  summary: RatingSummarySchema,
});

export const QueueSchema = Type.Object({
  items: Type.Array(Type.Object({ ...ReviewSchema.properties, product_name: Nullable(Type.String()) })),
  next_cursor: Nullable(Type.String()),
});

export const CustomerReviewsSchema = Type.Object({
  customer_id: Type.String(),
  items: Type.Array(ReviewSchema),
  size_profile: Type.Object({
    answers: Type.Object({ small: Count, true: Count, large: Count }),
    tendency: Nullable(StringEnum(['size_up', 'true_to_size', 'size_down'] as const)),
    sizes: Type.Array(
      Type.Object({ size: Type.String(), feedback: StringEnum(SIZE_FEEDBACK), suggest: Type.String() }),
    ),
  }),
});

export const RejectBody = Strict({ reason: Type.String({ minLength: 1, maxLength: 500 }) });
export const QueueQuery = Type.Object({
  status: Type.Optional(StringEnum(REVIEW_STATUSES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});
