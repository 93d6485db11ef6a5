import type { Tx } from '../db/schema.js';
import type { PublishedEvent } from './outbox.js';
import type { EventPattern, TypedEvent, TypesMatching } from './types.js';
import { inBackground } from '../db/tx-guard.js';

/**
 * A consumer that only touches the database: it runs in the delivery transaction of its own
 * delivery row (see deliveries.ts), so what it writes commits with the row's "done" mark. If it throws,
 * only its row is retried (with back-off), never the other consumers of the same event.
 */
export type EventHandler = (event: PublishedEvent, trx: Tx) => Promise<void>;

/**
 * A consumer with an effect outside the database (e-mail, NATS, an HTTP call). It runs after its
 * delivery row has been claimed and committed, with a timeout, never inside a transaction; its outcome
 * is recorded afterwards. Delivery is at least once: it must tolerate a repeat (e.g. a message id).
 */
export type SideEffectHandler = (event: PublishedEvent, signal: AbortSignal) => Promise<void>;

/**
 * A database-only consumer that takes the due events of a batch at once (in delivery order), so a
 * roll-up costs a few statements per batch instead of a few per event. Same transaction and retry
 * rules as EventHandler; when the batch fails it is retried one event per call, isolated.
 */
export type BatchEventHandler = (events: PublishedEvent[], trx: Tx) => Promise<void>;

export type Consumer =
  | { name: string; pattern: string; mode: 'tx'; handle: EventHandler; handleBatch?: BatchEventHandler }
  | { name: string; pattern: string; mode: 'after_commit'; run: SideEffectHandler; timeoutMs: number };

const DEFAULT_TIMEOUT_MS = 15_000;

/** `order.created` matches `order.created`, `order.*` and `*`. */
export function matchesPattern(pattern: string, type: string): boolean {
  return pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)));
}

export class EventBus {
  private readonly consumers: Consumer[] = [];
  private readonly wakers = new Set<() => void>();

  /**
   * `type` is an exact event type or a prefix ending in `.*` (e.g. `order.*`), or `*` for all. The
   * consumer's name keys its delivery rows, so it must stay the same across deploys: without one it is
   * `<type>#<n>` (the n-th subscription to that type), stable as long as the wiring order is.
   */
  subscribe<P extends EventPattern>(
    type: P,
    handler: (event: TypedEvent<TypesMatching<P>>, trx: Tx) => Promise<void>,
    opts: { name?: string } = {},
  ): void {
    // The payload is the one its type declares (events are written only through the typed `emit`).
    const handle = handler as unknown as EventHandler;
    this.add({ name: opts.name ?? this.defaultName(type), pattern: type, mode: 'tx', handle });
  }

  /** Like `subscribe`, but the handler gets every due event of a delivery batch in one call (see BatchEventHandler). */
  subscribeBatch<P extends EventPattern>(
    type: P,
    handler: (events: TypedEvent<TypesMatching<P>>[], trx: Tx) => Promise<void>,
    opts: { name?: string } = {},
  ): void {
    const handleBatch = handler as unknown as BatchEventHandler;
    this.add({
      name: opts.name ?? this.defaultName(type),
      pattern: type,
      mode: 'tx',
      handle: (e, trx) => handleBatch([e], trx),
      handleBatch,
    });
  }

  /** A side-effect consumer, run after commit from its delivery row (see SideEffectHandler). */
  subscribeAfterCommit<P extends EventPattern>(
    type: P,
    name: string,
    run: (event: TypedEvent<TypesMatching<P>>, signal: AbortSignal) => Promise<void>,
    opts: { timeoutMs?: number } = {},
  ): void {
    const fn = run as unknown as SideEffectHandler;
    this.add({ name, pattern: type, mode: 'after_commit', run: fn, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  }

  private add(c: Consumer): void {
    // One consumer name may serve several types (one row per event and name), but not twice per type.
    if (this.consumers.some((x) => x.name === c.name && (x.pattern === c.pattern || x.mode !== c.mode))) {
      throw new Error(`event consumer ${c.name} is subscribed twice`);
    }
    this.consumers.push(c);
  }

  private defaultName(type: string): string {
    const n = this.consumers.filter((c) => c.pattern === type && c.name.startsWith(`${type}#`)).length;
    return `${type}#${n + 1}`;
  }

  /** The distinct consumer names that want this event type (one delivery row each). */
  consumerNamesFor(type: string): string[] {
    return [...new Set(this.consumers.filter((c) => matchesPattern(c.pattern, type)).map((c) => c.name))];
  }

  /** The consumer `name` for an event of `type`, if this process has it. */
  consumer(name: string, type: string): Consumer | undefined {
    return this.consumers.find((c) => c.name === name && matchesPattern(c.pattern, type));
  }

  names(mode: Consumer['mode']): string[] {
    return [...new Set(this.consumers.filter((c) => c.mode === mode).map((c) => c.name))];
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
