import { sql } from 'kysely';
import type { Db, Tx } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { EventBus } from './bus.js';
import type { PublishedEvent } from './outbox.js';
import './outbox.js';

/** Where dispatched events go besides in-process subscribers: webhook deliveries, NATS. */
export type EventSink = (events: PublishedEvent[], trx: Tx) => Promise<void>;

const BATCH = 200;

/**
 * Moves events from the outbox to subscribers and sinks. A batch is claimed with
 * `FOR UPDATE SKIP LOCKED`, so several processes dispatch in parallel without taking the same
 * event; handlers run in the claiming transaction and the rows are marked dispatched in it, so a
 * crash anywhere leaves them pending and they are delivered again (at least once). A batch whose
 * handler fails is rolled back and its events counted as attempted, so one poison event is visible
 * (`attempts`, `last_error`) rather than silently dropped.
 */
export class OutboxDispatcher {
  private readonly sinks: EventSink[] = [];

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  addSink(sink: EventSink): void {
    this.sinks.push(sink);
  }

  /** Dispatches one batch; returns how many events it delivered. */
  async dispatchBatch(): Promise<number> {
    let claimed: { seq: number; id: string }[] = [];
    try {
      return await this.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('outbox')
          .select(['seq', 'id', 'type', 'aggregate_id', 'payload', 'created_at'])
          .where('dispatched_at', 'is', null)
          .orderBy('seq')
          .limit(BATCH)
          .forUpdate()
          .skipLocked()
          .execute();
        claimed = rows;
        if (rows.length === 0) return 0;
        const events: PublishedEvent[] = rows.map((r) => ({
          id: r.id,
          type: r.type,
          aggregate_id: r.aggregate_id,
          occurred_at: r.created_at.toISOString(),
          data: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
        }));
        for (const event of events) {
          for (const handler of this.bus.handlersFor(event.type)) await handler(event, trx);
        }
        for (const sink of this.sinks) await sink(events, trx);
        await trx
          .updateTable('outbox')
          .set({ dispatched_at: this.clock.now(), attempts: sql`attempts + 1` })
          .where(
            'seq',
            'in',
            rows.map((r) => r.seq),
          )
          .execute();
        return rows.length;
      });
    } catch (err) {
      this.log.error({ err }, 'outbox batch failed; it will be retried');
      if (claimed.length) {
        await this.db
          .updateTable('outbox')
          .set({ attempts: sql`attempts + 1`, last_error: String((err as Error)?.message ?? err).slice(0, 1000) })
          .where(
            'seq',
            'in',
            claimed.map((r) => r.seq),
          )
          .execute()
          .catch(() => undefined);
      }
      return 0;
    }
  }

  /** Dispatches until the outbox is empty (tests and shutdown use it). */
  async drain(maxBatches = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await this.dispatchBatch();
      total += n;
      if (n === 0) break;
    }
    return total;
  }
}
