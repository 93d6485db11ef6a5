export const PAYMENT_STATUSES = [
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'declined',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Payment {
  id: string;
  order_id: string;
  provider: string;
  status: PaymentStatus;
  amount: { amount: number; currency: string };
  captured_amount: number;
  refunded_amount: number;
  provider_ref: string | null;
  decline_reason: string | null;
  details: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** What the shopper sends at checkout: the provider's name and that provider's own fields. */
export interface PaymentRequest {
  provider: string;
  card_number?: string | undefined;
  token?: string | undefined;
}

/** The outcome of an authorisation, as a provider reports it. */
export type AuthoriseResult =
  { ok: true; provider_ref: string; details?: Record<string, unknown> } | { ok: false; reason: string; field?: string };

/**
 * A payment provider. Adding one is writing this interface and registering it with
 * `PaymentsService.register` at composition: no orders or checkout code changes.
 * Providers are called outside our database state rules: they only talk to the outside world.
 */
export interface PaymentProvider {
  readonly name: string;
  authorise(input: {
    amount: number;
    currency: string;
    reference: string;
    request: PaymentRequest;
  }): Promise<AuthoriseResult>;
  capture(providerRef: string, amount: number): Promise<{ ok: true } | { ok: false; reason: string }>;
  refund(providerRef: string, amount: number): Promise<{ ok: true } | { ok: false; reason: string }>;
  void(providerRef: string): Promise<void>;
}
