/**
 * Fulfillment's inbox: the `order.placed`, `order.cancelled` and transfer events are recorded in the
 * dispatcher's transaction (`enqueue`) and acted on later, each in its own transaction (`process`,
 * a job), with a backoff per item that fails. Why not at once: acting reads the network snapshot and
 * inventory, which on the one-connection embedded database would wait on the dispatcher's transaction.
 */
import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import { inTx } from '../platform/db/tx.js';
import * as store from './store.js';
import { json } from '../platform/db/json.js';
import { dayStart } from './rules.js';

export type InboxKind = 'order_placed' | 'order_cancelled' | 'transfer_received';
export type { OrderFacts } from './store.js';

/**
 * What the claim reads beside an `order_placed` item (store.takeInbox): the delivery methods that are
 * sourced, and the locations whose packages of the day count against a daily capacity (none: not read).
 */
export interface ClaimOptions {
  methods: readonly string[];
  capacityLocations(trx: Tx): Promise<readonly string[]>;
}

export class FulfillmentInbox {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly bus: EventBus | undefined,
    /** Acts on one item in its transaction (FulfillmentService's handlers); `order`: read with the claim. */
    private readonly handle: (
      kind: InboxKind,
      data: Record<string, unknown>,
      trx: Tx,
      order: store.OrderFacts | null,
    ) => Promise<void>,
    private readonly claim: ClaimOptions = { methods: [], capacityLocations: () => Promise.resolve([]) },
  ) {}

  /**
   * Called by the event handlers inside the dispatcher's transaction: records the event (once per
   * event id) and does nothing else there, because acting on it reads the network snapshot and
   * inventory, which on the one-connection embedded database would wait on that very transaction.
   */
  async enqueue(
    kind: InboxKind,
    events: { id: string; data: Record<string, unknown> } | { id: string; data: Record<string, unknown> }[],
    trx: Executor,
  ): Promise<void> {
    const now = this.clock.now();
    // A delivery batch is one multi-row insert (sorted: concurrent batches take key locks in one order).
    const list = (Array.isArray(events) ? [...events] : [events]).sort((a, b) => (a.id < b.id ? -1 : 1));
    await store.enqueue(
      trx,
      list.map((e) => ({ id: e.id, kind, payload: JSON.stringify(e.data), next_at: now, created_at: now })),
    );
  }

  /** Job: works off due inbox items, each in its own transaction. Returns how many were done. */
  async process(limit = 50): Promise<number> {
    let done = 0;
    for (; done < limit; done++) {
      let failed: { id: string; attempts: number; err: unknown } | null = null;
      const did = await inTx(this.db, undefined, async (trx) => {
        // Claimed and deleted at once: a failure below rolls the delete back (the row is back for failInbox).
        const now = this.clock.now();
        const row = await store.takeInbox(trx, now, this.claim.methods, {
          since: dayStart(now),
          locations: await this.claim.capacityLocations(trx),
        });
        if (!row) return false;
        const data = json<Record<string, unknown>>(row.payload);
        try {
          await this.handle(row.kind as InboxKind, data, trx, row.order);
        } catch (err) {
          failed = { id: row.id, attempts: row.attempts, err };
          throw err;
        }
        return true;
      }).catch((err: unknown) => {
        if (!failed) throw err;
        return 'failed' as const;
      });
      if (did === false) break;
      if (did === 'failed' && failed) {
        const f = failed as { id: string; attempts: number; err: unknown };
        // Back off: 1 s, 2 s, 4 s … up to 10 min; doctor warns after INBOX_STUCK attempts.
        const delay = Math.min(600_000, 1000 * 2 ** f.attempts);
        await store.failInbox(
          this.db,
          f.id,
          f.err instanceof Error ? f.err.message : String(f.err),
          new Date(this.clock.now().getTime() + delay),
        );
      }
    }
    if (done) this.bus?.nudge();
    return done;
  }
}
