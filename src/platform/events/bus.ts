import type { Tx } from '../db/schema.js';
import type { PublishedEvent } from './outbox.js';
import { inBackground } from '../db/tx-guard.js';

/**
 * In-process subscribers. A handler runs inside the dispatcher's transaction for that batch: if it
 * throws, the batch is retried later, so handlers must be idempotent (delivery is at least once).
 */
export type EventHandler = (event: PublishedEvent, trx: Tx) => Promise<void>;

export class EventBus {
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly wakers = new Set<() => void>();

  /** `type` is an exact event type or a prefix ending in `.*` (e.g. `order.*`), or `*` for all. */
  subscribe(type: string, handler: EventHandler): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler);
    this.handlers.set(type, list);
  }

  handlersFor(type: string): EventHandler[] {
    const out: EventHandler[] = [...(this.handlers.get(type) ?? []), ...(this.handlers.get('*') ?? [])];
    const dot = type.indexOf('.');
    if (dot > 0) out.push(...(this.handlers.get(`${type.slice(0, dot)}.*`) ?? []));
    return out;
  }

  /** Services call this after a commit that emitted events, so delivery does not wait for the poll. */
  nudge(): void {
    // A nudge from inside a transaction starts work that is not part of it (see tx-guard.ts).
    inBackground(() => {
      for (const wake of this.wakers) wake();
    });
  }
  onNudge(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => this.wakers.delete(wake);
  }
}
