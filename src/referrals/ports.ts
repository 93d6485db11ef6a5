/**
 * What the referrals module needs from its neighbours, as small interfaces; composeServices passes
 * the real services (customers, promotions, orders, store credit), which satisfy them structurally.
 */
import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Principal } from '../platform/http/auth-model.js';
import type { Action } from '../platform/auth/policy.js';

type Opts = { trx?: Executor | undefined };

/** The identity graph: a person's rows, their identifiers (devices), and the one policy's access check. */
export interface ReferralsCustomersPort {
  resolve(id: string, opts?: Opts): Promise<string | undefined>;
  get(
    id: string,
    opts?: Opts,
  ): Promise<{ id: string; merged_ids: string[]; identifiers: { kind: string; value: string }[] }>;
  assertAccess(principal: Principal | undefined, id: string, action?: Action): Promise<void>;
}

/** The one pricing engine: the programme's promotion, and the referral code as its public coupon. */
export interface ReferralsPromotionsPort {
  getPromotion(
    id: string,
    opts?: Opts,
  ): Promise<{
    id: string;
    status: string;
    coupon_required: boolean;
    conditions: { first_order?: boolean | undefined };
  }>;
  createCoupons(
    promotionId: string,
    input: { kind: 'public'; code: string; per_customer_limit: number },
    opts?: Opts,
  ): Promise<{ codes: string[] }>;
}

export interface ReferralsOrder {
  id: string;
  customer_id: string | null;
  coupons: string[];
  delivery: {
    method: string;
    address?: { line1: string; line2?: string | undefined; city: string; postal_code: string; country: string } | null;
  };
  payment: { provider: string; details: Record<string, unknown> } | null;
  lines: { quantity: number }[];
}

export interface ReferralsOrdersPort {
  get(id: string, opts?: Opts): Promise<ReferralsOrder>;
  /**
   * Several orders in one read (unknown ids left out); the payment only where `needsPayment` says
   * so (null elsewhere), so a batch of guest orders costs one statement.
   */
  getMany(
    ids: readonly string[],
    opts: Opts & { needsPayment: (o: Omit<ReferralsOrder, 'payment'>) => boolean },
  ): Promise<ReferralsOrder[]>;
}

/** Store credit accounts (payments module): the reward is issued and taken back through them. */
export interface ReferralsCreditPort {
  issue(
    input: { to: { customer_id: string }; currency: string; amount: number; reason: string; reference: string },
    opts?: Opts,
  ): Promise<{ account: { id: string } }>;
  spend(accountId: string, amount: number, reference: string, opts?: Opts): Promise<unknown>;
  get(accountId: string, opts?: Opts): Promise<{ balance: { amount: number } }>;
}

/** A return as the returns module records it: what came back, and what was exchanged for it. */
export interface ReferralsReturnsPort {
  get(id: string, opts?: Opts): Promise<{ lines: { quantity: number }[]; exchange: { quantity: number }[] }>;
}

export interface ReferralsDeps {
  db: Db;
  clock: Clock;
  customers: ReferralsCustomersPort;
  promotions: ReferralsPromotionsPort;
  orders: ReferralsOrdersPort;
  credit: ReferralsCreditPort;
  returns: ReferralsReturnsPort;
}
