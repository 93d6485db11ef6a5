/**
 * What campaigns need from other modules, as small interfaces; composeServices passes the real
 * services in (customers, promotions, notifications, carts, inventory).
 */
import type { Executor } from '../platform/db/schema.js';

export interface CampaignCustomersPort {
  /** Every member of a saved segment now (all pages); throws not_found for an unknown segment. */
  segmentMembers(segmentId: string): Promise<string[]>;
  hasConsent(customerId: string, purpose: string): Promise<boolean>;
  /** Where and how to write to a person: their address, first name and message locale. */
  contact(
    customerId: string,
  ): Promise<{ email: string | null; phone: string | null; first_name: string | null; locale: string }>;
  /** Every profile row of the person (the cap counts messages to any of them). */
  memberIds(customerId: string): Promise<string[]>;
  withdrawConsent(customerId: string, purpose: string, source: string): Promise<void>;
}

export interface CampaignPromotionsPort {
  /** Throws not_found for an unknown promotion. */
  getPromotion(id: string): Promise<{ id: string; name: string }>;
  createCoupons(
    promotionId: string,
    input: { kind: 'single_use'; count: number; prefix?: string | undefined },
    opts: { trx: Executor },
  ): Promise<{ batch_id: string | null; codes: string[] }>;
}

export interface OutgoingMessage {
  eventId: string;
  template: 'campaign_coupon' | 'cart_reminder';
  /** email (default), or sms / push through their (log-only) providers. */
  channel?: 'email' | 'sms' | 'push' | undefined;
  customerId: string;
  email: string | null;
  data: Record<string, unknown>;
  /** Logged as skipped for this reason instead of sent (e.g. the frequency cap). */
  skipReason?: string | undefined;
}
export interface CampaignMessagesPort {
  /** Sends (or logs the skip) once per eventId; never inside a transaction. */
  send(m: OutgoingMessage): Promise<{ status: 'sent' | 'skipped' | 'duplicate'; reason?: string | undefined }>;
  marketingSentSince(customerIds: string[], since: Date): Promise<number>;
}

export interface CampaignCartsPort {
  idleCarts(
    idleSince: Date,
    limit: number,
  ): Promise<{ id: string; customer_id: string; channel_id: string; lines: { sku: string; quantity: number }[] }[]>;
}

export interface CampaignStockPort {
  /** Units a channel can sell per SKU (a missing SKU counts as none). */
  available(skus: string[], channelId: string): Promise<Map<string, number>>;
}

export interface CampaignsDeps {
  customers: CampaignCustomersPort;
  promotions: CampaignPromotionsPort;
  messages: CampaignMessagesPort;
  carts: CampaignCartsPort;
  stock: CampaignStockPort;
  /** Signs and checks unsubscribe tokens: the current secret first, then rotated-out ones. */
  secrets: () => string[];
  /** Prefix of the unsubscribe link in mails, e.g. `https://api.shop.example` (empty: a relative link). */
  publicUrl: string;
  /** Hours a logged-in shopper's cart must have stood still before its one reminder. */
  cartReminderAfterHours: number;
  nudge?: () => void;
}
