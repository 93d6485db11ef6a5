/**
 * The inventory internals the reservation profile (bench/_reserve-statements.ts) drives directly, to
 * time a batch's statements one by one under EXPLAIN ANALYZE; not part of the module's API.
 */
export { addReservedSynced, readPacked } from './atp-summary-store.js';
export { insertReservations } from './store-reservations.js';
