/**
 * SQL of the contact-center desk: the search lookups (each an index probe: the identifiers' unique
 * (kind, value) index, the order feed's primary key, the name prefix indexes of migration 4100),
 * the channel a key may see, and notes.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { prefixPattern } from './search-rules.js';
import './tables.js';

export interface Hit {
  root_id: string;
  matched: string;
}

/** Profile rows owning any of these identifiers, resolved to their person (active or merged rows). */
export async function byIdentifiers(db: Executor, keys: { kind: string; value: string }[]): Promise<Hit[]> {
  if (keys.length === 0) return [];
  return identifiersQuery(db, keys).execute();
}
/** The identifier lookup as a query (desk.pg.int.test.ts checks its plan). */
export function identifiersQuery(db: Executor, keys: { kind: string; value: string }[]) {
  return db
    .selectFrom('customer_identifiers as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['c.root_id', 'i.kind as matched'])
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('i.kind', '=', k.kind), eb('i.value', '=', k.value)]))))
    .where('c.status', '<>', 'erased');
}

export async function byOrder(db: Executor, orderId: string): Promise<Hit[]> {
  return db
    .selectFrom('customer_orders as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .select(['c.root_id', sql<string>`'order'`.as('matched')])
    .where('o.order_id', '=', orderId)
    .where('c.status', '<>', 'erased')
    .execute();
}

export async function byId(db: Executor, id: string): Promise<Hit[]> {
  return db
    .selectFrom('customers')
    .select(['root_id', sql<string>`'id'`.as('matched')])
    .where('id', '=', id)
    .where('status', '<>', 'erased')
    .execute();
}

/**
 * People whose "first last" or last name starts with `prefix` (already folded by `foldName`), in name
 * order. The expressions match migration 4300's indexes exactly (the planner uses an expression index
 * only for the same expression).
 */
export async function byName(db: Executor, prefix: string, limit: number): Promise<Hit[]> {
  const res = await nameQuery(prefix, limit).execute(db);
  return res.rows.map((r) => ({ root_id: r.root_id, matched: r.matched }));
}
const FULL = sql.raw(`(omnia_fold_name(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) collate "C")`);
const LAST = sql.raw(`(omnia_fold_name(last_name) collate "C")`);

/** The name lookup as a query (desk.pg.int.test.ts checks its plan). */
export function nameQuery(prefix: string, limit: number) {
  const pattern = prefixPattern(prefix);
  // Every expression carries collate "C" so it is the index's own expression and order (migration 4300).
  return sql<Hit>`
    (select root_id, 'name' as matched, ${FULL} as k
       from customers
      where status <> 'erased' and ${FULL} like ${pattern}
      order by ${FULL} limit ${limit})
    union all
    (select root_id, 'name' as matched, ${LAST} as k
       from customers
      where status <> 'erased' and last_name is not null and ${LAST} like ${pattern}
      order by ${LAST} limit ${limit})
    order by k limit ${limit}`;
}

/**
 * Of these people, the ones a channel has met: an order in it (orders carry the channel id), an event
 * in it (the daily roll-up carries the channel code) or an identification through it.
 */
export async function seenInChannel(
  db: Executor,
  roots: string[],
  channel: { id: string; code: string | undefined },
): Promise<Set<string>> {
  if (roots.length === 0) return new Set();
  const code = channel.code ?? channel.id;
  const res = await sql<{ root_id: string }>`
    select distinct c.root_id from customers c
     where c.root_id = any(${roots}::text[])
       and (exists (select 1 from customer_orders o where o.customer_id = c.id and o.channel = ${channel.id})
         or exists (select 1 from customer_daily d where d.customer_id = c.id and d.channel = ${code})
         or exists (select 1 from customer_identifiers i
                     where i.customer_id = c.id
                       and i.source in (${`identify:${channel.id}`}, ${`register:${channel.id}`})))`.execute(db);
  return new Set(res.rows.map((r) => r.root_id));
}

export interface PersonSummary {
  id: string;
  first_name: string | null;
  last_name: string | null;
  identifiers: { kind: string; value: string }[];
}

/** Name and contact identifiers of each person (root rows and their members). */
export async function summaries(db: Executor, roots: string[]): Promise<Map<string, PersonSummary>> {
  const out = new Map<string, PersonSummary>();
  if (roots.length === 0) return out;
  const [people, idents] = await Promise.all([
    db.selectFrom('customers').select(['id', 'first_name', 'last_name']).where('id', 'in', roots).execute(),
    db
      .selectFrom('customers as c')
      .innerJoin('customer_identifiers as i', 'i.customer_id', 'c.id')
      .select(['c.root_id', 'i.kind', 'i.value'])
      .where('c.root_id', 'in', roots)
      .where('i.kind', 'in', ['email', 'phone', 'loyalty_card'])
      .orderBy('i.kind')
      .orderBy('i.value')
      .execute(),
  ]);
  for (const p of people) out.set(p.id, { ...p, identifiers: [] });
  for (const i of idents) out.get(i.root_id)?.identifiers.push({ kind: i.kind, value: i.value });
  return out;
}

// ---- notes ----

export async function insertNote(
  db: Executor,
  row: { id: string; customer_id: string; body: string; author: string; created_at: Date },
): Promise<void> {
  await db.insertInto('customer_notes').values(row).execute();
}

export function notesOf(db: Executor, rowIds: string[]) {
  if (rowIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customer_notes')
    .selectAll()
    .where('customer_id', 'in', rowIds)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function eraseNotes(db: Executor, rowIds: string[]): Promise<void> {
  if (rowIds.length) await db.deleteFrom('customer_notes').where('customer_id', 'in', rowIds).execute();
}
