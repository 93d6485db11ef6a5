import type { Executor } from '../platform/db/schema.js';
import type { FulfillmentStatus, Method } from './rules.js';
import type { FulfillmentRow } from './store.js';
import './tables.js';

/**
 * The store app's queue at one location: tasks it sources in `sourced` statuses, and tasks arriving
 * to it (collect store, pickup point) in `arriving` statuses. Open and ready work oldest first;
 * completed newest first. Keyed by id for the cursor (ids sort by creation).
 */
export function storeQueue(
  db: Executor,
  q: {
    location_id?: string | undefined;
    sourced: readonly FulfillmentStatus[];
    arriving: readonly FulfillmentStatus[];
    methods?: readonly Method[] | undefined;
    newestFirst: boolean;
    after?: string | undefined;
    limit: number;
  },
): Promise<FulfillmentRow[]> {
  let s = db.selectFrom('fulfillments').selectAll();
  const loc = q.location_id;
  s = s.where((eb) =>
    eb.or([
      eb.and([...(loc ? [eb('location_id', '=', loc)] : []), eb('status', 'in', [...q.sourced])]),
      ...(loc && q.arriving.length
        ? [eb.and([eb('destination_location_id', '=', loc), eb('status', 'in', [...q.arriving])])]
        : []),
    ]),
  );
  if (q.methods?.length) s = s.where('method', 'in', [...q.methods]);
  if (q.after) s = s.where('id', q.newestFirst ? '<' : '>', q.after);
  return s
    .orderBy('id', q.newestFirst ? 'desc' : 'asc')
    .limit(q.limit)
    .execute();
}

/** Records that the pickup notification was sent again. */
export async function markNotified(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('fulfillments').set({ pickup_notified_at: at }).where('id', '=', id).execute();
}

export function rowsByIds(db: Executor, ids: readonly string[]): Promise<FulfillmentRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('fulfillments')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
}
