import type { DeliveryOption } from './delivery-rules.js';
import type { ApiKeyKind, Role } from '../platform/http/auth-model.js';

export const CART_STATUSES = ['open', 'merged', 'completed'] as const;
export type CartStatus = (typeof CART_STATUSES)[number];
export const CART_DELIVERY_METHODS = ['home', 'click_collect', 'pickup_point', 'in_store'] as const;
export type CartDeliveryMethod = (typeof CART_DELIVERY_METHODS)[number];

export interface CartDeliveryChoice {
  method: CartDeliveryMethod;
  location_id?: string | undefined;
}

export interface CartLine {
  line_id: string;
  sku: string;
  quantity: number;
  unit_price: number | null;
  discount: number | null;
  total: number | null;
  applied: unknown[];
  /** For the chosen delivery (a store's shelf for click & collect / in store), else what the channel may promise. */
  availability: { status: 'available' | 'short' | 'unavailable'; available: number } | null;
}

export interface Cart {
  id: string;
  channel_id: string;
  customer_id: string | null;
  location_id: string | null;
  status: CartStatus;
  currency: string;
  coupons: string[];
  coupon_results: { code: string; status: string; reason?: string | undefined }[];
  delivery: CartDeliveryChoice | null;
  lines: CartLine[];
  totals: { subtotal: number; discount_total: number; tax_total: number; total: number; currency: string } | null;
  free_shipping_threshold: number | null;
  version: number;
  order_id: string | null;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

export interface Handoff {
  code: string;
  qr_payload: string;
  cart_id: string;
  expires_at: string;
}

/** Who is acting on a cart: decides ownership and the channel a claim moves the cart to. */
/** Who acts on a cart; it carries what the authorization policy (platform/auth/policy.ts) reads. */
export type CartActor =
  | { kind: 'customer'; id: string; customerId: string; channelId: string }
  | { kind: 'api_key'; id: string; keyKind: ApiKeyKind; channelId: string; locationId: string | null }
  | { kind: 'staff'; id: string; role: Role; locationId: string | null };

export type { DeliveryOption };
