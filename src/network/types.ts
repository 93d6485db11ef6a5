export const CHANNEL_TYPES = ['web', 'app', 'pos', 'contact_center', 'marketplace', 'social'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const LOCATION_TYPES = ['store', 'warehouse', 'pickup_point'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];
export const CAPABILITIES = ['ship', 'pickup', 'ship_from_store', 'returns'] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface StockPolicy {
  /** 'all' pools every active location; otherwise only the listed location ids feed the channel. */
  locations: 'all' | string[];
  /** Units per SKU and location the channel keeps back and never promises. */
  safety_stock: number;
  /** Percentage of the remaining units held back (marketplaces oversell-proofing). */
  buffer_pct: number;
}

export interface Channel {
  id: string;
  code: string;
  type: ChannelType;
  name: string;
  currency: string;
  country: string;
  stock_policy: StockPolicy;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postal_code: string;
  region?: string;
  country: string;
}

/** Opening hours per weekday as ["HH:MM", "HH:MM"] intervals; a missing day is closed. */
export type OpeningHours = Partial<Record<Weekday, [string, string][]>>;

export interface Location {
  id: string;
  code: string;
  type: LocationType;
  name: string;
  lat: number;
  lng: number;
  address: Address;
  capabilities: Capability[];
  opening_hours: OpeningHours;
  timezone: string;
  daily_capacity: number;
  active: boolean;
  created_at: string;
  updated_at: string;
}
