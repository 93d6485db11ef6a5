export const IDENTIFIER_KINDS = [
  'email',
  'phone',
  'loyalty_card',
  'pos_customer',
  'marketplace_buyer',
  'device_id',
  'anonymous_id',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const CONSENT_PURPOSES = [
  'marketing_email',
  'marketing_sms',
  'marketing_push',
  'personalisation',
  'analytics',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const EVENT_TYPES = [
  'product_viewed',
  'search',
  'added_to_cart',
  'removed_from_cart',
  'checkout_started',
  'order_placed',
  'store_visit',
  'return_made',
  'contact_made',
  'email_opened',
  'coupon_redeemed',
  'page_viewed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Where a touchpoint happened, from the channel type: the till and store visits are "store". */
export type ChannelKind = 'online' | 'store' | 'assisted';

export interface Identifier {
  kind: IdentifierKind;
  value: string;
  verified?: boolean;
}

export interface Money {
  amount: number;
  currency: string;
}

export interface Consent {
  purpose: ConsentPurpose;
  granted: boolean;
  source: string;
  updated_at: string;
}

export type ChannelMixClass = 'online_only' | 'store_only' | 'omnichannel' | 'none';

export interface CustomerMetrics {
  orders_count: number;
  total_spent: Money | null;
  average_basket: Money | null;
  first_seen_at: string | null;
  last_seen_at: string | null;
  visits: number;
  visit_frequency_days: number | null;
  churn_risk: {
    score: number;
    level: 'low' | 'medium' | 'high';
    days_since_last_visit: number | null;
    rhythm_days: number;
  };
  rfm: { r: number; f: number; m: number; segment: string };
  channel_mix: {
    class: ChannelMixClass;
    online_share: number;
    store_share: number;
    assisted_share: number;
    by_channel: Record<string, number>;
  };
  returns_count: number;
}

export interface Traits {
  preferred_sizes: string[];
  preferred_store: string | null;
  favourite_categories: string[];
}

export interface Customer360 {
  id: string;
  status: 'active' | 'merged' | 'erased';
  merged_ids: string[];
  first_name: string | null;
  last_name: string | null;
  has_account: boolean;
  /** `source`: the identification that linked it (null before migration 4100); `linked_at` when. */
  identifiers: {
    kind: IdentifierKind;
    value: string;
    verified: boolean;
    source: string | null;
    linked_at: string;
  }[];
  consents: Consent[];
  traits: Traits;
  metrics: CustomerMetrics;
  recent_orders: { order_id: string; channel: string; placed_at: string; total: Money; status: string }[];
  viewed_not_bought: { product_id: string; views: number; last_viewed_at: string }[];
  created_at: string;
}

export interface Recommendation {
  product_id: string;
  sku: string | null;
  reason: 'bought_together' | 'viewed_not_bought';
  score: number;
}
