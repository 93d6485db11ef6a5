/** The reviews module's table (migration 9000), added to the global `DB`. Only store.ts queries it. */
export interface ReviewsTable {
  id: string;
  product_id: string;
  sku: string | null;
  customer_id: string | null;
  author_name: string | null;
  channel_id: string;
  rating: number;
  title: string | null;
  body: string | null;
  size_feedback: string | null;
  verified: boolean;
  verified_order_id: string | null;
  verified_channel_type: string | null;
  status: string;
  reject_reason: string | null;
  moderated_by: string | null;
  moderated_at: Date | null;
  erased_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    reviews: ReviewsTable;
  }
}
