/** What analytics needs from other modules to value and classify lost demand (wired in services.ts). */
export interface LostDemandPorts {
  /** Units free to sell (on hand − reserved − safety) per location, for each SKU. */
  freeStock(skus: string[]): Promise<{ sku: string; location_id: string; free: number }[]>;
  /** What one unit costs the shopper (tax-inclusive, minor units) in a channel and currency. */
  prices(skus: string[], currency: string, channelId: string): Promise<Map<string, number>>;
}
