/**
 * What notifications needs from other modules, as small interfaces. The real services satisfy them
 * structurally; composeServices passes them in.
 */
import type { Executor } from '../platform/db/schema.js';

/** What notifications needs from customers: consent for marketing messages, and the address. */
export interface ConsentPort {
  hasConsent(customerId: string, purpose: string, opts?: { trx?: Executor }): Promise<boolean>;
  get?(id: string): Promise<{ email?: string | null | undefined }>;
}
