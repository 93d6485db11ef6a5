import type { App } from './platform/http/app.js';
import type { Services } from './services.js';
import { systemRoutes } from './platform/http/system-routes.js';
import { authRoutes } from './platform/auth/routes.js';
import { sessionRoutes } from './platform/auth/session-routes.js';
import { networkRoutes } from './network/index.js';
import { catalogRoutes } from './catalog/index.js';
import { inventoryRoutes, inventoryLookupRoutes, stockValueRoutes } from './inventory/index.js';
import { webhookRoutes } from './platform/events/webhooks/routes.js';
import { customerDeskRoutes, customerRoutes } from './customers/index.js';
import { promotionRoutes } from './promotions/index.js';
import { orderRoutes } from './orders/index.js';
import { cartRoutes } from './carts/index.js';
import { notificationRoutes } from './notifications/index.js';
import { fulfillmentRoutes } from './fulfillment/index.js';
import { returnRoutes } from './returns/index.js';
import { planningRoutes } from './planning/index.js';
import { doctorRoutes } from './doctor-routes.js';
import { eventRoutes } from './platform/events/routes.js';

/** Every module's HTTP routes, registered in this order. Add a module's line here. */
export async function registerRoutes(app: App, services: Services): Promise<void> {
  await systemRoutes(app, { db: services.ctx.db });
  await authRoutes(app, services);
  await sessionRoutes(app, services);
  await networkRoutes(app, services);
  await catalogRoutes(app, services);
  await inventoryRoutes(app, services);
  await inventoryLookupRoutes(app, services);
  await stockValueRoutes(app, { db: services.ctx.db });
  await webhookRoutes(app, services);
  await customerRoutes(app, services);
  await customerDeskRoutes(app, services);
  await promotionRoutes(app, services);
  await orderRoutes(app, services);
  await cartRoutes(app, services);
  await notificationRoutes(app, services);
  await fulfillmentRoutes(app, services);
  await returnRoutes(app, services);
  await planningRoutes(app, services);
  await doctorRoutes(app, { db: services.ctx.db, clock: services.ctx.clock });
  await eventRoutes(app, { db: services.ctx.db, clock: services.ctx.clock });
}
