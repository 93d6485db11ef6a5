import type { DoctorCheck } from '../platform/doctor.js';
import * as store from './store.js';

function result(rows: unknown[], ok: string, fail: string) {
  return rows.length
    ? { status: 'fail' as const, summary: fail, samples: rows }
    : { status: 'ok' as const, summary: ok };
}

export const orderChecks: DoctorCheck[] = [
  {
    name: 'orders: orders awaiting fulfilment hold stock',
    run: async (db) =>
      result(
        await store.openOrdersWithoutReservation(db),
        'every placed or confirmed order has a reservation',
        'placed or confirmed orders without a reservation',
      ),
  },
];
