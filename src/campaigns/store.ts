/** SQL of campaigns and cart reminders (migrations/6210_campaigns.sql). */
import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { CampaignRecipientsTable, CampaignsTable } from './tables.js';
import './tables.js';

export type CampaignRow = Selectable<CampaignsTable>;
export type RecipientRow = Selectable<CampaignRecipientsTable>;

export async function insertCampaign(db: Executor, row: Insertable<CampaignsTable>): Promise<void> {
  await db.insertInto('campaigns').values(row).execute();
}
export function getCampaign(db: Executor, id: string, lock = false): Promise<CampaignRow | undefined> {
  const q = db.selectFrom('campaigns').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export function listCampaigns(db: Executor, limit: number, before?: string): Promise<CampaignRow[]> {
  let q = db.selectFrom('campaigns').selectAll();
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}
export async function updateCampaign(db: Executor, id: string, patch: Partial<CampaignRow>): Promise<void> {
  await db.updateTable('campaigns').set(patch).where('id', '=', id).execute();
}
/** Campaigns with recipients whose outcome is not logged yet (a crash mid-send, or still sending). */
export function sendingCampaigns(db: Executor, limit: number): Promise<{ id: string }[]> {
  return db.selectFrom('campaigns').select('id').where('status', '=', 'sending').orderBy('id').limit(limit).execute();
}

export async function insertRecipients(db: Executor, rows: Insertable<CampaignRecipientsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('campaign_recipients')
      .values(rows.slice(i, i + 1000))
      .execute();
}
export function openRecipients(db: Executor, campaignId: string, limit: number): Promise<RecipientRow[]> {
  return db
    .selectFrom('campaign_recipients')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('logged', '=', false)
    .orderBy('customer_id')
    .limit(limit)
    .execute();
}
export async function settleRecipient(
  db: Executor,
  key: { campaign_id: string; customer_id: string },
  outcome: { status: string; reason: string | null; at: Date },
): Promise<void> {
  await db
    .updateTable('campaign_recipients')
    .set({ status: outcome.status, reason: outcome.reason, logged: true, updated_at: outcome.at })
    .where('campaign_id', '=', key.campaign_id)
    .where('customer_id', '=', key.customer_id)
    .execute();
}
export function recipients(db: Executor, campaignId: string, limit: number): Promise<RecipientRow[]> {
  return db
    .selectFrom('campaign_recipients')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('customer_id')
    .limit(limit)
    .execute();
}
export async function counts(
  db: Executor,
  campaignIds: string[],
): Promise<{ campaign_id: string; status: string; reason: string | null; n: number }[]> {
  if (campaignIds.length === 0) return [];
  const rows = await db
    .selectFrom('campaign_recipients')
    .select(['campaign_id', 'status', 'reason'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('campaign_id', 'in', campaignIds)
    .groupBy(['campaign_id', 'status', 'reason'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Claims a cart's one reminder: false when it was claimed before (sent, skipped or in flight). */
export async function claimReminder(
  db: Executor,
  row: { cart_id: string; customer_id: string; status: string; reason: string | null; at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('cart_reminders')
    .values({
      cart_id: row.cart_id,
      customer_id: row.customer_id,
      status: row.status,
      reason: row.reason,
      created_at: row.at,
      updated_at: row.at,
    })
    .onConflict((oc) => oc.column('cart_id').doNothing())
    .returning('cart_id')
    .executeTakeFirst();
  return r !== undefined;
}
export async function settleReminder(db: Executor, cartId: string, status: string, reason: string | null, at: Date) {
  await db
    .updateTable('cart_reminders')
    .set({ status, reason, updated_at: at })
    .where('cart_id', '=', cartId)
    .execute();
}
/** Reminders claimed but not settled (the process died between claim and send). */
export function pendingReminders(db: Executor, olderThan: Date, limit: number) {
  return db
    .selectFrom('cart_reminders')
    .selectAll()
    .where('status', '=', 'pending')
    .where('updated_at', '<', olderThan)
    .limit(limit)
    .execute();
}
export function remindedCarts(db: Executor, cartIds: string[]): Promise<{ cart_id: string }[]> {
  if (cartIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('cart_reminders').select('cart_id').where('cart_id', 'in', cartIds).execute();
}

/** What campaigns hold about these profile rows (the customer export). */
export async function ofCustomers(db: Executor, customerIds: string[]) {
  if (customerIds.length === 0) return { campaign_recipients: [], cart_reminders: [] };
  const [campaign_recipients, cart_reminders] = await Promise.all([
    db.selectFrom('campaign_recipients').selectAll().where('customer_id', 'in', customerIds).execute(),
    db.selectFrom('cart_reminders').selectAll().where('customer_id', 'in', customerIds).execute(),
  ]);
  return { campaign_recipients, cart_reminders };
}
/** Erasure: the person's coupon codes and reminders go; campaign counts keep an anonymous row. */
export async function eraseCustomers(db: Executor, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db
    .updateTable('campaign_recipients')
    .set({ coupon_code: null })
    .where('customer_id', 'in', customerIds)
    .execute();
  await db.deleteFrom('cart_reminders').where('customer_id', 'in', customerIds).execute();
}
