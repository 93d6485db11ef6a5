import { sql, type Insertable, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiled, compiledRow } from '../platform/db/compiled.js';
import type { PaymentOperationsTable, PaymentsTable } from './tables.js';
import './tables.js';

export type PaymentRow = Selectable<PaymentsTable>;

// The checkout's statements, built and compiled once (platform/db/compiled.ts).
const paymentById = compiled((db, p: { id: string }) => db.selectFrom('payments').selectAll().where('id', '=', p.id));
const paymentByIdLocked = compiled((db, p: { id: string }) =>
  db.selectFrom('payments').selectAll().where('id', '=', p.id).forUpdate(),
);

const PAYMENT_COLUMNS = sql.raw(
  'id, order_id, provider, status, currency, amount, captured_amount, refunded_amount, provider_ref, decline_reason, details, created_at, updated_at',
);
/**
 * A new payment's insert as a statement not yet run (the row as one JSON document: one parameter, so
 * it can be part of a caller's larger statement without adding a dozen; `details` as a JSON value).
 */
export function insertPaymentSql(
  row: Record<string, unknown> & { details: Record<string, unknown> },
): RawBuilder<unknown> {
  return sql`insert into payments (${PAYMENT_COLUMNS})
    select ${PAYMENT_COLUMNS} from jsonb_populate_record(null::payments, ${JSON.stringify(row)}::jsonb)`;
}
export function getPayment(db: Executor, id: string, lock = false): Promise<PaymentRow | undefined> {
  return (lock ? paymentByIdLocked : paymentById).first(db, { id });
}
export function paymentsOfOrder(db: Executor, orderId: string): Promise<PaymentRow[]> {
  return db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}
export async function updatePayment(db: Executor, id: string, patch: Updateable<PaymentsTable>): Promise<void> {
  await db.updateTable('payments').set(patch).where('id', '=', id).execute();
}

const settlePendingReturningStmt = compiledRow((db, row: Updateable<PaymentsTable>, p: { id: string }) =>
  db.updateTable('payments').set(row).where('id', '=', p.id).where('status', '=', 'pending').returningAll(),
);
/**
 * Records the provider's answer only if the payment is still pending (the request and the job may
 * race), and returns the updated row (undefined: no pending payment of that id): the row lock, the
 * check and the write in one statement.
 */
export function settlePendingReturning(
  db: Executor,
  id: string,
  patch: Updateable<PaymentsTable>,
): Promise<PaymentRow | undefined> {
  return settlePendingReturningStmt.first(db, { row: patch, id });
}

/** Notes what the provider said about a payment it has not decided yet (3-D Secure), while it is pending. */
export async function notePending(db: Executor, id: string, patch: Updateable<PaymentsTable>): Promise<void> {
  await db.updateTable('payments').set(patch).where('id', '=', id).where('status', '=', 'pending').execute();
}

/** A pending payment the provider decided out of band: due for the reconciliation now, lease or not. */
export async function markSettleable(db: Executor, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('payments')
    .set({ settle_after: at, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Leases pending payments created before `before` (or marked settleable by a PSP webhook) that nobody
 * holds (FOR UPDATE SKIP LOCKED, then a lease).
 */
export async function leaseStalePending(
  db: Executor,
  before: Date,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<PaymentRow[]> {
  const rows = await db
    .selectFrom('payments')
    .selectAll()
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('created_at', '<', before), eb('settle_after', '<=', now)]))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('created_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  await stampLease(
    db,
    'payments',
    rows.map((r) => r.id),
    leaseUntil,
  );
  return rows;
}

/** Stamps a lease on rows just locked with SKIP LOCKED, so other runners pass them by until it ends. */
async function stampLease(
  db: Executor,
  table: 'payments' | 'payment_operations',
  ids: string[],
  leaseUntil: Date,
): Promise<void> {
  if (ids.length) await db.updateTable(table).set({ lease_until: leaseUntil }).where('id', 'in', ids).execute();
}

export type OperationRow = Selectable<PaymentOperationsTable>;

export async function insertOperation(db: Executor, row: Insertable<PaymentOperationsTable>): Promise<void> {
  await db.insertInto('payment_operations').values(row).execute();
}
export function getOperation(db: Executor, id: string): Promise<OperationRow | undefined> {
  return db.selectFrom('payment_operations').selectAll().where('id', '=', id).executeTakeFirst();
}
/** Refunds asked for and not answered yet: they reserve their amount against what is left to refund. */
export async function pendingRefunds(db: Executor, paymentId: string): Promise<number> {
  const r = await db
    .selectFrom('payment_operations')
    .select(sql<string>`coalesce(sum(amount), 0)`.as('n'))
    .where('payment_id', '=', paymentId)
    .where('kind', '=', 'refund')
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
export function pendingOperationsOf(db: Executor, paymentId: string, kind: string): Promise<OperationRow[]> {
  return db
    .selectFrom('payment_operations')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .execute();
}
/** Leases pending operations (all of `ids`, or the oldest unleased ones) so one worker runs each. */
export async function leaseOperations(
  db: Executor,
  ids: string[] | null,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<OperationRow[]> {
  let q = db
    .selectFrom('payment_operations')
    .selectAll()
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]));
  // The job takes only operations older than a few seconds: younger ones are their requester's to run.
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['']);
  else q = q.where('created_at', '<', new Date(now.getTime() - 5_000));
  const rows = await q.orderBy('created_at').limit(limit).forUpdate().skipLocked().execute();
  await stampLease(
    db,
    'payment_operations',
    rows.map((r) => r.id),
    leaseUntil,
  );
  return rows;
}
export async function finishOperation(
  db: Executor,
  id: string,
  patch: Updateable<PaymentOperationsTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('payment_operations')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The test provider's memory (autocommit, outside any of our transactions, as a PSP's own database). */
const saveTestOutcomeStmt = compiled((db, p: { key: string; operation: string; outcome: string }) =>
  db
    .insertInto('test_provider_outcomes')
    .values({ idempotency_key: p.key, operation: p.operation, outcome: p.outcome })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('idempotency_key'),
);
const testOutcomeByKey = compiled((db, p: { key: string }) =>
  db.selectFrom('test_provider_outcomes').select(['operation', 'outcome']).where('idempotency_key', '=', p.key),
);
/** Stores the outcome for `key`; false when one was stored before (that one stays). */
export async function saveTestOutcome(
  db: Executor,
  key: string,
  operation: string,
  outcome: unknown,
): Promise<boolean> {
  return (await saveTestOutcomeStmt.first(db, { key, operation, outcome: JSON.stringify(outcome) })) !== undefined;
}
export async function getTestOutcome(
  db: Executor,
  key: string,
): Promise<{ operation: string; outcome: unknown } | undefined> {
  const r = await testOutcomeByKey.first(db, { key });
  return r
    ? { operation: r.operation, outcome: typeof r.outcome === 'string' ? JSON.parse(r.outcome) : r.outcome }
    : undefined;
}
