/** The referrals module's tables (migrations/9100_referrals.sql). Only this module reads or writes them. */

export interface ReferralProgrammeTable {
  id: string;
  promotion_id: string;
  reward_minor: number | string;
  currency: string;
  link_base: string;
  active: boolean;
  updated_at: Date;
}

export interface ReferralCodesTable {
  code: string;
  customer_id: string;
  promotion_id: string;
  created_at: Date;
}

export interface ReferralsTable {
  id: string;
  code: string;
  referrer_id: string;
  friend_id: string | null;
  order_id: string;
  status: string;
  reason: string | null;
  detail: string | null;
  reward_minor: number | string;
  currency: string;
  order_units: number;
  returned_units: number;
  credit_account_id: string | null;
  reversed_minor: number | string | null;
  unrecovered_minor: number | string | null;
  created_at: Date;
  updated_at: Date;
  credited_at: Date | null;
  reversed_at: Date | null;
}

export interface ReferralReturnsTable {
  referral_id: string;
  return_id: string;
  units: number;
}

export interface ReferralTraitsTable {
  customer_id: string;
  kind: 'address' | 'payment';
  hash: string;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    referral_programme: ReferralProgrammeTable;
    referral_codes: ReferralCodesTable;
    referrals: ReferralsTable;
    referral_returns: ReferralReturnsTable;
    referral_traits: ReferralTraitsTable;
  }
}
