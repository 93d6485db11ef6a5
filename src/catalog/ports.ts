/**
 * What the catalog needs from other modules, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in.
 */

/** What the catalog needs from the network module: channel ids and their currencies. */
export interface ChannelLookup {
  channel(idOrCode: string): Promise<{ id: string; currency: string } | undefined>;
}

/**
 * Issue 19: a product's rating summary (the reviews module's), included in the product read. A port
 * wired in composeServices, so the catalog never imports reviews (reviews builds on the catalog).
 */
export interface ProductRatingsPort {
  summary(productId: string): Promise<object>;
}
