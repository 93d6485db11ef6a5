import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db, Executor } from '../../db/schema.js';
import { inIdOrder, type Chunk } from '../retention.js';
import type { WebhookDeliveriesTable, WebhooksTable } from './tables.js';
import './tables.js';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

export function activeWebhooks(db: Executor): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where('active', '=', true).execute();
}

/**
 * The subscriptions' version as the dispatcher compares it: the counter and the transaction that last
 * moved it (xmin), so a version number that a rolled-back change once showed a transaction can never
 * pass for the committed change that takes the same number later. Embedded in the dispatcher's claim.
 */
export const webhooksVersionSql = sql<string>`(select v.version::text || ':' || v.xmin::text from webhooks_version v where v.id = 1)`;

/** The active webhooks and the version they are at, read in one statement (one snapshot). */
export async function activeWebhooksAtVersion(db: Executor): Promise<{ version: string; hooks: WebhookRow[] }> {
  const res = await sql<WebhookRow & { subscriptions_version: string; present: boolean }>`
    select w.*, ${webhooksVersionSql} as subscriptions_version, w.id is not null as present
    from (select 1) one
    left join webhooks w on w.active`.execute(db);
  const first = res.rows[0];
  return {
    version: String(first?.subscriptions_version ?? ''),
    hooks: res.rows
      .filter((r) => r.present)
      .map(({ subscriptions_version: _v, present: _p, ...hook }) => hook as WebhookRow),
  };
}
export function listWebhooks(db: Executor, channelId?: string): Promise<WebhookRow[]> {
  let q = db.selectFrom('webhooks').selectAll();
  if (channelId !== undefined) q = q.where('channel_id', '=', channelId);
  return q.orderBy('id').execute();
}
export function findWebhook(db: Executor, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function insertWebhook(db: Executor, row: Insertable<WebhooksTable>): Promise<void> {
  await db.insertInto('webhooks').values(row).execute();
}
export function updateWebhook(
  db: Executor,
  id: string,
  patch: Partial<Pick<WebhookRow, 'url' | 'event_types' | 'active' | 'description'>>,
) {
  return db.updateTable('webhooks').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}
export async function deleteWebhook(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
export async function insertDeliveries(db: Executor, rows: Insertable<WebhookDeliveriesTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute();
}

/**
 * Claims due deliveries by pushing their next attempt a lease into the future, in one statement
 * with SKIP LOCKED: several processes never send the same delivery at once, and a process that dies
 * mid-send leaves the delivery to be retried when the lease runs out.
 */
export async function claimDue(db: Executor, now: Date, leaseUntil: Date, limit: number) {
  const res = await sql<DeliveryRow & { url: string; secret: string }>`
    with due as (
      select id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= ${now}
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    update webhook_deliveries d set next_attempt_at = ${leaseUntil}
    from due, webhooks w
    where d.id = due.id and w.id = d.webhook_id
    returning d.*, w.url, w.secret`.execute(db);
  return res.rows;
}

export async function recordAttempt(
  db: Executor,
  id: string,
  result: {
    status: 'pending' | 'delivered' | 'failed';
    statusCode: number | null;
    error: string | null;
    nextAttemptAt: Date;
    deliveredAt: Date | null;
  },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: result.status,
      attempts: sql`attempts + 1`,
      last_status_code: result.statusCode,
      last_error: result.error,
      next_attempt_at: result.nextAttemptAt,
      delivered_at: result.deliveredAt,
    })
    .where('id', '=', id)
    .execute();
}

export function listDeliveries(db: Executor, webhookId: string, limit: number, after?: string) {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (after) q = q.where('id', '<', after);
  return q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}

/**
 * Removes up to `chunk` settled deliveries (delivered, or failed for good) whose last attempt was
 * before `before`: the delivery log's retention (`OMNIA_EVENTS_KEEP_DAYS`). A pending delivery stays
 * whatever its age. `next_attempt_at` is the last attempt's time once a delivery is settled.
 */
export async function purgeSettled(
  db: Db,
  before: Date,
  floorId: string,
  chunk: number,
  after: string,
): Promise<Chunk> {
  const r = await inIdOrder(db, (trx) =>
    sql<Chunk>`
    with gone as (
      select id from webhook_deliveries
      where id > ${after} and id < ${floorId} and status <> 'pending' and next_attempt_at < ${before}::timestamptz
      order by id
      limit ${chunk}
      for update skip locked
    ),
    del as (delete from webhook_deliveries w using gone where w.id = gone.id returning w.id)
    select count(*)::int as removed, max(id) as last from del`.execute(trx),
  );
  return r.rows[0] ?? { removed: 0, last: null };
}

export async function redeliver(db: Executor, webhookId: string, deliveryId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now })
    .where('id', '=', deliveryId)
    .where('webhook_id', '=', webhookId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
