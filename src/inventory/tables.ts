import type { Generated } from 'kysely';

export interface StockLevelsTable {
  sku: string;
  location_id: string;
  on_hand: Generated<number>;
  reserved: Generated<number>;
  safety_stock: Generated<number>;
  in_transit: Generated<number>;
  min_qty: number | null;
  max_qty: number | null;
  updated_at: Generated<Date>;
}

export interface StockMovementsTable {
  id: Generated<number>;
  sku: string;
  location_id: string;
  type: string;
  quantity: number;
  on_hand_after: number;
  actor: string;
  reason: string | null;
  reference: string | null;
  created_at: Date;
}

export interface ReservationsTable {
  id: string;
  channel_id: string;
  reference: string;
  customer_id: string | null;
  status: string;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface ReservationLinesTable {
  reservation_id: string;
  line_no: number;
  sku: string;
  location_id: string;
  quantity: number;
  confirmed: Generated<number>;
}

export interface TransfersTable {
  id: string;
  from_location_id: string;
  to_location_id: string;
  status: string;
  reference: string | null;
  actor: string;
  created_at: Date;
  updated_at: Date;
  /** Why a closed transfer came up short (3100). */
  discrepancy_reason: string | null;
}

export interface TransferLinesTable {
  transfer_id: string;
  sku: string;
  shipped: number;
  received: Generated<number>;
  discrepancy: number | null;
}

declare module '../platform/db/schema.js' {
  interface DB {
    stock_levels: StockLevelsTable;
    stock_movements: StockMovementsTable;
    reservations: ReservationsTable;
    reservation_lines: ReservationLinesTable;
    transfers: TransfersTable;
    transfer_lines: TransferLinesTable;
  }
}
