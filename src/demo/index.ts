/** The demo retailer, for `omnia seed --demo` and the first start on an empty database. */
export { DEMO_DEFAULTS, planDemo, type DemoOptions, type DemoPlan } from './plan.js';
export { seedDemo, DemoNotEmptyError, type DemoSummary, type SeedDemoOptions } from './seed.js';
export { seedIfEmpty, DEMO_ADMIN_EMAIL } from './first-start.js';
