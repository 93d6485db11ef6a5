import type { Db } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { DoctorCheck } from '../doctor.js';
import { problems } from '../http/problems.js';
import { decodeCursor, pageOf } from '../http/pagination.js';
import * as store from './deliveries-store.js';
import { retentionCheck } from './retention.js';

export interface DeadLetterView {
  id: string;
  event_id: string;
  event_type: string;
  consumer: string;
  attempts: number;
  last_error: string | null;
  failed_at: string;
  created_at: string;
}

/** Deliveries that used up their attempts: listed for an operator, who may send them round again. */
export class DeadLetterService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(limit: number, cursor?: string) {
    const rows = await store.listDead(this.db, limit, decodeCursor<string>(cursor));
    const page = pageOf(rows, limit, (r) => r.id);
    return {
      next_cursor: page.next_cursor,
      items: page.items.map((r): DeadLetterView => ({
        id: r.id,
        event_id: r.event_id,
        event_type: r.type,
        consumer: r.consumer,
        attempts: Number(r.attempts),
        last_error: r.last_error,
        failed_at: r.failed_at.toISOString(),
        created_at: r.created_at.toISOString(),
      })),
    };
  }

  /** Back to pending with a fresh set of attempts; the delivery job picks it up at once. */
  async retry(id: string): Promise<void> {
    if (!(await store.revive(this.db, id, this.clock.now()))) throw problems.notFound('dead letter', id);
  }
}

export const eventChecks: DoctorCheck[] = [
  {
    name: 'event deliveries not dead',
    async run(db) {
      const rows = await store.deadSummary(db);
      if (rows.length === 0) return { status: 'ok', summary: 'no dead letters' };
      const total = rows.reduce((s, r) => s + Number(r.n), 0);
      return {
        status: 'warn',
        summary: `${total} dead letters (GET /v1/events/dead-letters, retry with POST …/{id}/retry)`,
        samples: rows.map((r) => ({ consumer: r.consumer, dead: Number(r.n) })),
      };
    },
  },
  retentionCheck,
];
