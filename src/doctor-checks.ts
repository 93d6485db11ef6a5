import { platformChecks, type DoctorCheck } from './platform/doctor.js';
import { eventChecks } from './platform/events/dead-letters.js';
import { inventoryChecks } from './inventory/index.js';
import { catalogChecks } from './catalog/index.js';
import { customerChecks } from './customers/index.js';
import { promotionChecks } from './promotions/index.js';
import { fulfillmentChecks } from './fulfillment/index.js';
import { orderChecks } from './orders/index.js';
import { returnsChecks } from './returns/index.js';
import { storeCreditChecks } from './payments/index.js';

/** Every module's invariant checks, in the order `omnia doctor` runs them. Add a module's here. */
export const doctorChecks: DoctorCheck[] = [
  ...platformChecks,
  ...eventChecks,
  ...catalogChecks,
  ...inventoryChecks,
  ...customerChecks,
  ...promotionChecks,
  ...fulfillmentChecks,
  ...returnsChecks,
  ...storeCreditChecks,
  ...orderChecks,
];
