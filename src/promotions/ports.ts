/**
 * What the promotions module needs from its neighbours, as small interfaces. The real services
 * (catalog, network, customers) satisfy them structurally; composeServices passes them in.
 */
import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import type { CustomerFacts } from './types.js';

export interface PromotionsCatalogPort {
  getVariants(
    skus: string[],
    opts?: { trx?: Executor },
  ): Promise<
    Map<
      string,
      { sku: string; product_id: string; category: string; size: string | null; tax_class: string; active: boolean }
    >
  >;
  prices(
    skus: string[],
    ctx: { currency: string; channelId?: string | undefined; at: Date },
    opts?: { trx?: Executor },
  ): Promise<Map<string, { list_amount: number; amount: number }>>;
  /** getVariants and prices in one read (optional: without it a quote makes the two). */
  variantsAndPrices?(
    skus: string[],
    ctx: { currency: string; channelId?: string | undefined; at: Date },
    opts?: { trx?: Executor },
  ): Promise<{
    variants: Awaited<ReturnType<PromotionsCatalogPort['getVariants']>>;
    prices: Awaited<ReturnType<PromotionsCatalogPort['prices']>>;
  }>;
  getProduct(idOrCode: string): Promise<{ id: string }>;
  listProducts(q: { limit?: number | undefined; category?: string | undefined }): Promise<{ items: unknown[] }>;
}

export interface PromotionsNetworkPort {
  // `trx`: a quote inside a transaction reads through it (docs/CONVENTIONS.md, Transactions).
  channel(
    idOrCode: string,
    opts?: { trx?: Executor | undefined },
  ): Promise<{ id: string; code: string; currency: string; country: string } | undefined>;
  location(
    idOrCode: string,
    opts?: { trx?: Executor | undefined },
  ): Promise<{ id: string; address: { country: string } } | undefined>;
}

/** Segment membership, consents and first-order status of a customer; undefined for an unknown id. */
export interface CustomerFactsPort {
  facts(
    customerId: string,
    opts: { trx?: Executor | undefined; at: Date },
  ): Promise<Omit<CustomerFacts, 'id'> | undefined>;
}

/** The VAT percent of a tax class in a country (the catalog's vatRate). */
export type VatRate = (taxClass: string, country: string) => number;

/**
 * Codes a customer may not use although the coupon itself is fine: their own referral code (the
 * referrals module answers from the identity graph, so a merged profile counts as the same person).
 */
export interface CouponGuardPort {
  ownCodes(codes: string[], customerId: string, opts: { trx?: Executor | undefined }): Promise<Set<string>>;
}

/** Everything the promotions service is built from. */
export interface PromotionsDeps {
  db: Db;
  clock: Clock;
  network: PromotionsNetworkPort;
  catalog: PromotionsCatalogPort;
  vatRate: VatRate;
  customers?: CustomerFactsPort | undefined;
  /** Set after construction by the composition root (the referrals module is built after promotions). */
  couponGuard?: CouponGuardPort | undefined;
}
