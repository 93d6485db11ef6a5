/** Rows ↔ module types, kept apart from the service so it reads as operations only. */
import type { CouponRow, PromotionRow } from './store.js';
import type {
  Coupon,
  CouponKind,
  Promotion,
  PromotionInput,
  PromotionKind,
  PromotionRule,
  PromotionStatus,
} from './types.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toPromotion(r: PromotionRow): Promotion {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    kind: r.kind as PromotionKind,
    status: r.status as PromotionStatus,
    currency: r.currency,
    params: (r.params ?? {}) as Promotion['params'],
    scope: (r.scope ?? {}) as Promotion['scope'],
    conditions: (r.conditions ?? {}) as Promotion['conditions'],
    stacking: { exclusive: r.exclusive, priority: r.priority, group: r.group_key },
    coupon_required: r.coupon_required,
    starts_at: iso(r.starts_at),
    ends_at: iso(r.ends_at),
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export function toCoupon(r: CouponRow): Coupon {
  return {
    code: r.code,
    promotion_id: r.promotion_id,
    kind: r.kind as CouponKind,
    batch_id: r.batch_id,
    customer_id: r.customer_id,
    max_redemptions: r.max_redemptions,
    per_customer_limit: r.per_customer_limit,
    redemptions: r.redemptions,
    starts_at: iso(r.starts_at),
    ends_at: iso(r.ends_at),
    active: r.active,
    created_at: r.created_at.toISOString(),
  };
}

/** Canonical ISO form (so a window compares and stores the same whatever offset it was given in). */
const canon = (t: string | null | undefined) => (t ? new Date(t).toISOString() : null);

/** A create input, or an existing promotion with a patch over it, as the rule the engine will run. */
export function ruleFrom(
  id: string,
  input: PromotionInput,
  base?: Promotion,
): PromotionRule & { code: string | null; description: string; status: PromotionStatus } {
  return {
    id,
    code: input.code !== undefined ? input.code : (base?.code ?? null),
    name: input.name ?? base?.name ?? '',
    description: input.description ?? base?.description ?? '',
    status: input.status ?? base?.status ?? 'active',
    kind: input.kind ?? base!.kind,
    currency: input.currency ?? base?.currency ?? 'EUR',
    params: input.params ?? base?.params ?? {},
    scope: input.scope ?? base?.scope ?? {},
    conditions: input.conditions ?? base?.conditions ?? {},
    stacking: {
      exclusive: input.stacking?.exclusive ?? base?.stacking.exclusive ?? false,
      priority: input.stacking?.priority ?? base?.stacking.priority ?? 0,
      group: input.stacking?.group !== undefined ? input.stacking.group : (base?.stacking.group ?? null),
    },
    coupon_required: input.coupon_required ?? base?.coupon_required ?? false,
    starts_at: input.starts_at !== undefined ? canon(input.starts_at) : (base?.starts_at ?? null),
    ends_at: input.ends_at !== undefined ? canon(input.ends_at) : (base?.ends_at ?? null),
  };
}

export function rowFrom(r: ReturnType<typeof ruleFrom>) {
  return {
    code: r.code,
    name: r.name,
    description: r.description,
    kind: r.kind,
    status: r.status,
    currency: r.currency,
    params: JSON.stringify(r.params),
    scope: JSON.stringify(r.scope),
    conditions: JSON.stringify(r.conditions),
    exclusive: r.stacking.exclusive,
    priority: r.stacking.priority,
    group_key: r.stacking.group,
    coupon_required: r.coupon_required,
    starts_at: r.starts_at ? new Date(r.starts_at) : null,
    ends_at: r.ends_at ? new Date(r.ends_at) : null,
  };
}
