import type { CheckResult, DoctorCheck } from '../platform/doctor.js';
import * as store from './store.js';

/** How late the SLA job may run before doctor warns (it runs every 30 s). */
const SLA_GRACE_MS = 10 * 60_000;

const result = (rows: unknown[], ok: string, bad: string, level: 'warn' | 'fail' = 'fail'): CheckResult =>
  rows.length
    ? { status: level, summary: `${rows.length}${rows.length === 20 ? '+' : ''} ${bad}`, samples: rows }
    : { status: 'ok', summary: ok };

/** Fulfillment invariants. */
export const fulfillmentChecks: DoctorCheck[] = [
  {
    name: 'fulfillment: tasks holding stock name their reservation',
    run: async (db) =>
      result(
        await store.holdingWithoutReservation(db),
        'every open task holds a reservation',
        'open tasks without a reservation',
      ),
  },
  {
    name: 'fulfillment: no pending task long past its SLA',
    run: async (db, now) =>
      result(
        await store.overduePending(db, new Date(now.getTime() - SLA_GRACE_MS)),
        'the SLA job keeps up',
        'pending tasks more than 10 min past their SLA',
        'warn',
      ),
  },
  {
    name: 'fulfillment: inbox items keep failing',
    run: async (db) =>
      result(await store.stuckInbox(db, 5), 'the inbox is worked off', 'inbox items failed 5 times or more', 'warn'),
  },
];
