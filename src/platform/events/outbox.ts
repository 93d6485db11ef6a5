import type { Generated } from 'kysely';
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
 */
export async function emit(trx: Executor, events: DomainEvent | readonly DomainEvent[], at: Date): Promise<void> {
  const list: readonly DomainEvent[] = Array.isArray(events) ? events : [events as DomainEvent];
  if (list.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(
      list.map((e) => ({
        id: newId(ID_PREFIX.event, at.getTime()),
        type: e.type,
        aggregate_id: e.aggregateId ?? null,
        payload: JSON.stringify(e.payload),
        created_at: at,
        dispatched_at: null,
        last_error: null,
      })),
    )
    .execute();
}
