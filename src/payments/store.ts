import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { PaymentsTable } from './tables.js';
import './tables.js';

export type PaymentRow = Selectable<PaymentsTable>;

export async function insertPayment(db: Executor, row: Insertable<PaymentsTable>): Promise<void> {
  await db.insertInto('payments').values(row).execute();
}
export function getPayment(db: Executor, id: string, lock = false): Promise<PaymentRow | undefined> {
  let q = db.selectFrom('payments').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}
export function paymentsOfOrder(db: Executor, orderId: string): Promise<PaymentRow[]> {
  return db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}
export async function updatePayment(db: Executor, id: string, patch: Updateable<PaymentsTable>): Promise<void> {
  await db.updateTable('payments').set(patch).where('id', '=', id).execute();
}
