/** The referrals module's SQL (Kysely). Every function takes the executor: the pool or a transaction. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { ReferralProgrammeTable, ReferralsTable } from './tables.js';
import './tables.js';

export type ProgrammeRow = Selectable<ReferralProgrammeTable>;
export type ReferralRow = Selectable<ReferralsTable>;

export async function programme(db: Executor): Promise<ProgrammeRow | undefined> {
  return db.selectFrom('referral_programme').selectAll().where('id', '=', 'default').executeTakeFirst();
}

export async function saveProgramme(db: Executor, row: Omit<ProgrammeRow, 'id'>): Promise<void> {
  await db
    .insertInto('referral_programme')
    .values({ id: 'default', ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export async function anyCodeOfOtherPromotion(db: Executor, promotionId: string): Promise<boolean> {
  const r = await db
    .selectFrom('referral_codes')
    .select('code')
    .where('promotion_id', '<>', promotionId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** The person's code: the oldest of their profile rows' codes (a merge keeps one). */
export async function codeOf(db: Executor, customerIds: string[]) {
  if (!customerIds.length) return undefined;
  return db
    .selectFrom('referral_codes')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .orderBy('created_at')
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();
}

/** Claims a code for a customer row; false when the code is taken or the row has one already. */
export async function insertCode(
  db: Executor,
  row: { code: string; customer_id: string; promotion_id: string; created_at: Date },
): Promise<boolean> {
  const r = await sql<{ code: string }>`insert into referral_codes (code, customer_id, promotion_id, created_at)
    values (${row.code}, ${row.customer_id}, ${row.promotion_id}, ${row.created_at})
    on conflict do nothing returning code`.execute(db);
  return r.rows.length === 1;
}

export async function codesByValue(db: Executor, codes: string[]) {
  if (!codes.length) return [];
  return db.selectFrom('referral_codes').selectAll().where('code', 'in', codes).orderBy('code').execute();
}

/** Inserts the referral of an order once; false when the order has one already (a repeated event). */
export async function insertReferral(db: Executor, row: ReferralRow): Promise<boolean> {
  const r = await db
    .insertInto('referrals')
    .values(row)
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** The order's referral, locked until the caller's transaction ends (credit and reversal queue on it). */
export async function lockByOrder(db: Executor, orderId: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('order_id', '=', orderId).forUpdate().executeTakeFirst();
}

export async function updateReferral(db: Executor, id: string, patch: Partial<ReferralRow>): Promise<ReferralRow> {
  return db.updateTable('referrals').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Counts a return once; false when it was counted already. */
export async function countReturn(db: Executor, referralId: string, returnId: string, units: number): Promise<boolean> {
  const r = await db
    .insertInto('referral_returns')
    .values({ referral_id: referralId, return_id: returnId, units })
    .onConflict((oc) => oc.columns(['referral_id', 'return_id']).doNothing())
    .returning('return_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function getReferral(db: Executor, id: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listReferrals(
  db: Executor,
  q: {
    referrerIds?: string[] | undefined;
    friendIds?: string[] | undefined;
    status?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<ReferralRow[]> {
  let query = db.selectFrom('referrals').selectAll();
  const { referrerIds, friendIds } = q;
  if (referrerIds && friendIds)
    query = query.where((eb) =>
      eb.or([
        eb('referrer_id', 'in', referrerIds.length ? referrerIds : ['']),
        eb('friend_id', 'in', friendIds.length ? friendIds : ['']),
      ]),
    );
  else if (referrerIds) query = query.where('referrer_id', 'in', referrerIds.length ? referrerIds : ['']);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.after) query = query.where('id', '<', q.after);
  return query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
}

export async function insertTraits(
  db: Executor,
  rows: { customer_id: string; kind: 'address' | 'payment'; hash: string; created_at: Date }[],
): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('referral_traits')
    .values(rows)
    .onConflict((oc) => oc.columns(['customer_id', 'kind', 'hash']).doNothing())
    .execute();
}

export async function traitSeen(
  db: Executor,
  customerIds: string[],
  kind: 'address' | 'payment',
  hash: string,
): Promise<boolean> {
  if (!customerIds.length) return false;
  const r = await db
    .selectFrom('referral_traits')
    .select('hash')
    .where('customer_id', 'in', customerIds)
    .where('kind', '=', kind)
    .where('hash', '=', hash)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

export async function eraseTraits(db: Executor, customerIds: string[]): Promise<void> {
  if (!customerIds.length) return;
  await db.deleteFrom('referral_traits').where('customer_id', 'in', customerIds).execute();
}
