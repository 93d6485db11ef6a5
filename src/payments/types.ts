export const PAYMENT_STATUSES = [
  'pending',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'declined',
  'failed',
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
 * The provider has not decided and is waiting on the shopper (3-D Secure: send them to the card
 * issuer's page at `redirect_url`) or on itself. The payment stays pending; the PSP's webhook or the
 * reconciliation settles it.
 */
export interface AuthorisePending {
  pending: true;
  /** Absent, so code that reads `result.ok` treats a pending answer as not (yet) authorised. */
  ok?: never;
  provider_ref: string;
  next_action:
    | { type: 'redirect_to_url'; redirect_url: string }
    /** Payment by link: the link the shopper is sent (by e-mail) and when it stops working. */
    | { type: 'payment_link'; redirect_url: string; expires_at: string }
    | null;
}
export const isPending = (r: AuthoriseResult | AuthorisePending | null): r is AuthorisePending =>
  r !== null && 'pending' in r;

/** What every provider call carries: our operation's id as the idempotency key, and a deadline. */
export interface ProviderCall {
  idempotency_key: string;
  signal?: AbortSignal | undefined;
}

/** A capture, void or refund asked for in a transaction and run against the provider after it commits. */
export interface PaymentOperation {
  id: string;
  payment_id: string;
  order_id: string;
  kind: 'capture' | 'void' | 'refund';
  amount: number;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string | null;
  return_id: string | null;
}

/**
 * A payment provider. Adding one is writing this interface and registering it with
 * `PaymentsService.register` at composition: no orders or checkout code changes.
 * Providers are called outside our database state rules: they only talk to the outside world.
 */
export interface PaymentProvider {
  readonly name: string;
  authorise(
    input: {
      amount: number;
      currency: string;
      reference: string;
      request: PaymentRequest;
    },
    call: ProviderCall,
  ): Promise<AuthoriseResult | AuthorisePending>;
  /**
   * The outcome of an earlier `authorise` by its idempotency key (a crash lost our record of it);
   * null when the provider never saw that key; pending while the shopper or the PSP has not decided.
   */
  retrieve(idempotencyKey: string): Promise<AuthoriseResult | AuthorisePending | null>;
  /** Refuses a request on its face (a card number failing Luhn) before any order is written. */
  validate?(request: PaymentRequest): { field: string; reason: string } | null;
  capture(
    providerRef: string,
    amount: number,
    call: ProviderCall,
  ): Promise<{ ok: true } | { ok: false; reason: string }>;
  refund(
    providerRef: string,
    amount: number,
    call: ProviderCall,
  ): Promise<{ ok: true } | { ok: false; reason: string }>;
  void(providerRef: string, call: ProviderCall): Promise<void>;
}
