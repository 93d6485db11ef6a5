/** `omnia doctor` checks of the inventory invariants (ARCHITECTURE.md, issue 4 point 6). */
import type { DoctorCheck } from '../platform/doctor.js';
import * as q from './store-checks.js';
import { summaryMismatches } from './atp-summary-store.js';

/** The expiry job runs every second; a reservation this far past expiry means it is not running. */
export const EXPIRY_GRACE_MS = 60_000;

function result(rows: unknown[], ok: string, fail: string) {
  return rows.length
    ? { status: 'fail' as const, summary: fail, samples: rows }
    : { status: 'ok' as const, summary: ok };
}

export const inventoryChecks: DoctorCheck[] = [
  {
    name: 'inventory: on-hand equals the ledger',
    run: async (db) =>
      result(
        await q.ledgerMismatches(db),
        'every SKU × location matches its movements',
        'on-hand differs from the ledger sum',
      ),
  },
  {
    name: 'inventory: reserved equals active reservations',
    run: async (db) =>
      result(
        await q.reservedMismatches(db),
        'reserved matches the active reservation lines',
        'reserved differs from the active reservations',
      ),
  },
  {
    name: 'inventory: nothing available below zero',
    run: async (db) =>
      result(
        await q.negativeAvailability(db),
        'no row has more reserved than on hand',
        'rows with availability below zero',
      ),
  },
  {
    name: 'inventory: the availability summary equals the stock rows',
    run: async (db) =>
      result(
        await summaryMismatches(db),
        'every summary slot matches its stock row',
        'the availability summary differs from stock_levels',
      ),
  },
  {
    name: 'inventory: no overdue active reservation',
    run: async (db, now) =>
      result(
        await q.overdueReservations(db, new Date(now.getTime() - EXPIRY_GRACE_MS)),
        'the expiry job keeps up',
        `active reservations more than ${EXPIRY_GRACE_MS / 1000}s past expiry`,
      ),
  },
];
