import type { Generated } from 'kysely';

/** A location's fixed index in the packed arrays of atp_summary (3200). */
export interface AtpLocationSlotsTable {
  location_id: string;
  slot: Generated<number>;
}

/** One row per SKU: per location slot, on_hand − reserved and the safety stock (3200). */
export interface AtpSummaryTable {
  sku: string;
  free: (number | null)[];
  safety: (number | null)[];
  updated_at: Generated<Date>;
}

declare module '../platform/db/schema.js' {
  interface DB {
    atp_location_slots: AtpLocationSlotsTable;
    atp_summary: AtpSummaryTable;
  }
}
