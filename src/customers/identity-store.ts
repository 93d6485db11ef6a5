/** SQL of the identity graph: profiles, identifiers, merges and refused merges. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { CustomersTable } from './tables.js';
import './tables.js';

export type CustomerRow = Selectable<CustomersTable>;

export interface OwnerRow {
  kind: string;
  value: string;
  customer_id: string;
  root_id: string;
  root_status: string;
  analytics_denied: boolean;
}

/**
 * The root of each row, with the root's status and analytics flag. Two index lookups rather than a
 * self-join: with 500 ids the planner hashed the whole customers table (95 ms at 100k profiles),
 * and most rows are their own root, so the second lookup is usually empty.
 */
async function withRoots<T extends { root_id: string }>(
  db: Executor,
  rows: T[],
): Promise<(T & { root_status: string; analytics_denied: boolean })[]> {
  const selfRoots = new Map<string, { status: string; analytics_denied: boolean }>();
  for (const r of rows as (T & { id?: string; customer_id?: string; status?: string; analytics_denied?: boolean })[]) {
    const own = r.id ?? r.customer_id;
    if (own === r.root_id && r.status !== undefined)
      selfRoots.set(own, { status: r.status, analytics_denied: r.analytics_denied ?? false });
  }
  const missing = [...new Set(rows.map((r) => r.root_id).filter((id) => !selfRoots.has(id)))];
  if (missing.length) {
    const found = await db
      .selectFrom('customers')
      .select(['id', 'status', 'analytics_denied'])
      .where('id', 'in', missing)
      .execute();
    for (const f of found) selfRoots.set(f.id, { status: f.status, analytics_denied: f.analytics_denied });
  }
  return rows.map((r) => ({
    ...r,
    root_status: selfRoots.get(r.root_id)?.status ?? 'erased',
    analytics_denied: selfRoots.get(r.root_id)?.analytics_denied ?? false,
  }));
}

/** Who owns these identifiers, with the root each owner resolves to: one query for a whole batch. */
export async function owners(db: Executor, keys: { kind: string; value: string }[]): Promise<OwnerRow[]> {
  if (keys.length === 0) return [];
  const res = await sql<{
    kind: string;
    value: string;
    customer_id: string;
    root_id: string;
    status: string;
    analytics_denied: boolean;
  }>`
    select i.kind, i.value, i.customer_id, c.root_id, c.status, c.analytics_denied
    from customer_identifiers i
    join customers c on c.id = i.customer_id
    where (i.kind, i.value) in (select * from unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.value)}::text[]))`.execute(
    db,
  );
  return (await withRoots(db, res.rows)).map(({ status: _s, ...r }) => r);
}

export type RootRow = { id: string; root_id: string; root_status: string; analytics_denied: boolean };

/**
 * The explicit customer ids of an event batch that need a look (events' `customer_id`): `rows` are the
 * profiles that are not plain — merged into another, erased, or their person denied analytics — with
 * their root's status and flags, `missing` the ids no profile has. Every other id is a plain profile:
 * its own root, active, analytics allowed. Nearly every id of a batch is plain, so PostgreSQL probes
 * each one but sends back only the few others (reading back all 500 rows of a batch was ~3 µs of the
 * process's CPU per event, parsing rows nobody needed).
 */
export async function unusualProfiles(db: Executor, ids: string[]): Promise<{ rows: RootRow[]; missing: string[] }> {
  if (ids.length === 0) return { rows: [], missing: [] };
  const res = await sql<{
    ask: string;
    id: string | null;
    root_id: string;
    status: string;
    analytics_denied: boolean;
  }>`select u.id as ask, c.id, c.root_id, c.status, c.analytics_denied
    from unnest(${ids}::text[]) as u(id) left join customers c on c.id = u.id
    where c.id is null or c.root_id <> c.id or c.status <> 'active' or c.analytics_denied`.execute(db);
  const missing: string[] = [];
  const found: { id: string; root_id: string; status: string; analytics_denied: boolean }[] = [];
  for (const r of res.rows) {
    if (r.id === null) missing.push(r.ask);
    else found.push({ id: r.id, root_id: r.root_id, status: r.status, analytics_denied: r.analytics_denied });
  }
  return { rows: (await withRoots(db, found)).map(({ status: _s, ...r }) => r), missing };
}

export function getCustomer(db: Executor, id: string): Promise<CustomerRow | undefined> {
  return db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
}
/** Several customers in one round trip (in no particular order; missing ids are absent). */
export function getCustomers(db: Executor, ids: string[]): Promise<CustomerRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('customers').selectAll().where('id', 'in', ids).execute();
}
export function lockCustomers(db: Executor, ids: string[]): Promise<CustomerRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('customers').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}
/** All rows of the person a (possibly merged) id belongs to, in one round trip. */
export function personOf(db: Executor, id: string): Promise<CustomerRow[]> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('root_id', '=', (eb) => eb.selectFrom('customers as x').select('x.root_id').where('x.id', '=', id))
    .orderBy('id')
    .execute();
}
export function members(db: Executor, rootId: string): Promise<CustomerRow[]> {
  return db.selectFrom('customers').selectAll().where('root_id', '=', rootId).orderBy('id').execute();
}
export function membersOfRoots(db: Executor, rootIds: string[]): Promise<{ id: string; root_id: string }[]> {
  if (rootIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('customers').select(['id', 'root_id']).where('root_id', 'in', rootIds).execute();
}

export async function insertCustomer(
  db: Executor,
  row: { id: string; first_name?: string | null; last_name?: string | null; password_hash?: string | null; at: Date },
): Promise<void> {
  await db
    .insertInto('customers')
    .values({
      id: row.id,
      status: 'active',
      merged_into: null,
      root_id: row.id,
      first_name: row.first_name ?? null,
      last_name: row.last_name ?? null,
      password_hash: row.password_hash ?? null,
      analytics_denied: false,
      created_at: row.at,
      updated_at: row.at,
      erased_at: null,
    })
    .execute();
}

export function identifiersOf(db: Executor, customerIds: string[]) {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customer_identifiers')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .orderBy('kind')
    .orderBy('value')
    .execute();
}

/** Links identifiers; a race with another process linking the same one is a unique violation. */
export async function insertIdentifiers(
  db: Executor,
  rows: { kind: string; value: string; customer_id: string; verified: boolean; created_at: Date; source: string }[],
): Promise<void> {
  if (rows.length)
    await db
      .insertInto('customer_identifiers')
      .values(rows)
      .onConflict((oc) => oc.columns(['kind', 'value', 'customer_id']).doNothing())
      .execute();
}
export async function markVerified(db: Executor, customerId: string, kind: string, value: string): Promise<void> {
  await db
    .updateTable('customer_identifiers')
    .set({ verified: true })
    .where('customer_id', '=', customerId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .execute();
}
export async function updateCustomer(db: Executor, id: string, patch: Partial<Omit<CustomerRow, 'id'>>): Promise<void> {
  await db.updateTable('customers').set(patch).where('id', '=', id).execute();
}

/** Every row under `absorbedRoot` now resolves to `survivorRoot`. */
export async function reroot(db: Executor, from: string, to: string, at: Date): Promise<string[]> {
  const rows = await db
    .updateTable('customers')
    .set({ root_id: to, updated_at: at })
    .where('root_id', '=', from)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
export async function setRoot(db: Executor, ids: string[], root: string, at: Date): Promise<void> {
  if (ids.length)
    await db.updateTable('customers').set({ root_id: root, updated_at: at }).where('id', 'in', ids).execute();
}

/** The profile and everything merged into it, directly or through others (for an unmerge). */
export async function subtree(db: Executor, id: string): Promise<string[]> {
  const res = await sql<{ id: string }>`
    with recursive t(id) as (select ${id}::text union select c.id from customers c join t on c.merged_into = t.id)
    select id from t`.execute(db);
  return res.rows.map((r) => r.id);
}

export async function insertMerge(
  db: Executor,
  row: { id: string; survivor_id: string; absorbed_id: string; reason: string; snapshot: unknown; created_at: Date },
): Promise<void> {
  await db
    .insertInto('customer_merges')
    .values({ ...row, snapshot: JSON.stringify(row.snapshot), undone_at: null, undone_by: null })
    .execute();
}
export function activeMergeOf(db: Executor, absorbedId: string) {
  return db
    .selectFrom('customer_merges')
    .selectAll()
    .where('absorbed_id', '=', absorbedId)
    .where('undone_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}
export async function markMergeUndone(db: Executor, id: string, at: Date, by: string): Promise<void> {
  await db.updateTable('customer_merges').set({ undone_at: at, undone_by: by }).where('id', '=', id).execute();
}
export function mergesOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customer_merges')
    .selectAll()
    .where((eb) => eb.or([eb('survivor_id', 'in', ids), eb('absorbed_id', 'in', ids)]))
    .orderBy('created_at')
    .execute();
}
export async function insertConflicts(
  db: Executor,
  rows: {
    id: string;
    customer_a: string;
    customer_b: string;
    reason: string;
    detail: string;
    source: string;
    created_at: Date;
  }[],
): Promise<void> {
  if (rows.length) await db.insertInto('customer_merge_conflicts').values(rows).execute();
}
export function conflictsOf(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customer_merge_conflicts')
    .selectAll()
    .where((eb) => eb.or([eb('customer_a', 'in', ids), eb('customer_b', 'in', ids)]))
    .orderBy('created_at')
    .execute();
}

/** Account login: the row that owns this email and has a password. */
export async function accountByEmail(
  db: Executor,
  email: string,
): Promise<{ id: string; root_id: string; password_hash: string | null; status: string } | undefined> {
  return db
    .selectFrom('customer_identifiers as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['c.id', 'c.root_id', 'c.password_hash', 'c.status'])
    .where('i.kind', '=', 'email')
    .where('i.value', '=', email)
    .executeTakeFirst();
}
