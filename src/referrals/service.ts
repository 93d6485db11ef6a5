/**
 * Referrals (issue 19 point 2): the retailer's programme, a person's code and share link, and the
 * referrals their codes brought. The friend's discount is the programme's promotion in the ONE
 * pricing engine (the code is its public coupon, and the promotion is first-order only); the
 * referrer's reward follows the friend's order through the events (rewards.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Executor } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { decodeCursor, pageOf } from '../platform/http/pagination.js';
import { AppError, problems, type FieldError } from '../platform/http/problems.js';
import type { Principal } from '../platform/http/auth-model.js';
import { listScope } from '../platform/auth/policy.js';
import * as store from './store.js';
import { toProgramme, toReferral } from './mapping.js';
import { promotionProblems, referralCodeFrom, shareLink } from './rules.js';
import { ReferralRewards } from './rewards.js';
import type { ReferralsDeps } from './ports.js';
import type { ProgrammeInput, Referral, ReferralCode, ReferralProgramme, ReferralStatus } from './types.js';

type Opts = { trx?: Executor | undefined };

function programmeErrors(input: ProgrammeInput): FieldError[] {
  const e: FieldError[] = [];
  if (!Number.isInteger(input.reward.amount) || input.reward.amount <= 0)
    e.push({ field: 'reward.amount', message: 'a positive whole number of minor units' });
  if (!/^[A-Z]{3}$/.test(input.reward.currency))
    e.push({ field: 'reward.currency', message: 'an ISO 4217 code (EUR)' });
  let url: URL | undefined;
  try {
    url = new URL(input.link_base);
  } catch {
    /* reported below */
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    e.push({ field: 'link_base', message: 'an http(s) URL of the storefront page the link opens' });
  return e;
}

export class ReferralsService {
  readonly rewards: ReferralRewards;

  constructor(private readonly deps: ReferralsDeps) {
    this.rewards = new ReferralRewards(deps);
  }

  async programme(opts: Opts = {}): Promise<ReferralProgramme> {
    const row = await store.programme(opts.trx ?? this.deps.db);
    if (!row) throw new AppError('not_found', 'no referral programme is set: PUT /v1/referral-programme');
    return toProgramme(row);
  }

  /**
   * Sets the programme. The promotion must be one the engine grants only to a first order with a code;
   * once codes exist it cannot be swapped (each code is a coupon of it): change its terms instead.
   */
  async setProgramme(input: ProgrammeInput, opts: Opts = {}): Promise<ReferralProgramme> {
    const errors = programmeErrors(input);
    if (errors.length) throw problems.validation('the referral programme is not valid', errors);
    return inTx(this.deps.db, opts.trx, async (trx) => {
      const promotion = await this.deps.promotions.getPromotion(input.promotion_id, { trx }).catch((err: unknown) => {
        if ((err as AppError)?.type === 'not_found')
          throw problems.field('promotion_id', `no promotion ${input.promotion_id}`);
        throw err;
      });
      const wrong = promotionProblems(promotion);
      if (wrong.length)
        throw problems.validation(
          'the promotion cannot be the friend’s referral discount',
          wrong.map((message) => ({ field: 'promotion_id', message })),
        );
      if (await store.anyCodeOfOtherPromotion(trx, promotion.id))
        throw problems.conflict(
          'referral codes exist for the programme’s promotion (each code is its coupon): change that promotion’s terms instead of swapping it',
        );
      const now = this.deps.clock.now();
      const row = {
        promotion_id: promotion.id,
        reward_minor: input.reward.amount,
        currency: input.reward.currency,
        link_base: input.link_base,
        active: input.active ?? true,
        updated_at: now,
      };
      await store.saveProgramme(trx, row);
      await emit(
        trx,
        {
          type: 'referral.programme_updated',
          aggregateId: 'default',
          payload: { promotion_id: promotion.id, reward: input.reward, active: row.active },
        },
        now,
      );
      return toProgramme({ id: 'default', ...row });
    });
  }

  /**
   * A person's code and share link, made on first request and the same ever after (a code of any of
   * their merged rows is theirs). The policy decides who may ask: the customer for themself, staff
   * and secret keys for anyone.
   */
  async codeFor(principal: Principal | undefined, customerId: string): Promise<ReferralCode> {
    await this.deps.customers.assertAccess(principal, customerId, 'read');
    return inTx(this.deps.db, undefined, async (trx) => {
      const root = await this.deps.customers.resolve(customerId, { trx });
      if (!root) throw problems.notFound('customer', customerId);
      const programmeRow = await store.programme(trx);
      if (!programmeRow) throw problems.conflict('the retailer has not set a referral programme yet');
      const programme = toProgramme(programmeRow);
      const view = await this.deps.customers.get(root, { trx });
      const answer = (code: string): ReferralCode => ({
        customer_id: root,
        code,
        link: shareLink(programme.link_base, code),
        active: programme.active,
        promotion_id: programme.promotion_id,
        reward: programme.reward,
      });
      const existing = await store.codeOf(trx, [view.id, ...view.merged_ids]);
      if (existing) return answer(existing.code);
      if (!programme.active) throw problems.conflict('the referral programme is paused: no new codes');
      for (let attempt = 0; attempt < 5; attempt++) {
        const code = referralCodeFrom(randomBytes(8));
        const now = this.deps.clock.now();
        if (
          !(await store.insertCode(trx, {
            code,
            customer_id: root,
            promotion_id: programme.promotion_id,
            created_at: now,
          }))
        ) {
          // Another request made this person's code first (the insert waited for it), or the code is taken.
          const won = await store.codeOf(trx, [root]);
          if (won) return answer(won.code);
          continue;
        }
        // The code is the promotion's public coupon: the friend types it like any coupon, once per customer.
        await this.deps.promotions.createCoupons(
          programme.promotion_id,
          { kind: 'public', code, per_customer_limit: 1 },
          { trx },
        );
        return answer(code);
      }
      throw new AppError('internal', 'could not draw a unique referral code');
    });
  }

  /**
   * Of these coupon codes, the referral codes that belong to the customer's own person (any profile
   * row merged into them): the pricing engine refuses those before the order, so nobody gets the
   * friend's welcome for their own code. Device, address and card are only known at the order: those
   * refusals cost the referrer the reward instead (rewards.ts).
   */
  async ownCodes(codes: string[], customerId: string, opts: { trx?: Executor | undefined } = {}): Promise<Set<string>> {
    const exec = opts.trx ?? this.deps.db;
    const rows = await store.codesByValue(exec, codes);
    if (rows.length === 0) return new Set();
    const me = await this.deps.customers.resolve(customerId, { trx: opts.trx });
    if (!me) return new Set();
    const own = new Set<string>();
    for (const r of rows)
      if ((await this.deps.customers.resolve(r.customer_id, { trx: opts.trx })) === me) own.add(r.code);
    return own;
  }

  /** The referrals a person's code brought, and the one that brought them; newest first. */
  async referralsOf(
    principal: Principal | undefined,
    customerId: string,
    q: { limit?: number | undefined; cursor?: string | undefined } = {},
  ): Promise<{ items: Referral[]; next_cursor: string | null }> {
    await this.deps.customers.assertAccess(principal, customerId, 'read');
    const root = await this.deps.customers.resolve(customerId);
    if (!root) throw problems.notFound('customer', customerId);
    const view = await this.deps.customers.get(root);
    const ids = [view.id, ...view.merged_ids];
    const limit = q.limit ?? 50;
    const rows = await store.listReferrals(this.deps.db, {
      referrerIds: ids,
      friendIds: ids,
      after: decodeCursor<string>(q.cursor),
      limit,
    });
    // A shopper sees whether their friends' orders earned, never who the friends are.
    const own = new Set(ids);
    const items = rows.map((r) =>
      toReferral(r, { withFriend: principal?.kind !== 'customer' || (r.friend_id !== null && own.has(r.friend_id)) }),
    );
    return pageOf(items, limit, (r) => r.id);
  }

  /** Every referral (the retailer's view: refused ones with their reasons), newest first. */
  async list(
    principal: Principal | undefined,
    q: { status?: ReferralStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
  ): Promise<{ items: Referral[]; next_cursor: string | null }> {
    const scope = listScope(principal, 'customer');
    // Referrals are the retailer's, across channels: a customer token lists only its own (referralsOf).
    if (scope.customerId) throw problems.forbidden('a customer lists their referrals at /v1/customers/{id}/referrals');
    const limit = q.limit ?? 50;
    const rows = await store.listReferrals(this.deps.db, {
      status: q.status,
      after: decodeCursor<string>(q.cursor),
      limit,
    });
    return pageOf(
      rows.map((r) => toReferral(r)),
      limit,
      (r) => r.id,
    );
  }

  async get(principal: Principal | undefined, id: string): Promise<Referral> {
    // Callers who never reach a customer are refused before the lookup tells them anything.
    listScope(principal, 'customer');
    const row = await store.getReferral(this.deps.db, id);
    if (!row) throw problems.notFound('referral', id);
    // The referrer's business: the one policy decides on the referrer's profile.
    await this.deps.customers.assertAccess(principal, row.referrer_id, 'read');
    return toReferral(row, { withFriend: principal?.kind !== 'customer' });
  }
}
