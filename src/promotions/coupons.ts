/**
 * Coupon operations: generating codes, judging them for a quote, and redeeming them inside the
 * order's transaction. The judgement itself is the pure couponRejection (rules.ts).
 */
import type { Executor } from '../platform/db/schema.js';
import { newId } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { inTx } from '../platform/db/tx.js';
import { AppError, isUniqueViolation, problems, type FieldError } from '../platform/http/problems.js';
import * as store from './store.js';
import { randomCode } from './codes.js';
import { CODE_PATTERN, REJECTION_TEXT, couponRejection, normalizeCode, type CouponRejection } from './rules.js';
import { toCoupon } from './mapping.js';
import type { CouponGuardPort, PromotionsDeps } from './ports.js';
import type { PromotionSnapshot } from './compile.js';
import type { CouponKind, CouponResult, Promotion } from './types.js';

export const MAX_BATCH = 10_000;

export interface CouponsInput {
  kind: CouponKind;
  /** The public code (kind public). */
  code?: string | undefined;
  /** How many single-use codes to generate (kind single_use). */
  count?: number | undefined;
  prefix?: string | undefined;
  customer_id?: string | null | undefined;
  max_redemptions?: number | null | undefined;
  per_customer_limit?: number | null | undefined;
  starts_at?: string | null | undefined;
  ends_at?: string | null | undefined;
}

export interface CouponCheck {
  code: string;
  valid: boolean;
  reason?: string | undefined;
  reason_code?: CouponRejection | 'not_applicable' | undefined;
  promotion?: { id: string; name: string } | undefined;
}

export interface Redemption {
  id: string;
  code: string;
  promotion_id: string;
  order_id: string;
}

function inputErrors(input: CouponsInput): FieldError[] {
  const e: FieldError[] = [];
  if (input.kind === 'public') {
    if (!input.code) e.push({ field: 'code', message: 'a public coupon needs its code' });
    else if (!CODE_PATTERN.test(normalizeCode(input.code)))
      e.push({ field: 'code', message: '3 to 40 letters and digits' });
    if (input.count !== undefined) e.push({ field: 'count', message: 'only for single_use batches' });
    if (input.prefix !== undefined) e.push({ field: 'prefix', message: 'only for single_use batches' });
  } else {
    if (input.code !== undefined) e.push({ field: 'code', message: 'single-use codes are generated; leave code out' });
    if (input.max_redemptions !== undefined && input.max_redemptions !== 1)
      e.push({ field: 'max_redemptions', message: 'a single-use code is redeemed once' });
    if (input.count !== undefined && (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_BATCH))
      e.push({ field: 'count', message: `from 1 to ${MAX_BATCH}` });
    if (input.prefix !== undefined && !/^[A-Z0-9]{0,8}$/.test(normalizeCode(input.prefix)))
      e.push({ field: 'prefix', message: 'up to 8 letters and digits' });
  }
  if (input.starts_at && input.ends_at && Date.parse(input.starts_at) >= Date.parse(input.ends_at))
    e.push({ field: 'ends_at', message: 'must be after starts_at' });
  return e;
}

export async function generateCoupons(
  deps: PromotionsDeps,
  promotion: Promotion,
  input: CouponsInput,
  trx: Executor | undefined,
): Promise<{ batch_id: string | null; count: number; codes: string[] }> {
  const errors = inputErrors(input);
  if (errors.length) throw problems.validation('the coupons are not valid', errors);
  const now = deps.clock.now();
  const single = input.kind === 'single_use';
  const batchId = single ? newId('cpb', now.getTime()) : null;
  const base = {
    promotion_id: promotion.id,
    kind: input.kind,
    batch_id: batchId,
    customer_id: input.customer_id ?? null,
    max_redemptions: single ? 1 : (input.max_redemptions ?? null),
    per_customer_limit: input.per_customer_limit ?? null,
    starts_at: input.starts_at ? new Date(input.starts_at) : null,
    ends_at: input.ends_at ? new Date(input.ends_at) : null,
    active: true,
    created_at: now,
  };
  try {
    return await inTx(deps.db, trx, async (tx) => {
      const codes: string[] = [];
      if (!single) {
        const code = normalizeCode(input.code!);
        const inserted = await store.insertCoupons(tx, [{ ...base, code }]);
        if (inserted.length === 0)
          throw problems.duplicate(`the coupon ${code} exists`, [{ field: 'code', message: 'already used' }]);
        codes.push(code);
      } else {
        const prefix = normalizeCode(input.prefix ?? '');
        let want = input.count ?? 1;
        // a collision (≈ never at 59 bits) is skipped by the insert and drawn again
        for (let rounds = 0; want > 0; rounds++) {
          if (rounds > 20) throw new AppError('internal', 'could not draw unique coupon codes');
          const fresh = [...new Set(Array.from({ length: Math.min(want, 1000) }, () => randomCode(prefix)))];
          const inserted = await store.insertCoupons(
            tx,
            fresh.map((code) => ({ ...base, code })),
          );
          codes.push(...inserted);
          want -= inserted.length;
        }
      }
      await emit(
        tx,
        {
          type: 'coupons.created',
          aggregateId: promotion.id,
          payload: { promotion_id: promotion.id, kind: input.kind, batch_id: batchId, count: codes.length },
        },
        now,
      );
      return { batch_id: batchId, count: codes.length, codes };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw problems.duplicate('the coupon exists', [{ field: 'code', message: 'already used' }]);
    throw err;
  }
}

/**
 * The coupons of a quote: which promotions they unlock, and which are refused before pricing
 * (unknown, expired, another customer's, used up…). One query for the codes, one for the
 * customer's past uses when a code has a per-customer limit.
 */
export async function resolveCoupons(
  exec: Executor,
  snap: PromotionSnapshot,
  codes: readonly string[],
  ctx: { at: Date; customer_id: string | null; guard?: CouponGuardPort | undefined },
): Promise<{ unlocked: Map<string, string>; rejected: Map<string, CouponResult>; order: string[] }> {
  const order = codes.map(normalizeCode);
  const unlocked = new Map<string, string>();
  const rejected = new Map<string, CouponResult>();
  if (order.length === 0) return { unlocked, rejected, order };
  const rows = new Map((await store.couponsByCode(exec, [...new Set(order)])).map((r) => [r.code, toCoupon(r)]));
  const limited = [...rows.values()].filter((c) => c.per_customer_limit !== null).map((c) => c.code);
  const used =
    ctx.customer_id && limited.length
      ? await store.customerRedemptions(exec, limited, ctx.customer_id)
      : new Map<string, number>();
  const own =
    ctx.customer_id && ctx.guard && rows.size
      ? await ctx.guard.ownCodes([...rows.keys()], ctx.customer_id, { trx: exec })
      : new Set<string>();
  const seen = new Set<string>();
  const reject = (code: string, r: CouponRejection) =>
    rejected.set(code, { code, status: 'rejected', reason: REJECTION_TEXT[r] });
  for (const code of order) {
    const c = rows.get(code);
    if (seen.has(code)) continue;
    seen.add(code);
    if (!c) {
      reject(code, 'unknown');
      continue;
    }
    const why = couponRejection(c, {
      at: ctx.at,
      customer_id: ctx.customer_id,
      customer_redemptions: used.get(code) ?? 0,
    });
    if (why) reject(code, why);
    else if (own.has(code)) reject(code, 'own_code');
    else if (!snap.byId.has(c.promotion_id)) reject(code, 'promotion_inactive');
    else if (unlocked.has(c.promotion_id)) reject(code, 'duplicate');
    else unlocked.set(c.promotion_id, code);
  }
  return { unlocked, rejected, order: [...new Set(order)] };
}

export async function validateCoupon(
  deps: PromotionsDeps,
  snap: PromotionSnapshot,
  rawCode: string,
  ctx: { customer_id?: string | null | undefined; channel: string; at: Date },
): Promise<CouponCheck> {
  const code = normalizeCode(rawCode);
  const channel = await deps.network.channel(ctx.channel);
  if (!channel) throw problems.notFound('channel', ctx.channel);
  const { unlocked, rejected } = await resolveCoupons(deps.db, snap, [code], {
    at: ctx.at,
    customer_id: ctx.customer_id ?? null,
    guard: deps.couponGuard,
  });
  const r = rejected.get(code);
  if (r) {
    const reason_code = (Object.keys(REJECTION_TEXT) as CouponRejection[]).find((k) => REJECTION_TEXT[k] === r.reason);
    return { code, valid: false, reason: r.reason, reason_code };
  }
  const promotion = snap.byId.get([...unlocked.keys()][0]!)!;
  // basket conditions (items, minimum spend, segments) are judged by the quote; here only when and where
  const at = ctx.at.getTime();
  const channels = promotion.conditions.channels;
  const failure =
    promotion.starts_at && at < Date.parse(promotion.starts_at)
      ? 'the promotion has not started'
      : promotion.ends_at && at >= Date.parse(promotion.ends_at)
        ? 'the promotion has ended'
        : channels?.length && !channels.includes(channel.id)
          ? 'the promotion is not offered on this channel'
          : null;
  if (failure)
    return {
      code,
      valid: false,
      reason: failure,
      reason_code: 'not_applicable',
      promotion: { id: promotion.id, name: promotion.name },
    };
  return { code, valid: true, promotion: { id: promotion.id, name: promotion.name } };
}

/**
 * Redeems each code once for the order, in the caller's transaction. The conditional increment
 * (store.claimCoupon) makes the limit hold under any concurrency; the per-customer count is read
 * after that row lock is held, so two orders of one customer cannot both pass it either.
 */
export async function redeemCoupons(
  trx: Executor,
  input: { order_id: string; customer_id?: string | null | undefined; coupons: string[] },
  at: Date,
): Promise<Redemption[]> {
  const customerId = input.customer_id ?? null;
  const out: Redemption[] = [];
  for (const code of [...new Set(input.coupons.map(normalizeCode))].sort()) {
    const claimed = await store.claimCoupon(trx, code, at, customerId);
    if (!claimed) {
      const [row] = await store.couponsByCode(trx, [code]);
      const why: CouponRejection = row
        ? (couponRejection(toCoupon(row), { at, customer_id: customerId, customer_redemptions: 0 }) ?? 'limit_reached')
        : 'unknown';
      throw new AppError('coupon_invalid', `coupon ${code}: ${REJECTION_TEXT[why]}`, { coupon: code, reason: why });
    }
    const promotion = await store.promotionByIdOrCode(trx, claimed.promotion_id);
    if (
      !promotion ||
      promotion.status !== 'active' ||
      (promotion.starts_at && at < promotion.starts_at) ||
      (promotion.ends_at && at >= promotion.ends_at)
    ) {
      throw new AppError('coupon_invalid', `coupon ${code}: ${REJECTION_TEXT.promotion_inactive}`, {
        coupon: code,
        reason: 'promotion_inactive',
      });
    }
    if (claimed.per_customer_limit !== null) {
      if (!customerId)
        throw new AppError('coupon_invalid', `coupon ${code}: ${REJECTION_TEXT.needs_customer}`, {
          coupon: code,
          reason: 'needs_customer',
        });
      const n = (await store.customerRedemptions(trx, [code], customerId)).get(code) ?? 0;
      if (n >= claimed.per_customer_limit) {
        throw new AppError('coupon_invalid', `coupon ${code}: ${REJECTION_TEXT.customer_limit_reached}`, {
          coupon: code,
          reason: 'customer_limit_reached',
        });
      }
    }
    const id = newId('cpr', at.getTime());
    try {
      await store.insertRedemption(trx, {
        id,
        code,
        promotion_id: claimed.promotion_id,
        order_id: input.order_id,
        customer_id: customerId,
        single_use: claimed.kind === 'single_use',
        created_at: at,
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('coupon_invalid', `coupon ${code}: ${REJECTION_TEXT.limit_reached}`, {
          coupon: code,
          reason: 'limit_reached',
        });
      throw err;
    }
    out.push({ id, code, promotion_id: claimed.promotion_id, order_id: input.order_id });
  }
  if (out.length) {
    await emit(
      trx,
      out.map((r) => ({
        type: 'coupon.redeemed',
        aggregateId: r.promotion_id,
        payload: { ...r, customer_id: customerId },
      })),
      at,
    );
  }
  return out;
}

/** Gives back the coupons of an order whose payment was declined or never answered (its cart may check out again). */
export async function releaseRedemptions(trx: Executor, orderId: string, at: Date): Promise<number> {
  const gone = await store.releaseRedemptions(trx, orderId);
  if (gone.length)
    await emit(
      trx,
      gone.map((g) => ({
        type: 'coupon.released',
        aggregateId: g.promotion_id,
        payload: { code: g.code, promotion_id: g.promotion_id, order_id: orderId },
      })),
      at,
    );
  return gone.length;
}
