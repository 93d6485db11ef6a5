/** SQL of the customers invariants `omnia doctor` proves. */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/schema.js';

/** Rows whose root is not an active profile that is its own root (a broken or cyclic merge chain). */
export async function brokenRoots(db: Executor): Promise<unknown[]> {
  const r = await sql`
    select c.id, c.root_id, c.status, r.status as root_status, r.root_id as root_of_root
    from customers c left join customers r on r.id = c.root_id
    where c.status <> 'erased' and (r.id is null or r.status <> 'active' or r.root_id <> r.id
       or (c.status = 'merged') <> (c.id <> c.root_id))
    limit 20`.execute(db);
  return r.rows;
}

/** Profile rows whose per-day roll-up disagrees with their stored events. */
export async function rollupMismatches(db: Executor): Promise<unknown[]> {
  const r = await sql`
    with e as (select customer_id, count(*)::int as n from customer_events where customer_id is not null group by 1),
         d as (select customer_id, sum(events)::int as n from customer_daily group by 1)
    select coalesce(e.customer_id, d.customer_id) as customer_id, e.n as events, d.n as rolled_up
    from e full join d on d.customer_id = e.customer_id
    where e.n is distinct from d.n
    limit 20`.execute(db);
  return r.rows;
}
