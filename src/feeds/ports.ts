/** What the feeds module needs from other modules, wired in src/services.ts (src/feeds/compose.ts). */
import type { ProductFacts } from './rules.js';

export interface FeedChannel {
  id: string;
  code: string;
  type: string;
  name: string;
  currency: string;
  active: boolean;
}

export interface FeedsNetworkPort {
  channel(idOrCode: string): Promise<FeedChannel | undefined>;
}

export interface FeedsCatalogPort {
  /** The product each SKU is a variant of; unknown SKUs are absent. */
  productOf(skus: readonly string[]): Promise<Map<string, string>>;
  /** A product with its variants priced for the channel (its price book), or null when it does not exist. */
  product(productId: string, ctx: { currency: string; channelId: string }): Promise<ProductFacts | null>;
  /** One page of every product's SKUs (the first build of a feed). */
  skuPage(cursor: string | null): Promise<{ skus: string[]; next: string | null }>;
}

export interface FeedsInventoryPort {
  /** What the channel may promise per SKU, after its buffer and safety stock (the inventory module's ATP). */
  availability(channelCode: string, skus: readonly string[]): Promise<Map<string, number>>;
}

export interface FeedsCustomersPort {
  /** Records one behaviour event through the customers module's ingestion. */
  recordVisit(event: {
    type: 'page_viewed';
    timestamp: string;
    anonymous_id: string;
    /** The visitor when known (a customer token): the channel mix counts visits per known person and day. */
    customer_id?: string;
    channel: string;
    properties: Record<string, string>;
  }): Promise<void>;
}

export interface FeedsPorts {
  network: FeedsNetworkPort;
  catalog: FeedsCatalogPort;
  inventory: FeedsInventoryPort;
  customers: FeedsCustomersPort;
}
