import type { Ctx } from './context.js';
import { AuthService } from './platform/auth/service.js';
import { NetworkService } from './network/index.js';
import { WebhookService } from './platform/events/webhooks/service.js';

/**
 * The composition root of the modules' services: each is built from the context and the services
 * it depends on (passed in, never imported from another module's internals). Add a module here,
 * after the modules it needs. Subscriptions to other modules' events and jobs are wired here too.
 */
export interface Services {
  ctx: Ctx;
  auth: AuthService;
  network: NetworkService;
  webhooks: WebhookService;
}

export async function composeServices(ctx: Ctx): Promise<Services> {
  const network = new NetworkService(ctx.db, ctx.clock);
  const auth = new AuthService(ctx.db, ctx.clock, { channel: (x) => network.channel(x), location: (x) => network.location(x) }, ctx.config.secret);
  await auth.init();
  const webhooks = new WebhookService(ctx.db, ctx.clock, ctx.log);
  ctx.jobs.add({ name: 'webhooks.deliver', intervalMs: 1000, run: () => webhooks.deliverDue() });
  return { ctx, auth, network, webhooks };
}
