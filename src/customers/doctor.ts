/** `omnia doctor` checks of the customers invariants. */
import type { DoctorCheck } from '../platform/doctor.js';
import * as q from './checks-store.js';

function result(rows: unknown[], ok: string, fail: string) {
  return rows.length
    ? { status: 'fail' as const, summary: fail, samples: rows }
    : { status: 'ok' as const, summary: ok };
}

export const customerChecks: DoctorCheck[] = [
  {
    name: 'customers: every profile resolves to an active root',
    run: async (db) =>
      result(await q.brokenRoots(db), 'merge chains are sound', 'profiles whose root is missing, merged or erased'),
  },
  {
    name: 'customers: roll-ups match the stored events',
    run: async (db) =>
      result(await q.rollupMismatches(db), 'per-day roll-ups equal the events', 'roll-ups differ from the events'),
  },
];
