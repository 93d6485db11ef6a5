import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { App } from './app.js';
import type { Db } from '../db/schema.js';
import { pendingMigrations } from '../db/migrate.js';

/** `/health` says the process answers; `/ready` that the database answers and is migrated. */
export async function systemRoutes(app: App, { db }: { db: Db }): Promise<void> {
  let migrated = false; // once every migration is applied it stays so; skip re-reading the folder

  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        summary: 'The process answers',
        security: [],
        response: { 200: Type.Object({ status: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/ready',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        summary: 'The database answers and every migration is applied',
        security: [],
        response: {
          200: Type.Object({ status: Type.String() }),
          503: Type.Object({ status: Type.String(), reason: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await sql`select 1`.execute(db);
        const pending = migrated ? [] : await pendingMigrations(db);
        migrated = pending.length === 0;
        if (pending.length)
          return reply.code(503).send({ status: 'not_ready', reason: `pending migrations: ${pending.join(', ')}` });
        return { status: 'ready' };
      } catch (err) {
        return reply.code(503).send({ status: 'not_ready', reason: `database unreachable: ${(err as Error).message}` });
      }
    },
  );
}
