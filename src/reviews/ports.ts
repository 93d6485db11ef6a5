/**
 * What reviews needs from other modules, as small interfaces; composeReviews (compose.ts) wires the
 * real services into them.
 */
import type { Executor } from '../platform/db/schema.js';
import type { OrderFacts } from './rules.js';

/** The identity graph: one person, many profile rows (a till's, the web account's, a marketplace's). */
export interface ReviewsCustomersPort {
  /** The surviving id of a (possibly merged) customer id; undefined when unknown or erased. */
  resolve(id: string): Promise<string | undefined>;
  /** Every profile row of the person (orders keep the row they were placed with). */
  memberIds(id: string): Promise<string[]>;
  /** The person's names, for the name beside a review. */
  names(id: string): Promise<{ first_name: string | null; last_name: string | null }>;
  /** Address, first name and language, for the review request. */
  contact(id: string): Promise<{ email: string | null; first_name: string | null; locale: string | undefined }>;
}

/** Orders, in every channel. */
export interface ReviewsOrdersPort {
  /** Every order of these profile rows (any channel), with their lines. */
  ordersOf(customerIds: string[]): Promise<OrderFacts[]>;
  /** One order, for the review request after delivery or pickup. */
  order(id: string): Promise<(OrderFacts & { customer_id: string | null }) | undefined>;
}

/** The catalog: the product reviewed, its variants' sizes, product names for the mail. */
export interface ReviewsCatalogPort {
  product(
    idOrCode: string,
    opts?: { trx?: Executor },
  ): Promise<{ id: string; name: string; variants: { sku: string; size: string | null }[] } | undefined>;
  sizes(skus: string[]): Promise<Map<string, string | null>>;
  productNames(skus: string[]): Promise<Map<string, string>>;
  /** The product page cache holds the summary: a moderation decision clears it. */
  invalidate(): void;
}

/** The notifications outbox: the review request, a marketing message (consent and the log's key apply). */
export interface ReviewsMessagesPort {
  sendReviewRequest(m: {
    key: string;
    customerId: string;
    email: string | null;
    orderId: string;
    data: { locale?: string | undefined; first_name?: string | undefined; items: { name: string; quantity: number }[] };
  }): Promise<{ status: string; reason?: string | undefined }>;
}

export interface ReviewsDeps {
  customers: ReviewsCustomersPort;
  orders: ReviewsOrdersPort;
  catalog: ReviewsCatalogPort;
  messages: ReviewsMessagesPort;
  nudge?: () => void;
}
