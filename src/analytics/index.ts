/** The analytics module's pure rules: channel mix, crediting, conversion, shipping, lost sales. */
export * from './types.js';
export {
  CHANNEL_ROLLUP,
  CHANNELS,
  SEGMENTS,
  channelMix,
  conversionByChannel,
  segmentOf,
  storeCredits,
} from './channel-rules.js';
export {
  bandLabel,
  breakEvenThreshold,
  freeShippingWhatIf,
  marginByBand,
  shippingCostByBand,
} from './shipping-rules.js';
export { classifyLostSales } from './lost-sales-rules.js';
export { channelMixWindow } from './channel-rules.js';
export { AnalyticsService } from './service.js';
export type { LostDemandPorts } from './ports.js';
export { asksFrom } from './lost-demand-hook.js';
export { analyticsRoutes } from './routes.js';
export type { ChannelMixReport, LostSalesReport, ShippingReport } from './schemas.js';
