/** The demo retailer, for `omnia seed --demo` and the first start on an empty database. */
export { DEMO_DEFAULTS, planDemo, type DemoOptions, type DemoPlan } from './plan.js';
export { seedDemo, DemoNotEmptyError, type DemoSummary, type SeedDemoOptions } from './seed.js';
export { seedIfEmpty, DEMO_ADMIN_EMAIL } from './first-start.js';
export { seedHistory, type HistorySummary } from './history.js';
export { DEMO_FREE_SHIPPING_FROM, DEMO_SHIPPING } from './history-plan.js';
