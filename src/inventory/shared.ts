/** What the inventory's parts share: SKU checks, event building, row mapping (their dependencies are in ports.ts). */
import type { Executor } from '../platform/db/schema.js';
import type { DomainEvent } from '../platform/events/outbox.js';
import { problems } from '../platform/http/problems.js';
import type { Channel, NetworkSnapshot } from '../network/index.js';
import { atp, locationAvailable, policyAllows, type PolicyView } from './rules.js';
import * as store from './store.js';
import type { LevelRow } from './store.js';
import type { StockLevel } from './types.js';
import type { InventoryDeps } from './ports.js';

export const ID = { reservation: 'res', transfer: 'trf' } as const;

export function policyOf(c: Channel): PolicyView {
  return {
    locations: c.stock_policy.locations,
    safety_stock: c.stock_policy.safety_stock,
    buffer_pct: c.stock_policy.buffer_pct,
  };
}

/** Active locations that hold stock (pickup points hand over parcels but hold no stock of their own). */
export function stockHolding(snap: NetworkSnapshot): string[] {
  return snap.locations.filter((l) => l.active && l.type !== 'pickup_point').map((l) => l.id);
}

export function toLevel(r: LevelRow): StockLevel {
  return {
    location_id: r.location_id,
    on_hand: r.on_hand,
    reserved: r.reserved,
    safety_stock: r.safety_stock,
    in_transit: r.in_transit,
    available: locationAvailable(r),
    min_qty: r.min_qty,
    max_qty: r.max_qty,
  };
}

/** `inventory.changed` for each row, with what every channel fed by that location may now promise there. */
export function changedEvents(rows: readonly LevelRow[], snap: NetworkSnapshot): DomainEvent[] {
  return rows.map((r) => {
    const availability: Record<string, number> = {};
    for (const c of snap.channels)
      if (c.active && policyAllows(c.stock_policy, r.location_id)) availability[c.code] = atp(r, c.stock_policy);
    return {
      type: 'inventory.changed',
      aggregateId: r.sku,
      payload: {
        sku: r.sku,
        location_id: r.location_id,
        on_hand: r.on_hand,
        reserved: r.reserved,
        in_transit: r.in_transit,
        available: locationAvailable(r),
        availability,
      },
    };
  });
}

/**
 * Throws not_found naming unknown SKUs. Through the catalog when one is wired; otherwise a SKU is
 * known when some location stocks it. Known SKUs are remembered (SKUs are never deleted, only
 * archived), so the hot reservation path does not ask again.
 */
export class SkuCheck {
  private readonly known = new Set<string>();
  constructor(private readonly deps: InventoryDeps) {}

  async require(skus: readonly string[], trx?: Executor): Promise<void> {
    const unknown = [...new Set(skus)].filter((s) => !this.known.has(s));
    if (unknown.length === 0) return;
    if (this.deps.catalog) {
      await this.deps.catalog.requireVariants(unknown, trx ? { trx } : {});
    } else {
      const found = await store.knownSkus(trx ?? this.deps.db, unknown);
      const missing = unknown.filter((s) => !found.has(s));
      if (missing.length) {
        throw problems.notFound('sku', missing.join(', '));
      }
    }
    if (this.known.size > 1_000_000) this.known.clear();
    for (const s of unknown) this.known.add(s);
  }

  /** For receipts: a SKU new to every location is accepted only when the catalog knows it. */
  async requireForReceipt(sku: string, trx?: Executor): Promise<void> {
    if (this.known.has(sku)) return;
    if (this.deps.catalog) return this.require([sku], trx);
    // No catalog wired: a receipt is how a SKU first enters the inventory.
  }
}
