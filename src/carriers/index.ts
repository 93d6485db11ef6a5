export {
  CarrierService,
  DEFAULT_CARRIERS_CONFIG,
  type CarriersConfig,
  type HomeQuote,
  type ShipmentView,
} from './service.js';
export { carrierRoutes } from './routes.js';
export { dhlExpress, DHL_EXPRESS, DHL_PRODUCTION_URL, type DhlExpressConfig } from './dhl-express.js';
export { signBody, verifySignature } from './rules.js';
export { CarrierError, type Carrier } from './types.js';
export type { CarriersFulfillmentPort, CarriersNetworkPort, CarriersOrdersPort } from './ports.js';
export { composeCarriers } from './compose.js';
