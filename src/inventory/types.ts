export const MOVEMENT_TYPES = [
  'receipt',
  'sale',
  'return',
  'adjustment',
  'count',
  'damage',
  'transfer_out',
  'transfer_in',
] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];
/** What a person may record by hand through `POST /v1/inventory/movements`. */
export const MANUAL_MOVEMENT_TYPES = ['receipt', 'adjustment', 'count', 'damage'] as const;
export type ManualMovementType = (typeof MANUAL_MOVEMENT_TYPES)[number];
export const RESERVATION_STATUSES = ['active', 'released', 'confirmed', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];
export const TRANSFER_STATUSES = ['in_transit', 'partially_received', 'received'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface StockLevel {
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  in_transit: number;
  /** on_hand − reserved − safety_stock, never below zero (before any channel policy). */
  available: number;
  min_qty: number | null;
  max_qty: number | null;
}

export interface SkuStock {
  sku: string;
  levels: StockLevel[];
}

export interface Movement {
  id: number;
  sku: string;
  location_id: string;
  type: MovementType;
  quantity: number;
  on_hand_after: number;
  actor: string;
  reason: string | null;
  reference: string | null;
  created_at: string;
}

export interface LocationAvailability {
  location_id: string;
  available: number;
  distance_km: number | null;
}

export interface Availability {
  sku: string;
  channel: string;
  available: number;
  locations: LocationAvailability[];
}

export interface ReservationLine {
  sku: string;
  location_id: string;
  quantity: number;
  confirmed: number;
}

export interface Reservation {
  id: string;
  channel_id: string;
  reference: string;
  customer_id: string | null;
  status: ReservationStatus;
  expires_at: string;
  created_at: string;
  lines: ReservationLine[];
}

export interface ReserveInput {
  /** Channel id or code. */
  channel: string;
  lines: { sku: string; quantity: number; location_id?: string | undefined }[];
  ttl_seconds: number;
  reference: string;
  customer_id?: string | undefined;
}

export interface TransferLine {
  sku: string;
  shipped: number;
  received: number;
  discrepancy: number | null;
}

export interface Transfer {
  id: string;
  from_location_id: string;
  to_location_id: string;
  status: TransferStatus;
  reference: string | null;
  created_at: string;
  updated_at: string;
  /** Why the shortfall was booked when the transfer was closed short; null otherwise. */
  discrepancy_reason: string | null;
  lines: TransferLine[];
}

/** Who did it and why, recorded on every ledger entry. */
export interface Actor {
  actor?: string | undefined;
  reason?: string | undefined;
  reference?: string | undefined;
}

/** An availability question: SKUs in a channel, optionally near a point (lat, lng within radius_km). */
export interface AvailabilityQuery {
  channel: string;
  skus: string[];
  lat?: number | undefined;
  lng?: number | undefined;
  radius_km?: number | undefined;
}
