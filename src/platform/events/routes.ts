import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.js';
import { Timestamp, errorResponses } from '../http/schemas.js';
import { Page, PageQuery } from '../http/pagination.js';
import type { Db } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { DeadLetterService } from './dead-letters.js';

const DeadLetter = Type.Object({
  id: Type.String({ description: 'the delivery id (evd_…)' }),
  event_id: Type.String(),
  event_type: Type.String(),
  consumer: Type.String({ description: 'who failed: an in-process consumer, `notifications`, `nats`…' }),
  attempts: Type.Integer(),
  last_error: Type.Union([Type.String(), Type.Null()]),
  failed_at: Timestamp,
  created_at: Timestamp,
});

/**
 * Dead letters of event delivery. Operators only (scope system:doctor, among staff roles admins): an
 * event of any channel may be listed here, so a channel's key has no business reading them.
 */
export async function eventRoutes(app: App, { db, clock }: { db: Db; clock: Clock }): Promise<void> {
  const deadLetters = new DeadLetterService(db, clock);
  const tags = ['events'];
  const auth = { scope: 'system:doctor' as const };

  app.get(
    '/v1/events/dead-letters',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'Event deliveries that failed all their attempts (oldest first)',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(DeadLetter), ...errorResponses(400) },
      },
    },
    async (req) => deadLetters.list(req.query.limit ?? 50, req.query.cursor),
  );

  app.post(
    '/v1/events/dead-letters/:id/retry',
    {
      config: { auth },
      schema: {
        tags,
        summary: 'Send a dead delivery round again, with a fresh set of attempts',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 202: Type.Null(), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      await deadLetters.retry(req.params.id);
      return reply.code(202).send(null);
    },
  );
}
