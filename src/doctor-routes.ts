import { Type } from '@sinclair/typebox';
import type { App } from './platform/http/app.js';
import type { Db } from './platform/db/schema.js';
import type { Clock } from './platform/clock.js';
import { runChecks, type DoctorSettings } from './platform/doctor.js';
import { doctorChecks } from './doctor-checks.js';

const CheckSchema = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('fail')]),
  summary: Type.String(),
  samples: Type.Array(Type.Unknown(), { description: 'offending rows, at most a few dozen' }),
});

/**
 * `omnia doctor` over HTTP, for the console's operations page: the same checks, the same verdict.
 * It reads the whole stock ledger, so it is for admins (scope system:doctor), not for monitoring loops.
 */
export async function doctorRoutes(
  app: App,
  { db, clock, settings }: { db: Db; clock: Clock; settings: DoctorSettings },
): Promise<void> {
  app.get(
    '/v1/doctor',
    {
      config: { auth: { scope: 'system:doctor' } },
      schema: {
        tags: ['system'],
        summary: 'Run the invariant checks (stock equals its ledger, reservations add up, migrations applied…)',
        response: {
          200: Type.Object({ ok: Type.Boolean({ description: 'no check failed' }), checks: Type.Array(CheckSchema) }),
        },
      },
    },
    async () => {
      const results = await runChecks(db, doctorChecks, clock.now(), settings);
      return {
        ok: results.every((r) => r.result.status !== 'fail'),
        checks: results.map(({ name, result }) => ({
          name,
          status: result.status,
          summary: result.summary,
          samples: result.samples ?? [],
        })),
      };
    },
  );
}
