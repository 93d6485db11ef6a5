/** SQL of reservations. Every change of `reserved` is a conditional update or runs under row locks taken in (SKU, location) order. */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import { compiled } from '../platform/db/compiled.js';
import type { ReservationLinesTable, ReservationsTable } from './tables.js';
import { atpAtLeast, lockLevels, type LevelRow } from './store.js';
import './tables.js';
import { json } from '../platform/db/json.js';

export type ReservationRow = Selectable<ReservationsTable>;
export type ReservationLineRow = Selectable<ReservationLinesTable>;

interface Policy {
  safety_stock: number;
  buffer_pct: number;
}

/** Reserves at one named location if the channel may promise that much there (atomically). */
export async function reserveAt(
  trx: Executor,
  sku: string,
  locationId: string,
  qty: number,
  p: Policy,
  now: Date,
): Promise<LevelRow | undefined> {
  return reserveAtStmt.first(trx, {
    sku,
    locationId,
    qty,
    safety: p.safety_stock,
    buffer: p.buffer_pct,
    now,
  });
}
/** reserveAt's statement, built and compiled once (platform/db/compiled.ts): checkout runs it per line. */
const reserveAtStmt = compiled(
  (db, p: { sku: string; locationId: string; qty: number; safety: number; buffer: number; now: Date }) =>
    db
      .updateTable('stock_levels')
      .set({ reserved: sql`reserved + ${p.qty}::int`, updated_at: p.now })
      .where('sku', '=', p.sku)
      .where('location_id', '=', p.locationId)
      .where(atpAtLeast(p.qty, p.safety, p.buffer))
      .returningAll(),
);

/**
 * Reserves at the allowed location with the most to promise. The candidate row is locked by the
 * sub-select; PostgreSQL re-checks the predicate after any wait, so a row emptied meanwhile yields
 * no update (the caller retries with a fresh pick) rather than an oversell.
 */
export async function reserveBest(
  trx: Executor,
  sku: string,
  locationIds: readonly string[] | 'all',
  qty: number,
  p: Policy,
  now: Date,
): Promise<LevelRow | undefined> {
  const pred = atpAtLeast(qty, p.safety_stock, p.buffer_pct);
  const locFilter = locationIds === 'all' ? sql`true` : sql`location_id = any(${sql.val(locationIds)}::text[])`;
  const r = await sql<LevelRow>`
    update stock_levels set reserved = reserved + ${qty}::int, updated_at = ${now}::timestamptz
    where sku = ${sku} and location_id = (
      select location_id from stock_levels
      where sku = ${sku} and ${locFilter} and ${pred}
      order by on_hand - reserved - safety_stock desc, location_id
      limit 1
      for update
    ) and ${pred}
    returning *`.execute(trx);
  return r.rows[0];
}

/** Returns reserved units to stock (release, expiry), rows locked in (SKU, location) order first. */
export async function subtractReserved(
  trx: Executor,
  items: readonly { sku: string; location_id: string; quantity: number }[],
  now: Date,
): Promise<LevelRow[]> {
  const merged = new Map<string, { sku: string; location_id: string; quantity: number }>();
  for (const i of items) {
    if (i.quantity <= 0) continue;
    const k = `${i.sku}\u0000${i.location_id}`;
    const m = merged.get(k);
    if (m) m.quantity += i.quantity;
    else merged.set(k, { ...i });
  }
  if (merged.size === 0) return [];
  const list = [...merged.values()];
  await lockLevels(trx, list);
  const r = await sql<LevelRow>`
    update stock_levels s set reserved = s.reserved - a.qty, updated_at = ${now}::timestamptz
    from unnest(${sql.val(list.map((x) => x.sku))}::text[], ${sql.val(list.map((x) => x.location_id))}::text[], ${sql.val(list.map((x) => x.quantity))}::int[]) a(sku, location_id, qty)
    where s.sku = a.sku and s.location_id = a.location_id
    returning s.*`.execute(trx);
  return r.rows;
}

/** Sale: on-hand and reserved both drop (row locked by the caller). */
export async function consumeReserved(
  trx: Executor,
  sku: string,
  locationId: string,
  qty: number,
  now: Date,
): Promise<LevelRow> {
  return trx
    .updateTable('stock_levels')
    .set({ on_hand: sql`on_hand - ${qty}::int`, reserved: sql`reserved - ${qty}::int`, updated_at: now })
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Reservations and their lines in one statement (one round trip for a whole batch): column arrays
 * through unnest rather than a VALUES list of thousands of parameters.
 */
export async function insertReservations(
  trx: Executor,
  rows: readonly Selectable<ReservationsTable>[],
  lines: readonly Selectable<ReservationLinesTable>[],
  /** Their events' outbox insert (platform/events/outbox.ts `outboxInsert`), run in the same statement. */
  events?: RawBuilder<unknown>,
): Promise<void> {
  if (rows.length === 0) {
    if (events) await events.execute(trx);
    return;
  }
  const col = <T, K extends keyof T>(xs: readonly T[], k: K) => sql.val(xs.map((x) => x[k]));
  const insertLines = sql`insert into reservation_lines (reservation_id, line_no, sku, location_id, quantity, confirmed)
    select * from unnest(${col(lines, 'reservation_id')}::text[], ${col(lines, 'line_no')}::int[], ${col(lines, 'sku')}::text[], ${col(lines, 'location_id')}::text[],
      ${col(lines, 'quantity')}::int[], ${col(lines, 'confirmed')}::int[])`;
  await sql`
    with r as (
      insert into reservations (id, channel_id, reference, customer_id, status, expires_at, created_at, updated_at)
      select * from unnest(${col(rows, 'id')}::text[], ${col(rows, 'channel_id')}::text[], ${col(rows, 'reference')}::text[], ${col(rows, 'customer_id')}::text[],
        ${col(rows, 'status')}::text[], ${col(rows, 'expires_at')}::timestamptz[], ${col(rows, 'created_at')}::timestamptz[], ${col(rows, 'updated_at')}::timestamptz[])
    )
    ${events ? sql`, l as (${insertLines}) ${events}` : insertLines}`.execute(trx);
}

// The reservation reads of a checkout's consumers, built and compiled once (platform/db/compiled.ts).
const reservationByIdLocked = compiled((db, p: { id: string }) =>
  db.selectFrom('reservations').selectAll().where('id', '=', p.id).forUpdate(),
);
/** The lines of these reservations: one array parameter (one text whatever the number of ids). */
const linesOfReservations = compiled((db, p: { ids: readonly string[] }) =>
  db
    .selectFrom('reservation_lines')
    .selectAll()
    .where('reservation_id', '=', sql<string>`any(${sql.val(p.ids)}::text[])`)
    .orderBy('reservation_id')
    .orderBy('line_no'),
);

/** The reservation row, locked for the caller's transaction (getReservationWithLines reads one unlocked). */
export function lockReservation(db: Executor, id: string): Promise<ReservationRow | undefined> {
  return reservationByIdLocked.first(db, { id });
}

/**
 * A reservation and its lines in one statement (a json_agg of the lines, in line order): sourcing reads
 * the held reservation of every order it sources, and the lines' separate read was a statement each.
 */
const reservationWithLinesById = compiled((db, p: { id: string }) =>
  db
    .selectFrom('reservations as r')
    .selectAll('r')
    .select(
      sql<unknown>`coalesce((select json_agg(l order by l.line_no) from reservation_lines l where l.reservation_id = r.id), '[]'::json)`.as(
        'lines_json',
      ),
    )
    .where('r.id', '=', p.id),
);
export async function getReservationWithLines(
  db: Executor,
  id: string,
): Promise<{ row: ReservationRow; lines: ReservationLineRow[] } | undefined> {
  const found = await reservationWithLinesById.first(db, { id });
  if (!found) return undefined;
  const { lines_json, ...row } = found;
  // every line column is text or int: JSON gives them back as the driver does
  return { row, lines: json<ReservationLineRow[]>(lines_json) };
}

export function linesOf(db: Executor, ids: readonly string[]): Promise<ReservationLineRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return linesOfReservations.rows(db, { ids });
}

export async function setStatus(trx: Executor, ids: readonly string[], status: string, now: Date): Promise<void> {
  if (ids.length)
    await trx
      .updateTable('reservations')
      .set({ status, updated_at: now })
      .where('id', 'in', [...ids])
      .execute();
}

export async function setLineQuantities(
  trx: Executor,
  reservationId: string,
  lines: readonly { line_no: number; quantity: number; confirmed: number }[],
): Promise<void> {
  for (const l of lines) {
    await trx
      .updateTable('reservation_lines')
      .set({ quantity: l.quantity, confirmed: l.confirmed })
      .where('reservation_id', '=', reservationId)
      .where('line_no', '=', l.line_no)
      .execute();
  }
}

/**
 * Claims active reservations past their expiry. SKIP LOCKED: several processes running the job
 * each take different rows, and a reservation being released or confirmed right now is skipped.
 */
export async function claimExpired(trx: Executor, now: Date, limit: number): Promise<ReservationRow[]> {
  return trx
    .selectFrom('reservations')
    .selectAll()
    .where('status', '=', 'active')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/**
 * The batcher's candidates, read without locks: per SKU the `limit` allowed rows with the most to
 * promise (greedy allocation of k requests never needs more than the best k locations). The rows
 * actually granted from are then locked and re-checked (`lockLevels`) before anything is written.
 */
export async function topCandidates(
  db: Executor,
  wants: readonly { sku: string; limit: number }[],
  locationIds: readonly string[],
  channelSafety: number,
): Promise<LevelRow[]> {
  const r = await sql<LevelRow>`
    select c.* from unnest(${sql.val(wants.map((w) => w.sku))}::text[], ${sql.val(wants.map((w) => w.limit))}::int[]) as w(sku, lim)
    cross join lateral (
      select * from stock_levels s
      where s.sku = w.sku and s.location_id = any(${sql.val(locationIds)}::text[])
        and s.on_hand - s.reserved - greatest(s.safety_stock, ${channelSafety}::int) > 0
      order by s.on_hand - s.reserved - greatest(s.safety_stock, ${channelSafety}::int) desc, s.location_id
      limit w.lim
    ) c`.execute(db);
  return r.rows;
}
