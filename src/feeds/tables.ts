/** The feeds module's tables (migrations/9300_social_feeds.sql). Only this module reads or writes them. */

export interface SocialFeedsTable {
  channel_id: string;
  token_hash: string;
  token_hint: string;
  link_template: string;
  image_template: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface SocialFeedDirtyTable {
  channel_id: string;
  sku: string;
  /** bigint from social_feed_dirty_seq (a string from the driver). */
  mark: string | number;
}

export interface SocialFeedItemsTable {
  channel_id: string;
  sku: string;
  product_id: string;
  title: string;
  description: string;
  brand: string;
  link: string;
  image_link: string;
  size: string | null;
  color: string | null;
  gtin: string | null;
  currency: string;
  price: string | number;
  sale_price: string | number | null;
  quantity: number;
  revision: number;
  updated_at: Date;
}

export interface ShareLinksTable {
  id: string;
  channel_id: string;
  target_url: string;
  campaign: string;
  medium: string;
  sku: string | null;
  sharer_customer_id: string | null;
  visits: number;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    social_feeds: SocialFeedsTable;
    social_feed_dirty: SocialFeedDirtyTable;
    social_feed_items: SocialFeedItemsTable;
    share_links: ShareLinksTable;
  }
}
