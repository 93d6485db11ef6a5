import type { Generated } from 'kysely';

export interface PromotionsTable {
  id: string;
  code: string | null;
  name: string;
  description: Generated<string>;
  kind: string;
  status: Generated<string>;
  currency: string;
  params: unknown;
  scope: unknown;
  conditions: unknown;
  exclusive: boolean;
  priority: number;
  group_key: string | null;
  coupon_required: boolean;
  starts_at: Date | null;
  ends_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CouponsTable {
  code: string;
  promotion_id: string;
  kind: string;
  batch_id: string | null;
  customer_id: string | null;
  max_redemptions: number | null;
  per_customer_limit: number | null;
  redemptions: Generated<number>;
  starts_at: Date | null;
  ends_at: Date | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface CouponRedemptionsTable {
  id: string;
  code: string;
  promotion_id: string;
  order_id: string;
  customer_id: string | null;
  single_use: boolean;
  created_at: Generated<Date>;
}

declare module '../platform/db/schema.js' {
  interface DB {
    promotions: PromotionsTable;
    coupons: CouponsTable;
    coupon_redemptions: CouponRedemptionsTable;
  }
}
