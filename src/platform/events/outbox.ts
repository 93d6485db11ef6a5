import { sql, type Generated, type RawBuilder } from 'kysely';
import { compiled } from '../db/compiled.js';
import type { Executor } from '../db/schema.js';
import { newId, ID_PREFIX } from '../ids.js';
import type { DomainEvent } from './types.js';

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  type: string;
  aggregate_id: string | null;
  payload: unknown;
  created_at: Generated<Date>;
  dispatched_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

declare module '../db/schema.js' {
  interface DB {
    outbox: OutboxTable;
  }
}

/** What a module emits: a declared type (src/<module>/events.ts) with its payload. */
export type { DomainEvent, EventType, EventMap } from './types.js';

/** An event as delivered to subscribers, webhooks and NATS (untyped; subscribers get `TypedEvent`). */
export interface PublishedEvent {
  id: string;
  type: string;
  aggregate_id: string | null;
  occurred_at: string;
  data: Record<string, unknown>;
}

/**
 * Writes events to the outbox inside the caller's transaction: the state change and its events
 * commit together or not at all. Delivery happens later, from the dispatcher.
 *
 * One statement text whatever the number of events (columns as arrays, zipped by ROWS FROM, the
 * payloads as one JSON array), so it is prepared once per connection (db/prepared.ts): a multi-row
 * VALUES list has seven parameters per event, a new text for every batch length, parsed and planned
 * on every call and compiled by Kysely each time. Rows keep the list's order (`seq` follows it).
 */
export async function emit(trx: Executor, events: DomainEvent | readonly DomainEvent[], at: Date): Promise<void> {
  const list: readonly DomainEvent[] = Array.isArray(events) ? events : [events as DomainEvent];
  if (list.length === 0) return;
  await emitStmt.run(trx, outboxColumns(list, at));
}

type OutboxColumns = {
  ids: string[];
  types: string[];
  aggregates: (string | null)[];
  payloads: string;
  at: Date;
};

/** The events as the insert's parameters: columns as arrays, the payloads as one JSON array. */
function outboxColumns(list: readonly DomainEvent[], at: Date): OutboxColumns {
  const ids: string[] = [];
  const types: string[] = [];
  const aggregates: (string | null)[] = [];
  const payloads: string[] = [];
  for (const e of list) {
    ids.push(newId(ID_PREFIX.event, at.getTime()));
    types.push(e.type);
    aggregates.push(e.aggregateId ?? null);
    payloads.push(JSON.stringify(e.payload));
  }
  return { ids, types, aggregates, payloads: `[${payloads.join(',')}]`, at };
}

const insertSql = (p: OutboxColumns) => sql`
    insert into outbox (id, type, aggregate_id, payload, created_at)
    select r.id, r.type, r.aggregate_id, r.payload, ${p.at}::timestamptz
    from rows from (unnest(${p.ids}::text[]), unnest(${p.types}::text[]), unnest(${p.aggregates}::text[]),
                    jsonb_array_elements(${p.payloads}::jsonb))
         with ordinality as r(id, type, aggregate_id, payload, n)
    order by r.n`;

/** emit's statement, built and compiled once (platform/db/compiled.ts): every transaction that changes state runs it. */
const emitStmt = compiled((_db, p: OutboxColumns) => insertSql(p));

/**
 * emit's insert as the last part of a caller's own statement (`with a as (insert …) <this>`), for a
 * hot path that writes its rows and their events in one round trip instead of two — the hot-SKU
 * batch, whose row lock is held until commit. Same rows, order and transaction as `emit`; undefined
 * when there is nothing to emit.
 */
export function outboxInsert(events: readonly DomainEvent[], at: Date): RawBuilder<unknown> | undefined {
  return events.length ? insertSql(outboxColumns(events, at)) : undefined;
}
