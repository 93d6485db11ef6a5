import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiled, compiledRow } from '../platform/db/compiled.js';
import type { NotificationsTable } from './tables.js';
import './tables.js';

export type NotificationRow = Selectable<NotificationsTable>;

// Every message's two statements, built and compiled once (platform/db/compiled.ts).
const claimStmt = compiledRow((db, row: Insertable<NotificationsTable>) =>
  db
    .insertInto('notifications')
    .values(row)
    .onConflict((oc) => oc.columns(['event_id', 'template']).doNothing())
    .returning('id'),
);
const existsStmt = compiled((db, p: { eventId: string; template: string }) =>
  db.selectFrom('notifications').select('id').where('event_id', '=', p.eventId).where('template', '=', p.template),
);

/** Claims (event, template): false when it was handled before — the event is a redelivery. */
export async function claim(db: Executor, row: Insertable<NotificationsTable>): Promise<boolean> {
  return (await claimStmt.first(db, { row })) !== undefined;
}
export async function exists(db: Executor, eventId: string, template: string): Promise<boolean> {
  return (await existsStmt.first(db, { eventId, template })) !== undefined;
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
export function forCustomers(db: Executor, customerIds: string[], limit: number): Promise<NotificationRow[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
/** Marketing messages sent to these rows since `since` (the frequency cap counts them). */
export async function marketingSentSince(db: Executor, customerIds: string[], since: Date): Promise<number> {
  if (customerIds.length === 0) return 0;
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('customer_id', 'in', customerIds)
    .where('kind', '=', 'marketing')
    .where('status', '=', 'sent')
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
/**
 * Erasure: the person's message log loses everything personal (address, subject, the link to them);
 * the bare rows stay so a redelivered event still finds its message sent, and campaign counts hold.
 */
export async function eraseCustomers(db: Executor, customerIds: string[]): Promise<void> {
  if (customerIds.length)
    await db
      .updateTable('notifications')
      .set({ recipient: null, subject: null, customer_id: null })
      .where('customer_id', 'in', customerIds)
      .execute();
}
