import { sql } from 'kysely';
import type { Db } from './db/schema.js';
import { pendingMigrations } from './db/migrate.js';
import { DEFAULT_EVENTS_KEEP_DAYS } from './config.js';

/**
 * `omnia doctor` runs checks that each module contributes (see src/doctor-checks.ts). A failed
 * check is a broken invariant (the command exits non-zero); a warning is worth a look.
 */
export interface CheckResult {
  status: 'ok' | 'warn' | 'fail';
  summary: string;
  /** Offending rows, at most a few dozen, for the report. */
  samples?: unknown[];
}

/** The settings a check may judge by (the process's config; the CLI's flags and environment). */
export interface DoctorSettings {
  /** OMNIA_EVENTS_KEEP_DAYS: settled events older than this should have left the outbox (0: kept). */
  eventsKeepDays: number;
}

export const DEFAULT_DOCTOR_SETTINGS: DoctorSettings = { eventsKeepDays: DEFAULT_EVENTS_KEEP_DAYS };

export interface DoctorCheck {
  name: string;
  /** `settings`: the process's (runChecks always passes them); a check called alone gets the defaults. */
  run(db: Db, now: Date, settings?: DoctorSettings): Promise<CheckResult>;
}

export const platformChecks: DoctorCheck[] = [
  {
    name: 'migrations applied',
    async run(db) {
      const pending = await pendingMigrations(db);
      return pending.length
        ? { status: 'fail', summary: `${pending.length} pending: ${pending.join(', ')}` }
        : { status: 'ok', summary: 'all applied' };
    },
  },
  {
    name: 'outbox delivered',
    async run(db, now) {
      const r = await sql<{
        n: number;
        oldest: Date | null;
      }>`select count(*) as n, min(created_at) as oldest from outbox where dispatched_at is null`.execute(db);
      const { n, oldest } = r.rows[0]!;
      if (n === 0) return { status: 'ok', summary: 'nothing pending' };
      const ageS = oldest ? Math.round((now.getTime() - oldest.getTime()) / 1000) : 0;
      return { status: ageS > 300 ? 'warn' : 'ok', summary: `${n} events pending, oldest ${ageS}s` };
    },
  },
];

export async function runChecks(
  db: Db,
  checks: DoctorCheck[],
  now: Date,
  settings: DoctorSettings = DEFAULT_DOCTOR_SETTINGS,
): Promise<{ name: string; result: CheckResult }[]> {
  const out: { name: string; result: CheckResult }[] = [];
  for (const check of checks) {
    try {
      out.push({ name: check.name, result: await check.run(db, now, settings) });
    } catch (err) {
      out.push({ name: check.name, result: { status: 'fail', summary: `check crashed: ${(err as Error).message}` } });
    }
  }
  return out;
}
