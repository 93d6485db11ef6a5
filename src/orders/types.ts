import type { OrderStatus } from './rules.js';
import type { Payment } from '../payments/index.js';

export type { OrderStatus } from './rules.js';
export const DELIVERY_METHODS = ['home', 'click_collect', 'pickup_point', 'in_store'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export interface OrderAddress {
  name?: string | undefined;
  line1: string;
  line2?: string | undefined;
  city: string;
  postal_code: string;
  region?: string | undefined;
  country: string;
}

export interface OrderDelivery {
  method: DeliveryMethod;
  location_id?: string | null | undefined;
  /** The store or pickup point's name as it was at checkout (messages and receipts show it). */
  location_name?: string | null | undefined;
  address?: OrderAddress | null | undefined;
  amount: number;
  promised_date?: string | null | undefined;
  /** Pickup at a location with opening hours: ready from, collect until (ISO instants). */
  ready_by?: string | null | undefined;
  collect_until?: string | null | undefined;
  /** The pickup location's timezone, so messages state those times in local wall time. */
  location_timezone?: string | undefined;
  /** Where the goods ship from when known at checkout (endless aisle: any location). */
  source_location_id?: string | null | undefined;
}

export interface OrderLine {
  line_id: string;
  sku: string;
  product_id: string | null;
  quantity: number;
  fulfilled_quantity: number;
  /** Units cancelled for the customer before they were picked (`quantity` no longer counts them). */
  cancelled_quantity: number;
  unit_price: number;
  discount: number;
  total: number;
  tax_rate: number;
  tax_amount: number;
  applied: unknown[];
  location_id: string | null;
}

export interface Order {
  id: string;
  status: OrderStatus;
  hold_reason: string | null;
  channel_id: string;
  channel_type: string;
  customer_id: string | null;
  cart_id: string | null;
  location_id: string | null;
  email: string | null;
  currency: string;
  subtotal: { amount: number; currency: string };
  discount_total: { amount: number; currency: string };
  shipping: { amount: number; discount: number; currency: string };
  tax_total: { amount: number; currency: string };
  total: { amount: number; currency: string };
  tax_breakdown: unknown[];
  coupons: string[];
  delivery: OrderDelivery;
  reservation_id: string | null;
  payment: Payment | null;
  lines: OrderLine[];
  /** A gift: packing slips and the recipient's mail show no prices; the receipt code lets the recipient return it. */
  gift: boolean;
  gift_message: string | null;
  gift_receipt_code: string | null;
  /** Who receives the gift (mailed the gift notice, no prices); the buyer's personal data, erased with them. */
  gift_recipient: { email: string | null; name: string | null } | null;
  placed_at: string;
  updated_at: string;
}

/** An order as read without its payment (notifications: one statement fewer). */
export type OrderWithoutPayment = Omit<Order, 'payment'>;

/** What any channel's order creator hands to `OrdersService.place` (checkout, marketplace import). */
export interface PlaceOrderInput {
  id?: string;
  channel_id: string;
  channel_type: string;
  customer_id: string | null;
  cart_id: string | null;
  location_id: string | null;
  email: string | null;
  currency: string;
  subtotal: number;
  discount_total: number;
  shipping_amount: number;
  shipping_discount: number;
  tax_total: number;
  total: number;
  tax_breakdown: unknown[];
  coupons: string[];
  delivery: OrderDelivery;
  reservation_id: string | null;
  payment_id: string | null;
  /** The payment just written, when the caller has it (saves a read inside the checkout transaction). */
  payment?: Payment | undefined;
  /**
   * `payment_pending` (checkout: the payment is pending, `order.placed` follows its authorisation)
   * or `placed` (default: an import whose payment happened elsewhere).
   */
  status?: 'payment_pending' | 'placed' | undefined;
  lines: Omit<OrderLine, 'fulfilled_quantity' | 'cancelled_quantity'>[];
  /** Marked as a gift at checkout, with an optional message; a gift receipt code is drawn for it. */
  gift?:
    | {
        message: string | null;
        recipient_email?: string | null | undefined;
        recipient_name?: string | null | undefined;
      }
    | undefined;
}

export interface OrderFilter {
  customer_id?: string | undefined;
  channel_id?: string | undefined;
  /** A store's orders (a store associate's list). */
  location_id?: string | undefined;
  status?: OrderStatus | undefined;
  /** Orders placed at this store or collected there (a console filter, unlike the scope's `location_id`). */
  at_location_id?: string | undefined;
  placed_from?: Date | undefined;
  placed_to?: Date | undefined;
  after?: string | undefined;
  limit?: number | undefined;
}

/** The counter's search; the scope filters (channel, store, customer) come from the policy. */
export interface OrderSearchFilter {
  id?: string | undefined;
  email?: string | undefined;
  /** All profile rows of one person (found by phone or e-mail). */
  customer_ids?: readonly string[] | undefined;
  customer_id?: string | undefined;
  channel_id?: string | undefined;
  location_id?: string | undefined;
  status?: OrderStatus | undefined;
  before?: string | undefined;
  limit?: number | undefined;
}
