import type { CheckResult, DoctorCheck } from '../platform/doctor.js';
import * as store from './store.js';

const result = (rows: unknown[], ok: string, bad: string): CheckResult =>
  rows.length
    ? { status: 'fail', summary: `${rows.length}${rows.length === 20 ? '+' : ''} ${bad}`, samples: rows }
    : { status: 'ok', summary: ok };

/** Returns invariants: refunds add up, store credit matches what was refunded as credit. */
export const returnsChecks: DoctorCheck[] = [
  {
    name: 'returns: refunds add up per return',
    run: async (db) =>
      result(
        await store.refundSumMismatches(db),
        'every return’s lines add up to its refund',
        'returns whose lines do not add up to the refund',
      ),
  },
  {
    name: 'returns: store credit issued equals store-credit refunds',
    run: async (db) =>
      result(
        await store.creditMismatches(db),
        'store credit matches the refunds',
        'returns with store credit not matching the refund',
      ),
  },
];
