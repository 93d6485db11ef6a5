import { sql, type Insertable, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiled, compiledRows } from '../platform/db/compiled.js';
import { json } from '../platform/db/json.js';
import type { FulfillmentInboxTable, FulfillmentsTable, SourcingDecisionsTable } from './tables.js';
import './tables.js';

export type FulfillmentRow = Selectable<FulfillmentsTable>;
export type DecisionRow = Selectable<SourcingDecisionsTable>;

// Sourcing's statements, built and compiled once (platform/db/compiled.ts); an insert of several
// rows once per number of rows.
const insertFulfillmentsStmt = compiledRows((db, rows: Insertable<FulfillmentsTable>[]) =>
  db.insertInto('fulfillments').values(rows),
);
const lastAttemptStmt = compiled((db, p: { orderId: string }) =>
  db
    .selectFrom('sourcing_decisions')
    .select((eb) => eb.fn.max('attempt').as('n'))
    .where('order_id', '=', p.orderId),
);
const packagesSinceStmt = compiled((db, p: { since: Date; locations: readonly string[] }) =>
  db
    .selectFrom('fulfillments')
    .select(['location_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('location_id', '=', sql<string>`any(${sql.val(p.locations)}::text[])`)
    .where('created_at', '>=', p.since)
    .where('status', 'not in', ['rejected', 'cancelled'])
    .groupBy('location_id'),
);

export async function insertFulfillments(db: Executor, rows: Insertable<FulfillmentsTable>[]): Promise<void> {
  if (rows.length) await insertFulfillmentsStmt.run(db, { rows });
}
export function getFulfillment(db: Executor, id: string, lock = false): Promise<FulfillmentRow | undefined> {
  const q = db.selectFrom('fulfillments').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export function byOrder(db: Executor, orderId: string): Promise<FulfillmentRow[]> {
  return db.selectFrom('fulfillments').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}
export function byTransfer(db: Executor, transferId: string): Promise<FulfillmentRow | undefined> {
  return db.selectFrom('fulfillments').selectAll().where('transfer_id', '=', transferId).forUpdate().executeTakeFirst();
}
export async function updateFulfillment(
  db: Executor,
  id: string,
  patch: Updateable<FulfillmentsTable>,
): Promise<FulfillmentRow> {
  return db.updateTable('fulfillments').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
export function decisionsOf(db: Executor, orderId: string): Promise<DecisionRow[]> {
  return db.selectFrom('sourcing_decisions').selectAll().where('order_id', '=', orderId).orderBy('attempt').execute();
}
export async function lastAttempt(db: Executor, orderId: string): Promise<number> {
  const r = await lastAttemptStmt.first(db, { orderId });
  return Number(r?.n ?? 0);
}

/** A location's queue: tasks it sources, and tasks arriving to it (collect store, pickup point). */
export function queue(
  db: Executor,
  q: {
    location_id?: string | undefined;
    order_id?: string | undefined;
    created_from?: Date | undefined;
    status?: string | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<FulfillmentRow[]> {
  let s = db.selectFrom('fulfillments').selectAll();
  // One order's tasks (the console's order page); fulfillments_order indexes it.
  if (q.order_id) s = s.where('order_id', '=', q.order_id);
  // A day's load (the console's network map): tasks created since a time.
  if (q.created_from) s = s.where('created_at', '>=', q.created_from);
  if (q.location_id) {
    const loc = q.location_id;
    s = s.where((eb) =>
      eb.or([
        eb('location_id', '=', loc),
        eb.and([
          eb('destination_location_id', '=', loc),
          eb('status', 'in', ['shipped', 'in_transit', 'ready_for_pickup', 'handed_over', 'returned_to_stock']),
        ]),
      ]),
    );
  }
  if (q.status) s = s.where('status', '=', q.status);
  if (q.after) s = s.where('id', '>', q.after);
  return s.orderBy('id').limit(q.limit).execute();
}

/**
 * Packages each of `locations` has taken on since `since` (a daily capacity is shared by every order
 * of the day). Only the locations with a capacity are asked: fulfillments_location_day (migration
 * 9950) reads their rows of the day, where the count of every location scanned the whole table.
 */
export async function packagesSince(
  db: Executor,
  since: Date,
  locations: readonly string[],
): Promise<Map<string, number>> {
  if (locations.length === 0) return new Map();
  const rows = await packagesSinceStmt.rows(db, { since, locations });
  return new Map(rows.map((r) => [r.location_id, Number(r.n)]));
}

/**
 * A sourcing's decision, its tasks and their events in one statement (one round trip where three
 * were): the tasks as one JSON array (jsonb_to_recordset: one text whatever their number, so it is
 * prepared once), the events as `outboxInsert`'s tail (platform/events/outbox.ts). One statement is
 * all or nothing, as the three were inside the caller's transaction.
 */
export async function insertSourcing(
  trx: Executor,
  decision: Insertable<SourcingDecisionsTable> & { created_at: Date },
  rows: readonly (Insertable<FulfillmentsTable> & { lines: readonly unknown[] })[],
  events: RawBuilder<unknown>,
): Promise<void> {
  const d = decision;
  const tasks = JSON.stringify(rows);
  await sql`
    with d as (
      insert into sourcing_decisions (id, order_id, attempt, trigger, cost, allocations, unsourced, explanation, created_at)
      values (${d.id}, ${d.order_id}, ${d.attempt}::int, ${d.trigger}, ${d.cost}::bigint, ${d.allocations}::jsonb,
        ${d.unsourced}::jsonb, ${d.explanation}::jsonb, ${d.created_at}::timestamptz)
    ), f as (
      insert into fulfillments (${TASK_NAMES}) select ${TASK_NAMES} from jsonb_to_recordset(${tasks}::jsonb) as t(${TASK_TYPES})
    )
    ${events}`.execute(trx);
}
/** The columns a sourcing writes of a new task, with their types (the others keep their defaults). */
const TASK_COLUMNS: readonly (readonly [keyof FulfillmentsTable, string])[] = [
  ['id', 'text'],
  ['order_id', 'text'],
  ['location_id', 'text'],
  ['method', 'text'],
  ['destination_location_id', 'text'],
  ['status', 'text'],
  ['reservation_id', 'text'],
  ['transfer_id', 'text'],
  ['pickup_code', 'text'],
  ['tracking', 'text'],
  ['sla_deadline', 'timestamptz'],
  ['ready_at', 'timestamptz'],
  ['reject_reason', 'text'],
  ['decision_id', 'text'],
  ['channel_id', 'text'],
  ['customer_id', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['lines', 'jsonb'],
];
const TASK_NAMES = sql.raw(TASK_COLUMNS.map(([c]) => c).join(', '));
const TASK_TYPES = sql.raw(TASK_COLUMNS.map(([c, type]) => `${c} ${type}`).join(', '));

/** Pending tasks past their SLA, claimed so several processes can run the job. */
export function claimOverdue(db: Executor, now: Date, limit: number): Promise<FulfillmentRow[]> {
  return db
    .selectFrom('fulfillments')
    .selectAll()
    .where('status', '=', 'pending')
    .where('sla_deadline', '<', now)
    .orderBy('sla_deadline')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}
export function claimUncollected(db: Executor, before: Date, limit: number): Promise<FulfillmentRow[]> {
  return db
    .selectFrom('fulfillments')
    .selectAll()
    .where('status', '=', 'ready_for_pickup')
    .where('ready_at', '<', before)
    .orderBy('ready_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Locations that rejected or timed out on this order: never offered it again. */
export async function refusedBy(db: Executor, orderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('fulfillments')
    .select('location_id')
    .where('order_id', '=', orderId)
    .where('status', '=', 'rejected')
    .execute();
  return rows.map((r) => r.location_id);
}

/** Doctor: pending tasks past their SLA by more than `graceMs` (the SLA job is not keeping up). */
export function overduePending(
  db: Executor,
  before: Date,
): Promise<{ id: string; location_id: string; sla_deadline: Date }[]> {
  return db
    .selectFrom('fulfillments')
    .select(['id', 'location_id', 'sla_deadline'])
    .where('status', '=', 'pending')
    .where('sla_deadline', '<', before)
    .limit(20)
    .execute();
}
/** Doctor: tasks that should hold stock but name no reservation. */
export function holdingWithoutReservation(db: Executor): Promise<{ id: string; status: string }[]> {
  return db
    .selectFrom('fulfillments')
    .select(['id', 'status'])
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['pending', 'accepted']),
        eb.and([eb('status', '=', 'ready_for_pickup'), eb('transfer_id', 'is not', null)]),
      ]),
    )
    .where('reservation_id', 'is', null)
    .limit(20)
    .execute();
}

// ---- the inbox ------------------------------------------------------------------------------------

export type InboxRow = Selectable<FulfillmentInboxTable>;

/** Records inbox items (one statement for a batch), once per event id. */
export async function enqueue(
  db: Executor,
  row: Insertable<FulfillmentInboxTable> | Insertable<FulfillmentInboxTable>[],
): Promise<void> {
  if (Array.isArray(row) && row.length === 0) return;
  await enqueueStmt.run(db, { rows: Array.isArray(row) ? row : [row] });
}
const enqueueStmt = compiledRows((db, rows: Insertable<FulfillmentInboxTable>[]) =>
  db
    .insertInto('fulfillment_inbox')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing()),
);
/** An inbox item as claimed; for an `order_placed` item, what sourcing it needs from fulfillment's tables. */
export interface TakenItem extends InboxRow {
  order: OrderFacts | null;
}
/** Read with the claim, in its transaction: one round trip where these were two more per order. */
export interface OrderFacts {
  /** The order's last sourcing attempt (0: never sourced). */
  attempts: number;
  /** Packages taken on since `since` at each of `locations` (the ones with a daily capacity). */
  packages: { since: Date; locations: readonly string[]; used: Map<string, number> };
}

/**
 * The oldest due item (locked: other processes skip it), claimed and deleted in one statement where a
 * locking select and a delete were two per item. The caller's transaction works the item; a failure
 * rolls the delete back with it, so the row is there again for `failInbox` to record the back-off.
 * For an `order_placed` item to source (a delivery `method` in `methods`) the same statement reads the
 * order's last attempt and, when `capacity` names locations, their packages since `capacity.since`
 * (as `lastAttempt` and `packagesSince` do).
 */
export async function takeInbox(
  db: Executor,
  now: Date,
  methods: readonly string[],
  capacity: { since: Date; locations: readonly string[] },
): Promise<TakenItem | undefined> {
  const r = capacity.locations.length
    ? await takeInboxWithPackagesStmt.first(db, { now, methods, since: capacity.since, locations: capacity.locations })
    : await takeInboxStmt.first(db, { now, methods });
  if (!r) return undefined;
  const { last_attempt, packages, ...row } = r;
  return {
    ...row,
    order:
      last_attempt === null
        ? null
        : {
            attempts: Number(last_attempt),
            packages: {
              since: capacity.since,
              locations: capacity.locations,
              used: new Map(json<[string, number][] | null>(packages)?.map(([l, n]) => [l, Number(n)]) ?? []),
            },
          },
  };
}
// Two statements: without capacity locations the packages count is left out of the text. In one text
// `cardinality($locations) > 0` kept it in the generic plan (a fulfillments scan, cost ≈ 390 against
// ≈ 16), so PostgreSQL planned the claim afresh on every call (docs/scaling.md, "Plans kept").
const takeInboxStmt = compiled(
  (_db, p: { now: Date; methods: readonly string[] }) =>
    sql<InboxRow & { last_attempt: number | null; packages: unknown }>`${takeInboxHead(p)}, null::json as packages`,
);
const takeInboxWithPackagesStmt = compiled(
  (_db, p: { now: Date; methods: readonly string[]; since: Date; locations: readonly string[] }) =>
    sql<InboxRow & { last_attempt: number | null; packages: unknown }>`${takeInboxHead(p)},
        case when kind = 'order_placed' and payload->'delivery'->>'method' = any(${p.methods}::text[]) then (
          select json_agg(json_build_array(c.location_id, c.n)) from (
            select location_id, count(*) as n from fulfillments
            where location_id = any(${p.locations}::text[]) and created_at >= ${p.since}::timestamptz
              and status not in ('rejected', 'cancelled')
            group by location_id
          ) c
        ) end as packages`,
);
function takeInboxHead(p: { now: Date; methods: readonly string[] }) {
  return sql`
      delete from fulfillment_inbox where id = (
        select id from fulfillment_inbox where next_at <= ${p.now}::timestamptz order by id limit 1 for update skip locked
      )
      returning *,
        case when kind = 'order_placed' and payload->'delivery'->>'method' = any(${p.methods}::text[]) then (
          select coalesce(max(d.attempt), 0) from sourcing_decisions d where d.order_id = fulfillment_inbox.payload->>'order_id'
        ) end as last_attempt`;
}
export async function failInbox(db: Executor, id: string, error: string, nextAt: Date): Promise<void> {
  await db
    .updateTable('fulfillment_inbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), next_at: nextAt }))
    .where('id', '=', id)
    .execute();
}
/** Doctor: items retried many times (something keeps failing). */
export function stuckInbox(
  db: Executor,
  attempts: number,
): Promise<{ id: string; kind: string; attempts: number; last_error: string | null }[]> {
  return db
    .selectFrom('fulfillment_inbox')
    .select(['id', 'kind', 'attempts', 'last_error'])
    .where('attempts', '>=', attempts)
    .limit(20)
    .execute();
}

// ---- pickup-code tries ----------------------------------------------------------------------------

/**
 * Counts one wrong pickup code and locks the task when the count reaches `lockAt`, in one
 * conditional UPDATE, so concurrent wrong tries can neither be lost nor slip past the limit.
 * Undefined when the task was locked already (nothing counted).
 */
export function countWrongPickup(
  db: Executor,
  id: string,
  lockAt: number,
  now: Date,
): Promise<{ pickup_failures: number; pickup_locked_at: Date | null } | undefined> {
  return db
    .updateTable('fulfillments')
    .set((eb) => ({
      pickup_failures: eb('pickup_failures', '+', 1),
      pickup_locked_at: eb
        .case()
        .when(eb('pickup_failures', '+', 1), '>=', lockAt)
        // typed: a bare parameter in a CASE would be text to PostgreSQL
        .then(sql<Date>`cast(${now} as timestamptz)`)
        .else(null)
        .end(),
    }))
    .where('id', '=', id)
    .where('pickup_locked_at', 'is', null)
    .returning(['pickup_failures', 'pickup_locked_at'])
    .executeTakeFirst();
}

/** Unlocks a locked handover and starts the count again. Undefined when it was not locked. */
export function unlockPickup(db: Executor, id: string, now: Date): Promise<FulfillmentRow | undefined> {
  return db
    .updateTable('fulfillments')
    .set({ pickup_failures: 0, pickup_locked_at: null, updated_at: now })
    .where('id', '=', id)
    .where('pickup_locked_at', 'is not', null)
    .returningAll()
    .executeTakeFirst();
}
