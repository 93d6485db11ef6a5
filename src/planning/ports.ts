/** What planning needs from other modules. */
import type { Executor } from '../platform/db/schema.js';

export interface PlanningLocation {
  id: string;
  code: string;
  type: string;
  lat: number;
  lng: number;
  /** address.region: stores of a region back each other up (pooling by region). */
  address?: { region?: string | undefined };
}

export interface PlanningNetworkPort {
  listLocations(filter: { type?: 'store' | 'warehouse' }): Promise<PlanningLocation[]>;
  requireLocation(idOrCode: string): Promise<PlanningLocation>;
}

export interface PlanningInventoryPort {
  /** Dispatches stock (in transit until received); refuses with insufficient_stock. */
  createTransfer(
    input: {
      from_location_id: string;
      to_location_id: string;
      lines: { sku: string; quantity: number }[];
      reference?: string;
      actor?: string;
    },
    opts: { trx?: Executor },
  ): Promise<{ id: string }>;
  /** Writes a stock level's min_qty/max_qty. */
  setLevelPolicy(sku: string, locationId: string, patch: { min_qty: number; max_qty: number }): Promise<unknown>;
}
