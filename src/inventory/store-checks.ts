/** The doctor's invariant queries over the inventory tables (read-only). */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import './tables.js';

const SAMPLES = 20;

export async function ledgerMismatches(db: Executor) {
  const r = await sql<{ sku: string; location_id: string; on_hand: number; ledger: number }>`
    select coalesce(s.sku, m.sku) as sku, coalesce(s.location_id, m.location_id) as location_id,
      coalesce(s.on_hand, 0) as on_hand, coalesce(m.total, 0)::int8 as ledger
    from stock_levels s
    full join (select sku, location_id, sum(quantity) as total from stock_movements group by sku, location_id) m
      on m.sku = s.sku and m.location_id = s.location_id
    where coalesce(s.on_hand, 0) <> coalesce(m.total, 0)
    limit ${SAMPLES}`.execute(db);
  return r.rows;
}

export async function reservedMismatches(db: Executor) {
  const r = await sql<{ sku: string; location_id: string; reserved: number; active: number }>`
    select coalesce(s.sku, a.sku) as sku, coalesce(s.location_id, a.location_id) as location_id,
      coalesce(s.reserved, 0) as reserved, coalesce(a.total, 0)::int8 as active
    from (select * from stock_levels where reserved <> 0) s
    full join (
      select l.sku, l.location_id, sum(l.quantity) as total
      from reservation_lines l join reservations r on r.id = l.reservation_id
      where r.status = 'active' group by l.sku, l.location_id
    ) a on a.sku = s.sku and a.location_id = s.location_id
    where coalesce(s.reserved, 0) <> coalesce(a.total, 0)
    limit ${SAMPLES}`.execute(db);
  return r.rows;
}

export async function negativeAvailability(db: Executor) {
  const r = await sql<{ sku: string; location_id: string; on_hand: number; reserved: number }>`
    select sku, location_id, on_hand, reserved from stock_levels where on_hand < reserved or on_hand < 0 or in_transit < 0 limit ${SAMPLES}`.execute(
    db,
  );
  return r.rows;
}

export async function overdueReservations(db: Executor, before: Date) {
  const r = await sql<{ id: string; expires_at: Date }>`
    select id, expires_at from reservations where status = 'active' and expires_at < ${before}::timestamptz order by expires_at limit ${SAMPLES}`.execute(
    db,
  );
  return r.rows;
}
