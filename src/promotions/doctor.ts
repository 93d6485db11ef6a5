import type { DoctorCheck } from '../platform/doctor.js';
import * as store from './store.js';

/** Promotions invariants for `omnia doctor`. */
export const promotionChecks: DoctorCheck[] = [
  {
    // every redemption moved the counter in the same transaction; none went past a limit
    name: 'coupon counters match redemptions',
    async run(db) {
      const bad = await store.couponCounterMismatches(db);
      return bad.length
        ? {
            status: 'fail',
            summary: `${bad.length}${bad.length === 20 ? '+' : ''} coupons whose counter and redemptions disagree or exceed the limit`,
            samples: bad,
          }
        : { status: 'ok', summary: 'every counter matches its redemptions, none over its limit' };
    },
  },
];
