/**
 * SQL of the availability summary (migration 3200): one row per SKU packing, per location slot,
 * on_hand − reserved and the safety stock, so an availability read takes one row per SKU instead of
 * one per location.
 *
 * Kept exact in the writer's transaction: every operation that changes on_hand, reserved or
 * safety_stock ends with `syncAtp` for the rows it changed (or, in the batcher, carries the same
 * SQL in its UPDATE: `addReservedSynced`). The slots it writes are set to the stock row's values, not
 * incremented, so a sync is idempotent and a row changed outside the service is repaired by its next
 * sync. Lock order: an operation changes (and so locks) all its stock rows first, then locks the
 * summary rows in SKU order (`lk`), so two operations never wait on each other in a cycle; a summary
 * row is locked only by writers of its SKU, and each writer locks it once per operation (a batch of
 * the hot-SKU batcher: once per batch).
 *
 * Every write of a summary row gives it a new `version` (a sequence value, migration 9551): the
 * answer cache (answer-cache.ts) keys a SKU's row by it. Whatever writes atp_summary must do so.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { inList } from '../platform/db/in-list.js';
import type { LevelRow } from './store.js';
import { unpack } from './atp-summary-rules.js';
import './atp-summary-tables.js';

export interface LevelKey {
  sku: string;
  location_id: string;
}

interface SyncCounts {
  /** changed rows, and how many of them found their location's slot */
  keys: number;
  slotted: number;
  /** SKUs to write, and how many rows were updated or inserted */
  want: number;
  done: number;
}

/**
 * `known`: each changed location's slot, or null — one index probe per location (a correlated
 * sub-select), where a join was planned as a hash of every slot row, twice per statement.
 */
const KNOWN_SLOTS = sql`known as (
      select c.location_id, (select s.slot from atp_location_slots s where s.location_id = c.location_id) as slot
      from (select distinct location_id from changed) c
    )`;
/** `lk`: the SKUs' summary rows locked in SKU order (the order every writer takes them in). */
const LOCK_SUMMARY_ROWS = sql`lk as (
      select a.sku from atp_summary a where a.sku in (select sku from v) order by a.sku for update
    )`;

/**
 * The maintenance CTEs after a CTE `changed(sku, location_id, free, safety)` of new values: give
 * new locations a slot, lock the SKUs' summary rows in order, write the slots, create missing rows.
 * A slot or row that another transaction created while this one waited is invisible to this
 * statement's snapshot: the counts show it and the caller runs the sync again (a new snapshot).
 */
function maintenance(now: Date): RawBuilder<unknown> {
  return sql`
    ${KNOWN_SLOTS},
    ins_slot as (
      insert into atp_location_slots (location_id)
      select location_id from known where slot is null
      order by 1
      on conflict do nothing
      returning location_id, slot
    ),
    slot as (
      select location_id, slot from known where slot is not null
      union all
      select location_id, slot from ins_slot
    ),
    v as (
      select c.sku, array_agg(s.slot order by s.slot) as slots,
        array_agg(c.free order by s.slot) as free, array_agg(c.safety order by s.slot) as safety
      from changed c join slot s on s.location_id = c.location_id
      group by c.sku
    ),
    ${LOCK_SUMMARY_ROWS},
    up as (
      update atp_summary a
      set free = inventory_atp_put(a.free, v.slots, v.free),
        -- most writes (a reservation, a receipt) leave safety stock alone: then the stored array is
        -- kept as it is, not expanded, rebuilt and compressed again (a compressed value is reused)
        safety = case when inventory_atp_pick(a.safety, v.slots) = v.safety then a.safety
          else inventory_atp_put(a.safety, v.slots, v.safety) end,
        updated_at = ${now}::timestamptz,
        version = nextval('atp_summary_version')
      from v join lk on lk.sku = v.sku
      where a.sku = v.sku
      returning a.sku
    ),
    ins as (
      insert into atp_summary (sku, free, safety, updated_at)
      select v.sku, inventory_atp_put(null, v.slots, v.free), inventory_atp_put(null, v.slots, v.safety), ${now}::timestamptz
      from v where not exists (select 1 from lk where lk.sku = v.sku)
      order by v.sku
      on conflict (sku) do nothing
      returning sku
    ),
    counts as (
      select (select count(*) from changed)::int as keys,
        (select count(*) from changed c join slot s on s.location_id = c.location_id)::int as slotted,
        (select count(*) from v)::int as want,
        ((select count(*) from up) + (select count(*) from ins))::int as done
    )`;
}

/**
 * `maintenance` for the common write, as one short statement: every SKU changes one slot (a spread
 * grant, a checkout line), its row exists with a non-empty `free`, its locations have slots and its
 * safety stock is the one stored. Then `free[slot] = v` (PostgreSQL's own subscripted assignment on
 * the stored array: no plpgsql call, no expanded array) and the safety array is not touched. A SKU
 * outside that case is locked but left unwritten, and a location without a slot is left out: the
 * counts show it and the caller runs the full sync (`syncFull`), which writes every SKU again. An
 * empty array is never assigned into: PostgreSQL would make it `[slot:slot]`, and the readers take
 * positions from `array_to_string`. A slot past the end extends the array with NULLs, as the put does.
 * Measured (docs/scaling.md, "Summary writes (eighth session)"): without the slot and row inserts
 * and the plpgsql calls, a 20-SKU grant costs PostgreSQL ≈ 25 % less CPU.
 */
function oneSlotWrites(now: Date): RawBuilder<unknown> {
  return sql`
    ${KNOWN_SLOTS},
    v as (
      select c.sku, array_agg(k.slot order by k.slot) as slots,
        array_agg(c.free order by k.slot) as free, array_agg(c.safety order by k.slot) as safety
      from changed c join known k on k.location_id = c.location_id and k.slot is not null
      group by c.sku
    ),
    ${LOCK_SUMMARY_ROWS},
    up as (
      update atp_summary a
      set free[v.slots[1]] = v.free[1],
        updated_at = ${now}::timestamptz,
        version = nextval('atp_summary_version')
      from v join lk on lk.sku = v.sku
      where a.sku = v.sku and cardinality(v.slots) = 1 and cardinality(a.free) > 0
        and a.safety[v.slots[1]] is not distinct from v.safety[1]
      returning a.sku
    ),
    counts as (
      select (select count(*) from changed)::int as keys,
        (select count(*) from changed c join known k on k.location_id = c.location_id and k.slot is not null)::int as slotted,
        (select count(*) from v)::int as want,
        (select count(*) from up)::int as done
    )`;
}

const complete = (c: SyncCounts | undefined) => !c || (c.keys === c.slotted && c.want === c.done);

function dedupe(keys: readonly LevelKey[]): LevelKey[] {
  const seen = new Map<string, LevelKey>();
  for (const k of keys) seen.set(`${k.sku}\u0000${k.location_id}`, k);
  return [...seen.values()];
}

/** The stock rows' current values, as the `changed` CTE the maintenance CTEs start from. */
function changedRows(list: readonly LevelKey[]): RawBuilder<unknown> {
  return sql`
      changed as (
        select l.sku, l.location_id, l.on_hand - l.reserved as free, l.safety_stock as safety
        from stock_levels l
        join unnest(${sql.val(list.map((k) => k.sku))}::text[], ${sql.val(list.map((k) => k.location_id))}::text[]) as k(sku, location_id)
          on l.sku = k.sku and l.location_id = k.location_id
      )`;
}

/**
 * Brings the summary slots of these stock rows to the rows' current values, in the caller's
 * transaction, after the caller changed (and so locked) them. Call once per operation, at its end.
 */
export async function syncAtp(trx: Executor, keys: readonly LevelKey[], now: Date): Promise<void> {
  const list = dedupe(keys);
  if (list.length === 0) return;
  const r = await sql<SyncCounts>`with ${changedRows(list)}, ${oneSlotWrites(now)} select * from counts`.execute(trx);
  if (!complete(r.rows[0])) await syncFull(trx, list, now);
}

/** `syncAtp` through the full maintenance: new slots, new rows, several slots, safety stock. */
async function syncFull(trx: Executor, list: readonly LevelKey[], now: Date): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const r = await sql<SyncCounts>`with ${changedRows(list)}, ${maintenance(now)} select * from counts`.execute(trx);
    if (complete(r.rows[0])) return;
    // cannot loop for long: each pass sees what the previous one waited for
    if (attempt >= 3) throw new Error(`availability summary: sync incomplete ${JSON.stringify(r.rows[0])}`);
  }
}

/**
 * The hot-SKU batcher's grants (store-reservations.ts `addReservedMany`) and the summary sync in one
 * statement: the batch's rows are already locked, so this takes only the summary rows, once per SKU.
 */
export async function addReservedSynced(
  trx: Executor,
  items: readonly { sku: string; location_id: string; quantity: number }[],
  channelSafety: number,
  now: Date,
): Promise<LevelRow[]> {
  if (items.length === 0) return [];
  const r = await sql<LevelRow & { sync: SyncCounts }>`
    with stock as (
      update stock_levels s set reserved = s.reserved + a.qty, updated_at = ${now}::timestamptz
      from unnest(${sql.val(items.map((i) => i.sku))}::text[], ${sql.val(items.map((i) => i.location_id))}::text[], ${sql.val(items.map((i) => i.quantity))}::int[]) as a(sku, location_id, qty)
      where s.sku = a.sku and s.location_id = a.location_id
        and s.on_hand - s.reserved - greatest(s.safety_stock, ${channelSafety}::int) >= a.qty
      returning s.*
    ),
    changed as (select sku, location_id, on_hand - reserved as free, safety_stock as safety from stock),
    ${oneSlotWrites(now)}
    select stock.*, row_to_json(counts) as sync from stock cross join counts`.execute(trx);
  const rows = r.rows.map(({ sync, ...row }) => (void sync, row as LevelRow));
  if (!complete(r.rows[0]?.sync)) await syncFull(trx, dedupe(rows), now);
  return rows;
}

/** The summary rows of these SKUs rebuilt from all their stock rows (bulk loads: the demo seed). */
export async function rebuildAtp(trx: Executor, skus: readonly string[], now: Date): Promise<void> {
  if (skus.length === 0) return;
  await sql`
    insert into atp_location_slots (location_id)
    select distinct l.location_id from stock_levels l
    where l.sku = any(${sql.val(skus)}::text[])
      and not exists (select 1 from atp_location_slots s where s.location_id = l.location_id)
    order by 1
    on conflict do nothing`.execute(trx);
  await sql`
    insert into atp_summary (sku, free, safety, updated_at)
    select l.sku,
      inventory_atp_put(null, array_agg(s.slot), array_agg(l.on_hand - l.reserved)),
      inventory_atp_put(null, array_agg(s.slot), array_agg(l.safety_stock)),
      ${now}::timestamptz
    from stock_levels l join atp_location_slots s on s.location_id = l.location_id
    where l.sku = any(${sql.val(skus)}::text[])
    group by l.sku
    order by l.sku
    on conflict (sku) do update set free = excluded.free, safety = excluded.safety, updated_at = excluded.updated_at,
      version = nextval('atp_summary_version')`.execute(trx);
}

/** Every location's slot (they never change once given). */
export async function allSlots(db: Executor): Promise<{ location_id: string; slot: number }[]> {
  return db.selectFrom('atp_location_slots').select(['location_id', 'slot']).execute();
}

/**
 * A summary row's arrays (whole, or only the `slots` asked for, in that order), plus for the
 * `unslotted` locations the stock rows themselves, as one-element arrays: one snapshot for both.
 */
export interface SummaryReadRow {
  sku: string;
  /** null: a summary row; else a stock row of this unslotted location */
  location_id: string | null;
  free: (number | null)[];
  safety: (number | null)[];
}

export async function readSummaries(
  db: Executor,
  skus: readonly string[],
  slots: readonly number[] | undefined,
  unslotted: readonly string[],
): Promise<SummaryReadRow[]> {
  return (await readPacked(db, skus, slots, unslotted)).map((r) => ({
    sku: r.sku,
    location_id: r.location_id,
    free: unpack(r.free),
    safety: unpack(r.safety),
  }));
}

/**
 * `readSummaries` with the arrays as read: comma-separated text, a missing slot as an empty field
 * (split and Number() cost a fraction of the driver's character-by-character int[] parser on
 * 500-slot rows). The SKUs are matched by `inList` (one text per short list length, each planned once).
 */
export async function readPacked(
  db: Executor,
  skus: readonly string[],
  slots: readonly number[] | undefined,
  unslotted: readonly string[],
): Promise<PackedRow[]> {
  if (!skus.length) return [];
  const text = (a: RawBuilder<unknown>) => sql`array_to_string(${a}, ',', '')`;
  const head = slots
    ? sql`
      select a.sku, null::text as location_id,
        ${text(sql`inventory_atp_pick(a.free, ${sql.val(slots)}::int[])`)} as free,
        ${text(sql`inventory_atp_pick(a.safety, ${sql.val(slots)}::int[])`)} as safety
      from atp_summary a where ${inList('a.sku', skus)}`
    : sql`select a.sku, null::text as location_id, ${text(sql`a.free`)} as free, ${text(sql`a.safety`)} as safety
      from atp_summary a where ${inList('a.sku', skus)}`;
  const q = unslotted.length
    ? sql<PackedRow>`${head}
      union all
      select l.sku, l.location_id, (l.on_hand - l.reserved)::text, l.safety_stock::text
      from stock_levels l where ${inList('l.sku', skus)} and l.location_id = any(${sql.val(unslotted)}::text[])`
    : sql<PackedRow>`${head}`;
  return (await q.execute(db)).rows;
}

export interface PackedRow {
  sku: string;
  location_id: string | null;
  free: string;
  safety: string;
}

/**
 * Doctor: summary slots that differ from their stock row (a missing slot or row reads as 0), and
 * stock rows of locations without a slot that hold something.
 */
export async function summaryMismatches(db: Executor) {
  const r = await sql<{
    sku: string;
    location_id: string | null;
    slot: number | null;
    stock_free: number | null;
    summary_free: number | null;
    stock_safety: number | null;
    summary_safety: number | null;
  }>`
    with s as (
      select l.sku, l.location_id, sl.slot, l.on_hand - l.reserved as free, l.safety_stock as safety
      from stock_levels l left join atp_location_slots sl on sl.location_id = l.location_id
    ),
    a as (
      select a.sku, u.slot::int as slot, u.free, u.safety
      from atp_summary a cross join lateral unnest(a.free, a.safety) with ordinality as u(free, safety, slot)
      where u.free is not null or u.safety is not null
    )
    select coalesce(s.sku, a.sku) as sku, s.location_id, coalesce(s.slot, a.slot) as slot,
      s.free as stock_free, a.free as summary_free, s.safety as stock_safety, a.safety as summary_safety
    from s full join a on a.sku = s.sku and a.slot = s.slot
    where coalesce(s.free, 0) <> coalesce(a.free, 0) or coalesce(s.safety, 0) <> coalesce(a.safety, 0)
    order by 1, 3
    limit 20`.execute(db);
  return r.rows;
}

/** A summary row read against the version a cache holds (answer-cache.ts). */
export interface VersionedRow {
  sku: string;
  version: string;
  /** The arrays as `readSummaries` ships them; null when the row's version is the one held. */
  free: string | null;
  safety: string | null;
}

/**
 * The summary rows of these SKUs with their versions; a row whose version equals `known[i]` (what
 * the caller holds of `skus[i]`, null for nothing) comes without its arrays. One statement either
 * way, so a cache miss costs no extra round trip and a hit ships ~40 bytes instead of ~3 KB.
 * `slots`: ship only these slots (in this order), not the whole arrays.
 */
export async function readVersioned(
  db: Executor,
  skus: readonly string[],
  known: readonly (string | null)[],
  slots?: readonly number[],
): Promise<VersionedRow[]> {
  const same = sql`a.version = k.v`;
  const arr = (a: RawBuilder<unknown>) =>
    sql`case when ${same} then null else array_to_string(${slots ? sql`inventory_atp_pick(${a}, ${sql.val(slots)}::int[])` : a}, ',', '') end`;
  const r = await sql<VersionedRow>`
    select a.sku, a.version::text as version, ${arr(sql`a.free`)} as free, ${arr(sql`a.safety`)} as safety
    from unnest(${sql.val(skus)}::text[], ${sql.val(known)}::bigint[]) as k(sku, v)
    join atp_summary a on a.sku = k.sku`.execute(db);
  return r.rows;
}
