/** SQL of transfers between locations. */
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/schema.js';
import type { TransferLinesTable, TransfersTable } from './tables.js';
import './tables.js';

export type TransferRow = Selectable<TransfersTable>;
export type TransferLineRow = Selectable<TransferLinesTable>;

export async function insertTransfer(
  trx: Executor,
  row: Insertable<TransfersTable>,
  lines: readonly Insertable<TransferLinesTable>[],
): Promise<void> {
  await trx.insertInto('transfers').values(row).execute();
  await trx
    .insertInto('transfer_lines')
    .values([...lines])
    .execute();
}

export function getTransfer(db: Executor, id: string, lock = false) {
  const q = db.selectFrom('transfers').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export function transferLines(db: Executor, id: string): Promise<TransferLineRow[]> {
  return db.selectFrom('transfer_lines').selectAll().where('transfer_id', '=', id).orderBy('sku').execute();
}

export async function updateTransfer(
  trx: Executor,
  id: string,
  status: string,
  lines: readonly { sku: string; received: number; discrepancy: number | null }[],
  now: Date,
  discrepancyReason: string | null = null,
): Promise<void> {
  await trx
    .updateTable('transfers')
    .set({ status, updated_at: now, ...(discrepancyReason ? { discrepancy_reason: discrepancyReason } : {}) })
    .where('id', '=', id)
    .execute();
  for (const l of lines) {
    await trx
      .updateTable('transfer_lines')
      .set({ received: l.received, discrepancy: l.discrepancy })
      .where('transfer_id', '=', id)
      .where('sku', '=', l.sku)
      .execute();
  }
}

/** Units on their way to a location: counted on the destination's row until they arrive. */
export async function addInTransit(
  trx: Executor,
  sku: string,
  locationId: string,
  delta: number,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('stock_levels')
    .values({ sku, location_id: locationId, in_transit: delta, min_qty: null, max_qty: null, updated_at: now })
    .onConflict((oc) =>
      oc
        .columns(['sku', 'location_id'])
        .doUpdateSet({ in_transit: sql`stock_levels.in_transit + excluded.in_transit`, updated_at: now }),
    )
    .execute();
}

/** Units stop being expected (arrived, or written off as discrepancy); the row exists and is locked. */
export async function releaseInTransit(
  trx: Executor,
  sku: string,
  locationId: string,
  qty: number,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('stock_levels')
    .set({ in_transit: sql`in_transit - ${qty}::int`, updated_at: now })
    .where('sku', '=', sku)
    .where('location_id', '=', locationId)
    .execute();
}
