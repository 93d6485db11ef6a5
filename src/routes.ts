import type { App } from './platform/http/app.js';
import type { Services } from './services.js';
import { systemRoutes } from './platform/http/system-routes.js';
import { authRoutes } from './platform/auth/routes.js';
import { networkRoutes } from './network/index.js';
import { webhookRoutes } from './platform/events/webhooks/routes.js';

/** Every module's HTTP routes, registered in this order. Add a module's line here. */
export async function registerRoutes(app: App, services: Services): Promise<void> {
  await systemRoutes(app, { db: services.ctx.db });
  await authRoutes(app, services);
  await networkRoutes(app, services);
  await webhookRoutes(app, services);
}
