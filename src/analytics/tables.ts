export interface AnalyticsLostDemandTable {
  day: string;
  source: string;
  channel_id: string;
  location_id: string | null;
  sku: string;
  units: number;
  asks: number;
  unit_price: number | string;
  currency: string;
  elsewhere: number;
}

declare module '../platform/db/schema.js' {
  interface DB {
    analytics_lost_demand: AnalyticsLostDemandTable;
  }
}
