/**
 * What notifications needs from other modules, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in.
 */
import type { Executor } from '../platform/db/schema.js';
import type { Order, OrderWithoutPayment } from '../orders/index.js';

/** What notifications needs from customers: consent for marketing messages, and the address. */
export interface ConsentPort {
  hasConsent(customerId: string, purpose: string, opts?: { trx?: Executor }): Promise<boolean>;
  get?(
    id: string,
    opts?: { trx?: Executor },
  ): Promise<{ email?: string | null | undefined; first_name?: string | null | undefined }>;
  /** The language messages to this person are written in (issue 16). */
  locale?(customerId: string, opts?: { trx?: Executor }): Promise<string | undefined>;
}

/** What notifications need from orders: the order an event names (service, in the dispatcher's `trx`; routes). */
export interface NotificationsOrdersPort {
  get(id: string, opts?: { trx?: Executor | undefined }): Promise<Order>;
  /** The order without its payment (a message never shows it): one statement, for the event consumer. */
  getWithoutPayment(id: string, opts?: { trx?: Executor | undefined }): Promise<OrderWithoutPayment>;
}

/** What notifications need from the catalog: product names by SKU (the gift notice names what is inside). */
export interface NotificationsCatalogPort {
  productNames(skus: string[], opts?: { trx?: Executor | undefined }): Promise<Map<string, string>>;
}
