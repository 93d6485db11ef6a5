import type { DoctorCheck } from '../platform/doctor.js';
import * as store from './store.js';

/** Catalog invariants for `omnia doctor`. */
export const catalogChecks: DoctorCheck[] = [
  {
    name: 'catalog GTIN check digits',
    async run(db) {
      const bad = await store.badGtins(db);
      return bad.length
        ? {
            status: 'fail',
            summary: `${bad.length}${bad.length === 20 ? '+' : ''} GTINs with a wrong check digit`,
            samples: bad,
          }
        : { status: 'ok', summary: 'all valid' };
    },
  },
  {
    name: 'catalog SKUs priced',
    async run(db) {
      const { n, samples } = await store.unpricedSkus(db);
      return n
        ? { status: 'warn', summary: `${n} active SKUs have no price`, samples }
        : { status: 'ok', summary: 'every active SKU has a price' };
    },
  },
];
