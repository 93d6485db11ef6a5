/**
 * Planning (issue 15): chain-wide plans. Secret keys of any channel and merchandisers and admins
 * (planning:read/write); a key bound to store X is refused (a plan spans every store); associates
 * and agents lack the scopes. Applying levels and accepting a transfer also need the policy's
 * stock rights at each store (merchandisers only read stock) — checked in test/planning.
 */
import type { Row, Who } from './model.js';

const PLANNERS: Who[] = ['keyB', 'admin', 'merch'];

export const rows: Record<string, Row> = {
  'POST /v1/planning/minmax': {
    allow: PLANNERS,
    ok: ['admin', 'merch'],
    body: () => ({ as_of: '2026-01-01', history_days: 7, simulate_skus: 0, refresh_demand: false }),
  },
  'GET /v1/planning/minmax': { allow: PLANNERS, ok: ['admin', 'merch'] },
  'GET /v1/planning/minmax/{run_id}': { allow: PLANNERS, path: () => '/v1/planning/minmax/pln_nope' },
  'GET /v1/planning/minmax/{run_id}/results': { allow: PLANNERS, path: () => '/v1/planning/minmax/pln_nope/results' },
  'POST /v1/planning/minmax/{run_id}/apply': { allow: PLANNERS, path: () => '/v1/planning/minmax/pln_nope/apply' },
  'GET /v1/planning/proposals': { allow: PLANNERS, ok: ['admin', 'merch'] },
  'POST /v1/planning/proposals/{id}/accept': { allow: PLANNERS, path: () => '/v1/planning/proposals/ppl_nope/accept' },
  'POST /v1/planning/proposals/{id}/reject': { allow: PLANNERS, path: () => '/v1/planning/proposals/ppl_nope/reject' },
};
