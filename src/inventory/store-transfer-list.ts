/** SQL of the transfer lists: what is on its way to a store (its incoming list), or leaving one. */
import type { Executor } from '../platform/db/schema.js';
import type { TransferLineRow, TransferRow } from './store-transfers.js';
import './tables.js';

export async function listTransfers(
  db: Executor,
  f: {
    to_location_id?: string | undefined;
    from_location_id?: string | undefined;
    statuses?: readonly string[] | undefined;
    after?: string | undefined;
    limit: number;
  },
): Promise<{ rows: TransferRow[]; lines: TransferLineRow[] }> {
  let q = db.selectFrom('transfers').selectAll();
  if (f.to_location_id) q = q.where('to_location_id', '=', f.to_location_id);
  if (f.from_location_id) q = q.where('from_location_id', '=', f.from_location_id);
  if (f.statuses?.length) q = q.where('status', 'in', [...f.statuses]);
  if (f.after) q = q.where('id', '>', f.after);
  const rows = await q.orderBy('id').limit(f.limit).execute();
  const lines = rows.length
    ? await db
        .selectFrom('transfer_lines')
        .selectAll()
        .where(
          'transfer_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('transfer_id')
        .orderBy('sku')
        .execute()
    : [];
  return { rows, lines };
}
