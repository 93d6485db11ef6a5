import type { Money } from './types.js';

/** What the marketplaces module needs from other modules, wired in src/services.ts. */

export interface MarketplaceChannel {
  id: string;
  code: string;
  type: string;
  currency: string;
  country: string;
  active: boolean;
}

export interface MarketplacesNetworkPort {
  channel(idOrCode: string): Promise<MarketplaceChannel | undefined>;
}

export interface MarketplacesInventoryPort {
  /** What the channel may promise per SKU: after its buffer and safety stock (the inventory module's ATP). */
  availability(channelCode: string, skus: readonly string[]): Promise<Map<string, number>>;
}

export interface MarketplacesCatalogPort {
  variants(skus: readonly string[]): Promise<
    Map<
      string,
      {
        sku: string;
        product_id: string;
        gtin: string | null;
        product_name: string;
        size: string | null;
        colour: string | null;
        active: boolean;
      }
    >
  >;
  /** The channel's price from the price book. */
  prices(skus: readonly string[], ctx: { currency: string; channelId: string; at: Date }): Promise<Map<string, Money>>;
}

export interface ImportAddress {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  postal_code: string;
  region?: string;
  country: string;
}

/**
 * The existing cart → checkout path, acting for the connector: the order reserves its stock atomically
 * with its creation (a short line throws insufficient_stock, nothing is written), idempotent on the cart.
 */
export interface MarketplacesCheckoutPort {
  openCart(channelId: string): Promise<string>;
  cartLines(cartId: string): Promise<{ sku: string; quantity: number }[]>;
  addItem(cartId: string, sku: string, quantity: number): Promise<void>;
  checkout(cartId: string, input: { address: ImportAddress; email: string | null }): Promise<{ order_id: string }>;
}

export interface MarketplacesOrdersPort {
  /** Cancels an Omnia order (stock released); a no-op for one already cancelled. */
  cancel(orderId: string, reason: string): Promise<void>;
  status(orderId: string): Promise<string>;
}

export interface MarketplacesPorts {
  network: MarketplacesNetworkPort;
  inventory: MarketplacesInventoryPort;
  catalog: MarketplacesCatalogPort;
  checkout: MarketplacesCheckoutPort;
  orders: MarketplacesOrdersPort;
}
