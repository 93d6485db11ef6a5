/** Rows to the API's shapes, and the payload every referral.* event carries. */
import type { ProgrammeRow, ReferralRow } from './store.js';
import type { Referral, ReferralProgramme, ReferralStatus, RefusalReason, VoidReason } from './types.js';

export function toProgramme(r: ProgrammeRow): ReferralProgramme {
  return {
    promotion_id: r.promotion_id,
    reward: { amount: Number(r.reward_minor), currency: r.currency },
    link_base: r.link_base,
    active: r.active,
    updated_at: r.updated_at.toISOString(),
  };
}

export function toReferral(r: ReferralRow, opts: { withFriend: boolean } = { withFriend: true }): Referral {
  return {
    id: r.id,
    code: r.code,
    referrer_id: r.referrer_id,
    ...(opts.withFriend ? { friend_id: r.friend_id } : {}),
    order_id: r.order_id,
    status: r.status as ReferralStatus,
    reason: r.reason as RefusalReason | VoidReason | null,
    detail: r.detail,
    reward: { amount: Number(r.reward_minor), currency: r.currency },
    reversed:
      r.status === 'reversed'
        ? { amount: Number(r.reversed_minor ?? 0), unrecovered: Number(r.unrecovered_minor ?? 0) }
        : null,
    created_at: r.created_at.toISOString(),
    credited_at: r.credited_at?.toISOString() ?? null,
    reversed_at: r.reversed_at?.toISOString() ?? null,
  };
}

export function eventPayload(r: ReferralRow) {
  return {
    referral_id: r.id,
    code: r.code,
    referrer_id: r.referrer_id,
    friend_id: r.friend_id,
    order_id: r.order_id,
    status: r.status,
    reason: r.reason,
    reward: { amount: Number(r.reward_minor), currency: r.currency },
    ...(r.status === 'reversed'
      ? { reversed: { amount: Number(r.reversed_minor ?? 0), unrecovered: Number(r.unrecovered_minor ?? 0) } }
      : {}),
  };
}
