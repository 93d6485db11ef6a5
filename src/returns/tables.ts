export interface ReturnsTable {
  id: string;
  order_id: string;
  channel_id: string;
  location_id: string;
  customer_id: string | null;
  status: string;
  refund_method: string;
  currency: string;
  refund_amount: number | string;
  exchange: unknown;
  exchange_reservation_id: string | null;
  exchange_fulfillment_id: string | null;
  return_code?: string | null;
  dropoff_method?: string | null;
  received_at?: Date | null;
  gift?: boolean;
  store_credit_account_id?: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ReturnLinesTable {
  return_id: string;
  line_id: string;
  sku: string;
  quantity: number;
  reason: string;
  condition: string;
  refund_amount: number | string;
  restock: string;
  restock_location_id: string;
}

export interface StoreCreditsTable {
  id: string;
  customer_id: string | null;
  order_id: string;
  return_id: string;
  currency: string;
  amount: number | string;
  created_at: Date;
}

declare module '../platform/db/schema.js' {
  interface DB {
    returns: ReturnsTable;
    return_lines: ReturnLinesTable;
    store_credits: StoreCreditsTable;
  }
}
