/**
 * The carrier interface (issue 18 part 3): what every carrier connector does, in the carrier's own
 * terms translated to ours. Rates feed the delivery promise, shipments buy a label, tracking reports
 * checkpoints. One real implementation (dhl-express.ts, MyDHL API); the rate table in carts stays the
 * fallback whenever a carrier cannot answer in time.
 */

export interface CarrierAddress {
  name: string;
  company?: string | undefined;
  line1: string;
  city: string;
  postal_code: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  phone?: string | undefined;
  email?: string | undefined;
}

export interface Parcel {
  weight_g: number;
  /** Centimetres; the carrier's default box when absent. */
  length_cm?: number | undefined;
  width_cm?: number | undefined;
  height_cm?: number | undefined;
}

export interface RateRequest {
  from: Pick<CarrierAddress, 'city' | 'postal_code' | 'country'>;
  to: Pick<CarrierAddress, 'city' | 'postal_code' | 'country'>;
  parcels: Parcel[];
  /** The day the parcel leaves (YYYY-MM-DD). */
  ship_date: string;
}

export interface RateQuote {
  carrier: string;
  /** The carrier's product (DHL: 'N' domestic express, 'U' express worldwide EU…). */
  product_code: string;
  product_name: string;
  /** Minor units. */
  amount: number;
  currency: string;
  /** Days from the ship date to the door, as the carrier promises. */
  transit_days: number;
}

export interface ShipmentRequest {
  /** Our shipment id: sent as the carrier's customer reference, so a retried request is recognisable. */
  reference: string;
  product_code?: string | undefined;
  ship_date: string;
  from: CarrierAddress;
  to: CarrierAddress;
  parcels: Parcel[];
  description: string;
  label_format: LabelFormat;
}

export type LabelFormat = 'pdf' | 'zpl';

export interface CreatedShipment {
  tracking_number: string;
  tracking_url: string | null;
  label: { format: LabelFormat; base64: string };
}

/** Our normalised tracking statuses (each carrier maps its codes onto these in rules.ts). */
export const TRACKING_STATUSES = [
  'label_created',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export interface TrackingCheckpoint {
  /** The carrier's event code ('PU', 'OK'…). */
  code: string;
  status: TrackingStatus;
  description: string | null;
  occurred_at: string;
}

export interface TrackingReport {
  tracking_number: string;
  checkpoints: TrackingCheckpoint[];
}

export interface Carrier {
  /** Stable code stored with each shipment ('dhl_express'). */
  readonly code: string;
  rates(req: RateRequest): Promise<RateQuote[]>;
  createShipment(req: ShipmentRequest): Promise<CreatedShipment>;
  /**
   * The shipment an earlier `createShipment` with this reference made, if the carrier has one: asked
   * before a retried request calls again, because an answer lost to a crash or a timeout may still
   * have bought a label. Null when there is none (then creating is safe).
   */
  findByReference?(reference: string, shipDate: string): Promise<CreatedShipment | null>;
  tracking(trackingNumber: string): Promise<TrackingReport>;
  /** Reads a webhook body in the carrier's tracking shape (the signature is checked before). */
  parseTrackingPush(body: unknown): TrackingReport[];
}

/**
 * Why a carrier call failed. `retryable` ones (throttled, timeout, unavailable, malformed) leave a
 * label request pending for the settle job; `rejected` (the carrier refused the request itself: a bad
 * address, an unknown product) and `auth` fail it, because sending it again would fail again.
 */
export type CarrierFailure = 'throttled' | 'timeout' | 'unavailable' | 'malformed' | 'rejected' | 'auth';

export class CarrierError extends Error {
  constructor(
    readonly failure: CarrierFailure,
    message: string,
    /** The carrier's Retry-After, when it gave one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'CarrierError';
  }

  get retryable(): boolean {
    return this.failure !== 'rejected' && this.failure !== 'auth';
  }
}
