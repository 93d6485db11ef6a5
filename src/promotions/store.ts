import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { CouponRedemptionsTable, CouponsTable, PromotionsTable } from './tables.js';
import './tables.js';

export type PromotionRow = Selectable<PromotionsTable>;
export type CouponRow = Selectable<CouponsTable>;

/** Every active promotion, whatever its window: the engine judges windows against the quote's time. */
export function activePromotions(db: Executor): Promise<PromotionRow[]> {
  return db.selectFrom('promotions').selectAll().where('status', '=', 'active').orderBy('id').execute();
}

/**
 * The active promotions and the pricing version (migration 9800) they are at, in one statement (one
 * snapshot): a version names exactly one content of the promotions table. `version:xmin`, as for
 * webhooks_version (platform/events/webhooks/store.ts).
 */
export async function activePromotionsAtVersion(db: Executor): Promise<{ version: string; rows: PromotionRow[] }> {
  const res = await sql<PromotionRow & { pricing_version: string; present: boolean }>`
    select p.*, (select v.version::text || ':' || v.xmin::text from pricing_version v where v.id = 1) as pricing_version,
      p.id is not null as present
    from (select 1) one
    left join promotions p on p.status = 'active'
    order by p.id`.execute(db);
  return {
    version: String(res.rows[0]?.pricing_version ?? ''),
    rows: res.rows.filter((r) => r.present).map(({ pricing_version: _v, present: _p, ...row }) => row as PromotionRow),
  };
}

export function activeExclusive(db: Executor, exceptId: string | null): Promise<PromotionRow[]> {
  let q = db.selectFrom('promotions').selectAll().where('status', '=', 'active').where('exclusive', '=', true);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.orderBy('id').execute();
}

export function promotionByIdOrCode(db: Executor, idOrCode: string): Promise<PromotionRow | undefined> {
  return db
    .selectFrom('promotions')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrCode), eb('code', '=', idOrCode)]))
    .executeTakeFirst();
}

export function listPromotions(
  db: Executor,
  q: { after?: string | undefined; limit: number; status?: string | undefined },
): Promise<PromotionRow[]> {
  let query = db
    .selectFrom('promotions')
    .selectAll()
    .orderBy('id')
    .limit(q.limit + 1);
  if (q.after) query = query.where('id', '>', q.after);
  if (q.status) query = query.where('status', '=', q.status);
  return query.execute();
}

export async function insertPromotion(db: Executor, row: Insertable<PromotionsTable>): Promise<void> {
  await db.insertInto('promotions').values(row).execute();
}

export function updatePromotion(
  db: Executor,
  id: string,
  patch: Updateable<PromotionsTable>,
): Promise<PromotionRow | undefined> {
  return db.updateTable('promotions').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Serialises changes to exclusive promotions so two concurrent creates cannot both pass the overlap check. */
export async function lockExclusiveChanges(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(7440005)`.execute(db);
}

/** Inserts the codes that are new; returns those inserted (a collision is simply not returned). */
export async function insertCoupons(db: Executor, rows: Insertable<CouponsTable>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await db
    .insertInto('coupons')
    .values(rows)
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .execute();
  return out.map((r) => r.code);
}

export function couponsByCode(db: Executor, codes: string[]): Promise<CouponRow[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('coupons').selectAll().where('code', 'in', codes).execute();
}

export async function customerRedemptions(
  db: Executor,
  codes: string[],
  customerId: string,
): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('coupon_redemptions')
    .select(['code', (eb) => eb.fn.countAll<string>().as('n')])
    .where('code', 'in', codes)
    .where('customer_id', '=', customerId)
    .groupBy('code')
    .execute();
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}

/**
 * The race-proof step of a redemption: one conditional increment. Two transactions redeeming the
 * same code queue on the row lock; the second re-checks the WHERE against the committed counter and
 * matches nothing once the limit is reached (READ COMMITTED re-evaluation), so it cannot over-redeem.
 */
export function claimCoupon(
  db: Executor,
  code: string,
  at: Date,
  customerId: string | null,
): Promise<CouponRow | undefined> {
  return db
    .updateTable('coupons')
    .set((eb) => ({ redemptions: eb('redemptions', '+', 1) }))
    .where('code', '=', code)
    .where('active', '=', true)
    .where((eb) => eb.or([eb('max_redemptions', 'is', null), eb('redemptions', '<', eb.ref('max_redemptions'))]))
    .where((eb) => eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', at)]))
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .where((eb) => eb.or([eb('customer_id', 'is', null), eb('customer_id', '=', customerId)]))
    .returningAll()
    .executeTakeFirst();
}

export async function insertRedemption(db: Executor, row: Insertable<CouponRedemptionsTable>): Promise<void> {
  await db.insertInto('coupon_redemptions').values(row).execute();
}

/** An order that never got paid gives its coupons back: its redemptions go and the counters follow. */
export async function releaseRedemptions(
  db: Executor,
  orderId: string,
): Promise<{ code: string; promotion_id: string }[]> {
  const gone = await db
    .deleteFrom('coupon_redemptions')
    .where('order_id', '=', orderId)
    .returning(['code', 'promotion_id'])
    .execute();
  for (const g of gone)
    await db
      .updateTable('coupons')
      .set((eb) => ({ redemptions: eb('redemptions', '-', 1) }))
      .where('code', '=', g.code)
      .where('redemptions', '>', 0)
      .execute();
  return gone;
}

export function listCoupons(
  db: Executor,
  promotionId: string,
  q: { after?: string | undefined; limit: number },
): Promise<CouponRow[]> {
  let query = db
    .selectFrom('coupons')
    .selectAll()
    .where('promotion_id', '=', promotionId)
    .orderBy('code')
    .limit(q.limit + 1);
  if (q.after) query = query.where('code', '>', q.after);
  return query.execute();
}

/** Coupons whose counter differs from their redemption rows, or passed their limit (doctor). */
export async function couponCounterMismatches(
  db: Executor,
): Promise<{ code: string; redemptions: number; recorded: number; max_redemptions: number | null }[]> {
  const r = await sql<{ code: string; redemptions: number; recorded: string; max_redemptions: number | null }>`
    select c.code, c.redemptions, count(r.id) as recorded, c.max_redemptions
    from coupons c left join coupon_redemptions r on r.code = c.code
    group by c.code
    having c.redemptions <> count(r.id) or (c.max_redemptions is not null and count(r.id) > c.max_redemptions)
    order by c.code
    limit 20`.execute(db);
  return r.rows.map((x) => ({ ...x, recorded: Number(x.recorded) }));
}

export interface CouponBatch {
  batch_id: string;
  count: number;
  redeemed: number;
  created_at: string;
}

export interface BatchCouponRow {
  code: string;
  redemptions: number;
  starts_at: Date | null;
  ends_at: Date | null;
  active: boolean;
}

/** Newest first; a promotion has few batches (each up to 10,000 codes), so no paging. */
export async function couponBatches(db: Executor, promotionId: string): Promise<CouponBatch[]> {
  const r = await sql<{ batch_id: string; count: number; redeemed: number; created_at: Date }>`
    select batch_id, count(*)::int as count, count(*) filter (where redemptions > 0)::int as redeemed,
      min(created_at) as created_at
    from coupons where promotion_id = ${promotionId} and batch_id is not null
    group by batch_id order by min(created_at) desc, batch_id desc`.execute(db);
  return r.rows.map((x) => ({ ...x, created_at: new Date(x.created_at).toISOString() }));
}

export async function batchCoupons(db: Executor, promotionId: string, batchId: string): Promise<BatchCouponRow[]> {
  return db
    .selectFrom('coupons')
    .select(['code', 'redemptions', 'starts_at', 'ends_at', 'active'])
    .where('batch_id', '=', batchId)
    .where('promotion_id', '=', promotionId)
    .orderBy('code')
    .execute();
}
