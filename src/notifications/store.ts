import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { NotificationsTable } from './tables.js';
import './tables.js';

export type NotificationRow = Selectable<NotificationsTable>;

/** Claims (event, template): false when it was handled before — the event is a redelivery. */
export async function claim(db: Executor, row: Insertable<NotificationsTable>): Promise<boolean> {
  const r = await db
    .insertInto('notifications')
    .values(row)
    .onConflict((oc) => oc.columns(['event_id', 'template']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}
export async function exists(db: Executor, eventId: string, template: string): Promise<boolean> {
  const r = await db
    .selectFrom('notifications')
    .select('id')
    .where('event_id', '=', eventId)
    .where('template', '=', template)
    .executeTakeFirst();
  return r !== undefined;
}
export function forOrder(db: Executor, orderId: string): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
export function list(db: Executor, f: { customer_id?: string | undefined; limit: number }): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll();
  if (f.customer_id) q = q.where('customer_id', '=', f.customer_id);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}
