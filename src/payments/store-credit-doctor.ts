import type { DoctorCheck } from '../platform/doctor.js';
import { ledgerMismatches } from './store-credit.js';

/** Store credit: every balance is the sum of its ledger (the CHECK already keeps it at zero or more). */
export const storeCreditChecks: DoctorCheck[] = [
  {
    name: 'store credit: balances equal their ledgers',
    run: async (db) => {
      const rows = await ledgerMismatches(db);
      return rows.length
        ? {
            status: 'fail',
            summary: `${rows.length}${rows.length === 20 ? '+' : ''} accounts off their ledger`,
            samples: rows,
          }
        : { status: 'ok', summary: 'every store credit balance equals its ledger' };
    },
  },
];
