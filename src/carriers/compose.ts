/**
 * The carriers module's wiring, kept out of services.ts (issue 18, docs/connectors/carriers.md): DHL
 * Express when configured, else quotes from the rate table and no labels; labels settled and tracking
 * polled by jobs, outside transactions. Called by composeServices.
 */
import type { Ctx } from '../context.js';
import { dhlExpress, DHL_PRODUCTION_URL } from './dhl-express.js';
import type { CarriersFulfillmentPort, CarriersNetworkPort, CarriersOrdersPort } from './ports.js';
import { CarrierService, DEFAULT_CARRIERS_CONFIG } from './service.js';

export function composeCarriers(
  ctx: Ctx,
  ports: { fulfillment: CarriersFulfillmentPort; network: CarriersNetworkPort; orders: CarriersOrdersPort },
): CarrierService {
  const dhl = ctx.config.carriers.dhl;
  const carriers = new CarrierService(
    ctx.db,
    ctx.clock,
    ctx.log,
    dhl
      ? dhlExpress({ ...dhl, baseUrl: dhl.baseUrl ?? DHL_PRODUCTION_URL, timeoutMs: ctx.config.carriers.timeoutMs })
      : undefined,
    ports,
    {
      ...DEFAULT_CARRIERS_CONFIG,
      origin: ctx.config.carriers.origin,
      webhookSecret: ctx.config.carriers.webhookSecret,
    },
  );
  ctx.jobs.add({ name: 'carriers.labels', intervalMs: 10_000, run: () => carriers.settleLabels() });
  ctx.jobs.add({ name: 'carriers.tracking', intervalMs: 60_000, run: () => carriers.pollTracking() });
  return carriers;
}
