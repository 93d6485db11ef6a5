import type { Generated } from 'kysely';

export interface ChannelsTable {
  id: string;
  code: string;
  type: string;
  name: string;
  currency: string;
  country: string;
  stock_locations: string[] | null;
  safety_stock: number;
  buffer_pct: number;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LocationsTable {
  id: string;
  code: string;
  type: string;
  name: string;
  lat: number;
  lng: number;
  address: unknown;
  capabilities: string[];
  opening_hours: unknown;
  timezone: string;
  daily_capacity: number;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../platform/db/schema.js' {
  interface DB {
    channels: ChannelsTable;
    locations: LocationsTable;
  }
}
