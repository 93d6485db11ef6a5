/** SQL of stock levels and the movement ledger. Reservations: store-reservations.ts; transfers: store-transfers.ts. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiledList } from '../platform/db/in-list.js';
import type { StockLevelsTable, StockMovementsTable } from './tables.js';
import { problems } from '../platform/http/problems.js';
import './tables.js';

export type LevelRow = Selectable<StockLevelsTable>;
export type MovementRow = Selectable<StockMovementsTable>;
export type NewMovement = Insertable<StockMovementsTable>;

/**
 * The ATP rule of rules.ts `atp() >= qty` as a SQL predicate on a stock_levels row, for conditional
 * updates. int8 arithmetic so on_hand × 100 never overflows; for a negative remainder the division
 * truncates to 0 or below, which is below any quantity ≥ 1, as `atp()` returns 0 there.
 */
export function atpAtLeast(qty: number, channelSafety: number, bufferPct: number) {
  return sql<boolean>`((on_hand - reserved - greatest(safety_stock, ${channelSafety}::int))::int8 * (100 - ${bufferPct}::int) / 100 >= ${qty}::int)`;
}

// levelsOf's two statements (with and without the location filter), built and compiled once
// (platform/db/compiled.ts): checkout and sourcing read the levels of an order's SKUs. The SKUs as
// a short `in` list (platform/db/in-list.ts): with `= any` sourcing's read was planned on every call.
const levelsOfSkus = compiledList('text', (db, _p: Record<string, never>, match) =>
  db.selectFrom('stock_levels').selectAll().where(match('sku')).orderBy('sku').orderBy('location_id'),
);
const levelsOfSkusAt = compiledList('text', (db, p: { locationIds: readonly string[] }, match) =>
  db
    .selectFrom('stock_levels')
    .selectAll()
    .where(match('sku'))
    .where('location_id', '=', sql<string>`any(${sql.val(p.locationIds)}::text[])`)
    .orderBy('sku')
    .orderBy('location_id'),
);
export function levelsOf(db: Executor, skus: readonly string[], locationIds?: readonly string[]): Promise<LevelRow[]> {
  if (!skus.length) return Promise.resolve([]);
  return locationIds ? levelsOfSkusAt.rows(db, skus, { locationIds }) : levelsOfSkus.rows(db, skus, {});
}

/** Locks the rows in the fixed order (SKU, then location) every writer uses. */
export async function lockLevels(
  trx: Executor,
  keys: readonly { sku: string; location_id: string }[],
): Promise<LevelRow[]> {
  if (keys.length === 0) return [];
  const r = await sql<LevelRow>`
    select s.* from stock_levels s
    join unnest(${sql.val(keys.map((k) => k.sku))}::text[], ${sql.val(keys.map((k) => k.location_id))}::text[]) as k(sku, location_id)
      on s.sku = k.sku and s.location_id = k.location_id
    order by s.sku, s.location_id
    for update of s`.execute(trx);
  return r.rows;
}

export async function lockLevel(trx: Executor, sku: string, locationId: string): Promise<LevelRow | undefined> {
  return trx
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .forUpdate()
    .executeTakeFirst();
}

/** A receipt-like increase of on-hand; creates the row when the location did not stock the SKU yet. */
export async function addOnHand(
  trx: Executor,
  sku: string,
  locationId: string,
  delta: number,
  now: Date,
): Promise<LevelRow> {
  try {
    return await trx
      .insertInto('stock_levels')
      .values({ sku, location_id: locationId, on_hand: delta, min_qty: null, max_qty: null, updated_at: now })
      .onConflict((oc) =>
        oc
          .columns(['sku', 'location_id'])
          .doUpdateSet({ on_hand: sql`stock_levels.on_hand + excluded.on_hand`, updated_at: now }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    // int4 overflow: refused, never clamped
    if ((err as { code?: string }).code === '22003')
      throw problems.field('quantity', `on-hand of ${sku} at ${locationId} would pass 2147483647`);
    throw err;
  }
}

/**
 * Changes on-hand of an existing row by a signed delta, only if that leaves on-hand at or above
 * reserved (a decrease never eats reserved units). Undefined when the row is missing or short.
 */
export async function changeOnHand(
  trx: Executor,
  sku: string,
  locationId: string,
  delta: number,
  now: Date,
): Promise<LevelRow | undefined> {
  return trx
    .updateTable('stock_levels')
    .set({ on_hand: sql`on_hand + ${delta}::int`, updated_at: now })
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .where(sql<boolean>`on_hand::int8 + ${delta}::int8 >= reserved`)
    .returningAll()
    .executeTakeFirst();
}

export async function setSafetyStock(
  trx: Executor,
  sku: string,
  locationId: string,
  patch: { safety_stock?: number; min_qty?: number | null; max_qty?: number | null },
  now: Date,
) {
  return trx
    .updateTable('stock_levels')
    .set({ ...patch, updated_at: now })
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .returningAll()
    .executeTakeFirst();
}

export async function insertMovements(trx: Executor, rows: readonly NewMovement[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const r = await trx
    .insertInto('stock_movements')
    .values([...rows])
    .returning('id')
    .execute();
  return r.map((x) => x.id);
}

export function movementsOf(
  db: Executor,
  sku: string,
  opts: { locationId?: string | undefined; before?: number | undefined; limit: number },
): Promise<MovementRow[]> {
  let q = db.selectFrom('stock_movements').selectAll().where('sku', '=', sku);
  if (opts.locationId) q = q.where('location_id', '=', opts.locationId);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** SKUs among these that have any stock row (the fallback SKU check while no catalog is wired). */
export async function knownSkus(db: Executor, skus: readonly string[]): Promise<Set<string>> {
  const r = await sql<{
    sku: string;
  }>`select distinct sku from stock_levels where sku = any(${sql.val(skus)}::text[])`.execute(db);
  return new Set(r.rows.map((x) => x.sku));
}

/**
 * Demo stock in bulk: every SKU × location gets a hash-derived, uneven quantity (about a third of
 * the rows hold nothing), and one receipt per non-empty row so the ledger adds up. One statement
 * per table so 10 million rows load in minutes.
 */
export async function seedStock(
  trx: Executor,
  skus: readonly string[],
  locationIds: readonly string[],
  seed: number,
  now: Date,
): Promise<number> {
  const r = await sql`
    insert into stock_levels (sku, location_id, on_hand, reserved, safety_stock, in_transit, updated_at)
    select s.sku, l.id,
      greatest(0, (abs(hashtext(s.sku || '|' || l.id || '|' || ${seed}::text)) % 48) - 16),
      0,
      (abs(hashtext(l.id || ${seed}::text)) % 3),
      0, ${now}::timestamptz
    from unnest(${sql.val(skus)}::text[]) as s(sku)
    cross join unnest(${sql.val(locationIds)}::text[]) as l(id)
    order by 1, 2
    on conflict (sku, location_id) do nothing`.execute(trx);
  await sql`
    insert into stock_movements (sku, location_id, type, quantity, on_hand_after, actor, reason, reference, created_at)
    select sku, location_id, 'receipt', on_hand, on_hand, 'system', 'demo seed', ${`seed:${seed}`}, ${now}::timestamptz
    from stock_levels
    where sku = any(${sql.val(skus)}::text[]) and location_id = any(${sql.val(locationIds)}::text[]) and on_hand > 0
      and not exists (select 1 from stock_movements m where m.sku = stock_levels.sku and m.location_id = stock_levels.location_id)
    order by 1, 2`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

/** Makes sure the rows exist without locking existing ones (ON CONFLICT DO NOTHING takes no row lock). */
export async function ensureLevels(
  trx: Executor,
  keys: readonly { sku: string; location_id: string }[],
  now: Date,
): Promise<void> {
  if (keys.length === 0) return;
  await trx
    .insertInto('stock_levels')
    .values(
      keys.map((k) => ({ sku: k.sku, location_id: k.location_id, min_qty: null, max_qty: null, updated_at: now })),
    )
    .onConflict((oc) => oc.columns(['sku', 'location_id']).doNothing())
    .execute();
}
