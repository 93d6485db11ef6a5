/**
 * What the customers module needs from others, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in (availability and catalog later, through setLookups).
 */
import type { Executor } from '../platform/db/schema.js';

export interface ChannelInfo {
  code: string;
  type: string;
}
/** A channel by id or code, from the network module. */
export type ChannelLookup = (idOrCode: string) => Promise<ChannelInfo | undefined>;

/** What recommendations need from the catalog module. */
export interface CatalogLookup {
  /** Called inside the event dispatcher's transaction: implementations must use `trx` (PGlite has one connection). */
  variants(
    skus: string[],
    trx: Executor,
  ): Promise<{ sku: string; product_id: string; size?: string | null; category?: string | null }[]>;
}

/** What recommendations need from the inventory module. */
export interface AvailabilityLookup {
  /** Units a channel may promise per SKU (a SKU missing from the answer counts as unavailable). */
  available(skus: string[], channel: string | undefined): Promise<Map<string, number>>;
}

export interface CustomersDeps {
  channel: ChannelLookup;
  issueCustomerToken(customerId: string, channelId: string): { token: string; expires_at: string };
  /** Refuses every token these customers hold, in the erasure's transaction (platform/auth sessions). */
  revokeSessions?(customerIds: string[], trx: Executor): Promise<void>;
  availability?: AvailabilityLookup | undefined;
  catalog?: CatalogLookup | undefined;
  /** What other modules hold about these profile rows, for the export (e.g. the message log, issue 16). */
  exportExtras?(rowIds: string[]): Promise<Record<string, unknown>>;
  /** Called after a commit that wrote outbox events (prompt delivery). */
  nudge?: () => void;
}

/** An order as the agent's 360 shows it (the orders module's Order fits structurally). */
export interface PersonOrder {
  id: string;
  status: string;
  channel_id: string;
  channel_type: string;
  location_id: string | null;
  placed_at: string;
  total: { amount: number; currency: string };
  delivery: { method: string; location_id?: string | null | undefined };
  lines: { line_id: string; sku: string; quantity: number; fulfilled_quantity: number; total: number }[];
}
/** A return as the 360 shows it (the returns module's Return fits structurally). */
export interface PersonReturn {
  id: string;
  order_id: string;
  status: string;
  channel_id: string;
  location_id: string;
  refund: { amount: number; currency: string };
  lines: { line_id: string; sku: string; quantity: number; reason: string }[];
  created_at: string;
}
/** Orders and returns of a person's profile rows, from the orders and returns modules. */
export interface PersonActivityLookup {
  orders(customerIds: string[], limit: number): Promise<PersonOrder[]>;
  returns(customerIds: string[], limit: number): Promise<PersonReturn[]>;
}
