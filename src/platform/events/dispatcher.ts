import { sql } from 'kysely';
import type { Db, Tx } from '../db/schema.js';
import { compiled } from '../db/compiled.js';
import { compiledList } from '../db/in-list.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { newId, ID_PREFIX } from '../ids.js';
import type { EventBus } from './bus.js';
import type { PublishedEvent } from './outbox.js';
import { DeliveryWorker } from './deliveries.js';
import { insertDeliveries } from './deliveries-store.js';
import { webhooksVersionSql } from './webhooks/store.js';
import './outbox.js';

/**
 * A database-only fan-out run in the dispatcher's transaction (webhooks record their delivery rows).
 * It must not call anything outside the database: it is rolled back with the batch on failure.
 */
export type EventSink = (events: PublishedEvent[], trx: Tx, seen: SinkContext) => Promise<void>;

/** What the claim statement read beside the batch's events, in their snapshot, for the sinks. */
export interface SinkContext {
  /** The webhook subscriptions' version (webhooks/store.ts `webhooksVersionSql`): their cache's key. */
  webhooksVersion: string;
}

const BATCH = 200;

/**
 * Moves events from the outbox to their consumers. A batch is claimed with `FOR UPDATE SKIP LOCKED`,
 * so several processes dispatch in parallel without taking the same event; each event is fanned out
 * into one `event_deliveries` row per subscribed consumer, and the events are marked dispatched, all in
 * that transaction: cheap, and no consumer code runs in it, so one failing consumer can never hold the
 * outbox back. The consumers are run from their rows by the DeliveryWorker (deliveries.ts).
 */
export class OutboxDispatcher {
  private readonly sinks: EventSink[] = [];
  readonly deliveries: DeliveryWorker;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.deliveries = new DeliveryWorker(db, bus, clock, log);
  }

  addSink(sink: EventSink): void {
    this.sinks.push(sink);
  }

  /** Fans out one batch; returns how many events it dispatched. */
  async dispatchBatch(): Promise<number> {
    let claimed: { seq: number; id: string }[] = [];
    try {
      return await this.db.transaction().execute(async (trx) => {
        const rows = await claimBatch.rows(trx, {});
        claimed = rows;
        if (rows.length === 0) return 0;
        const now = this.clock.now();
        const fanOut = rows.flatMap((r) =>
          this.bus.consumerNamesFor(r.type).map((consumer) => ({
            id: newId(ID_PREFIX.eventDelivery, now.getTime()),
            event_id: r.id,
            consumer,
          })),
        );
        await insertDeliveries(trx, fanOut, now);
        if (this.sinks.length) {
          const events: PublishedEvent[] = rows.map((r) => ({
            id: r.id,
            type: r.type,
            aggregate_id: r.aggregate_id,
            occurred_at: r.created_at.toISOString(),
            data: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
          }));
          const seen: SinkContext = { webhooksVersion: String(rows[0]!.webhooks_version) };
          for (const sink of this.sinks) await sink(events, trx, seen);
        }
        await markDispatched.run(
          trx,
          rows.map((r) => r.seq),
          { now },
        );
        return rows.length;
      });
    } catch (err) {
      this.log.error({ err }, 'outbox batch failed; it will be retried');
      if (claimed.length) {
        await this.db
          .updateTable('outbox')
          .set({ attempts: sql`attempts + 1`, last_error: String((err as Error)?.message ?? err).slice(0, 1000) })
          .where('seq', '=', sql<number>`any(${claimed.map((r) => r.seq)}::bigint[])`)
          .execute()
          .catch(() => undefined);
      }
      return 0;
    }
  }

  /**
   * Dispatches and delivers until nothing is due (tests and shutdown use it); returns how many events
   * it dispatched. Failed deliveries wait for their back-off, so this ends.
   */
  async drain(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.dispatchBatch();
      const d = await this.deliveries.runDue();
      total += n;
      if (n === 0 && d === 0) break;
    }
    return total;
  }
}

// The dispatcher's statements, built and compiled once (platform/db/compiled.ts): every batch runs them.
const claimBatch = compiled((db, _p: Record<string, never>) =>
  db
    .selectFrom('outbox')
    .select(['seq', 'id', 'type', 'aggregate_id', 'payload', 'created_at'])
    // In this statement's snapshot, the one that sees these events (see WebhookService.sink).
    .select(webhooksVersionSql.as('webhooks_version'))
    .where('dispatched_at', 'is', null)
    .orderBy('seq')
    .limit(BATCH)
    .forUpdate()
    .skipLocked(),
);
// one text per short batch length, one for longer batches (platform/db/in-list.ts)
const markDispatched = compiledList('bigint', (db, p: { now: Date }, match) =>
  db
    .updateTable('outbox')
    .set({ dispatched_at: p.now, attempts: sql`attempts + 1` })
    .where(match('seq')),
);
