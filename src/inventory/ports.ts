/**
 * What the inventory needs from other modules, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in.
 */
import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/bus.js';
import type { Channel, Location, NetworkSnapshot } from '../network/index.js';

/** The catalog as the inventory needs it: a refusal naming unknown SKUs. */
export interface SkuDirectory {
  requireVariants(skus: string[], opts?: { trx?: Executor }): Promise<unknown>;
}

/** The network as the inventory needs it: channels' stock policies and which locations hold stock. */
export interface InventoryNetworkPort {
  // `trx`: a transactional path reads through its own transaction (docs/CONVENTIONS.md, Transactions).
  snapshot(opts?: { trx?: Executor | undefined }): Promise<NetworkSnapshot>;
  requireChannel(idOrCode: string, opts?: { trx?: Executor | undefined }): Promise<Channel>;
  requireLocation(idOrCode: string, opts?: { trx?: Executor | undefined }): Promise<Location>;
}

export interface InventoryDeps {
  db: Db;
  clock: Clock;
  network: InventoryNetworkPort;
  /** Without a catalog, a SKU is known when some location has a stock row for it. */
  catalog?: SkuDirectory | undefined;
  bus?: EventBus | undefined;
}
