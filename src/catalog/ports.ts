/**
 * What the catalog needs from other modules, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in.
 */

/** What the catalog needs from the network module: channel ids and their currencies. */
export interface ChannelLookup {
  channel(idOrCode: string): Promise<{ id: string; currency: string } | undefined>;
}
