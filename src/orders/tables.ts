export interface OrdersTable {
  id: string;
  channel_id: string;
  channel_type: string;
  customer_id: string | null;
  cart_id: string | null;
  location_id: string | null;
  status: string;
  hold_reason: string | null;
  currency: string;
  subtotal: string | number;
  discount_total: string | number;
  shipping_amount: string | number;
  shipping_discount: string | number;
  tax_total: string | number;
  total: string | number;
  tax_breakdown: unknown;
  coupons: unknown;
  delivery: unknown;
  email: string | null;
  reservation_id: string | null;
  payment_id: string | null;
  placed_at: Date;
  updated_at: Date;
  anonymised_at: Date | null;
  /** Taken off by line cancellations (migration 7450). */
  cancelled_amount?: string | number;
  gift?: boolean;
  gift_message?: string | null;
  gift_receipt_code?: string | null;
  gift_recipient_email?: string | null;
  gift_recipient_name?: string | null;
}

export interface OrderLinesTable {
  id: string;
  order_id: string;
  position: number;
  sku: string;
  product_id: string | null;
  quantity: number;
  unit_price: string | number;
  discount: string | number;
  total: string | number;
  tax_rate: string | number;
  tax_amount: string | number;
  applied: unknown;
  location_id: string | null;
  fulfilled_quantity: number;
  /** Units cancelled before any store picked them (migration 7450); `quantity` is what stays live. */
  cancelled_quantity?: number;
}

export interface OrderHistoryTable {
  seq: import('kysely').Generated<number>;
  order_id: string;
  from_status: string | null;
  to_status: string;
  hold_reason: string | null;
  note: string | null;
  at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    orders: OrdersTable;
    order_lines: OrderLinesTable;
    order_history: OrderHistoryTable;
  }
}
