/** Public types of the referrals module (what index.ts exports). Money is integer minor units. */

export const REFERRAL_STATUSES = ['pending', 'refused', 'credited', 'reversed', 'void'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Why the identity graph refused a referral as a self-referral. */
export const REFUSAL_REASONS = ['same_person', 'same_device', 'same_address', 'same_payment'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Why a referral will never earn: its order was cancelled or returned, or the referrer is gone. */
export const VOID_REASONS = ['order_cancelled', 'returned', 'referrer_gone'] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

export interface ReferralProgramme {
  promotion_id: string;
  reward: { amount: number; currency: string };
  link_base: string;
  active: boolean;
  updated_at: string;
}

export interface ProgrammeInput {
  promotion_id: string;
  reward: { amount: number; currency: string };
  link_base: string;
  active?: boolean | undefined;
}

export interface ReferralCode {
  customer_id: string;
  code: string;
  link: string;
  active: boolean;
  /** What the friend gets and what the referrer earns, to show beside the link. */
  promotion_id: string;
  reward: { amount: number; currency: string };
}

export interface Referral {
  id: string;
  code: string;
  referrer_id: string;
  /** Omitted when the referrer reads their own referrals (a friend's id is not theirs to know). */
  friend_id?: string | null | undefined;
  order_id: string;
  status: ReferralStatus;
  reason: RefusalReason | VoidReason | null;
  detail: string | null;
  reward: { amount: number; currency: string };
  /** A reversal: what was taken back, and what the referrer had already spent. */
  reversed: { amount: number; unrecovered: number } | null;
  created_at: string;
  credited_at: string | null;
  reversed_at: string | null;
}
