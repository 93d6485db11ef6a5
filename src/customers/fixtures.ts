/**
 * The customers internals the event-step profile (bench/_events-steps.ts) drives directly, to time a
 * COPY batch's steps one by one; not part of the module's API.
 */
export { unusualProfiles } from './identity-store.js';
export { directText } from './events-copy.js';
export { aggregate, applyRollups, rollupFields } from './events-rollup.js';
export { emptyColumns, type EventColumns } from './events-store.js';
