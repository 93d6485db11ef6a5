/**
 * The closed set of problem types (RFC 9457). Services throw `AppError` with one of these; the HTTP
 * edge maps type → status here and nowhere else. Add a type here when a new kind of failure needs a
 * stable name that clients can branch on.
 */
export const PROBLEM_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  insufficient_stock: 409,
  insufficient_credit: 409,
  already_released: 409,
  location_not_allowed: 422,
  invalid_transition: 409,
  duplicate: 409,
  idempotency_in_progress: 409,
  idempotency_answer_unavailable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  unprocessable: 422,
  coupon_invalid: 422,
  payment_declined: 402,
  payment_action_required: 402,
  payment_provider_not_allowed: 422,
  wrong_pickup_code: 422,
  invalid_code: 422,
  wrong_item: 422,
  pickup_code_locked: 423,
  return_window_closed: 422,
  not_returnable: 422,
  already_returned: 409,
  refund_exceeds_paid: 422,
  merge_blocked: 409,
  unknown_event_type: 400,
  cart_changed: 409,
  handoff_expired: 410,
  run_expired: 410,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ProblemType = keyof typeof PROBLEM_STATUS;

export const PROBLEM_TITLES: Record<ProblemType, string> = {
  validation_failed: 'The request is not valid',
  malformed_json: 'The request body is not valid JSON',
  unauthorized: 'Authentication is required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict with the current state',
  insufficient_stock: 'Not enough stock',
  insufficient_credit: 'The store credit or gift card holds less than the amount',
  already_released: 'Already released',
  location_not_allowed: 'The channel does not sell stock from that location',
  invalid_transition: 'That transition is not allowed from the current state',
  duplicate: 'Already exists',
  idempotency_in_progress: 'A request with this Idempotency-Key is still in progress',
  idempotency_answer_unavailable: 'The first answer to this Idempotency-Key can no longer be read; use a new key',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'Unsupported content type',
  idempotency_key_reused: 'This Idempotency-Key was used with a different request',
  unprocessable: 'The request cannot be processed',
  coupon_invalid: 'The coupon cannot be used',
  payment_declined: 'The payment was declined',
  payment_provider_not_allowed: 'That payment provider is not allowed for this channel and delivery',
  wrong_pickup_code: 'The pickup code does not match',
  invalid_code: 'The code is wrong, expired or used up',
  wrong_item: 'That item is not part of this task',
  pickup_code_locked: 'Handover is locked after too many wrong pickup codes; a manager must unlock it',
  return_window_closed: 'The return window has closed',
  not_returnable: 'The item cannot be returned',
  already_returned: 'Those units were already returned',
  refund_exceeds_paid: 'The refund is larger than what was paid',
  merge_blocked: 'These profiles may not be merged',
  unknown_event_type: 'Unknown event type',
  cart_changed: 'The cart changed since it was priced; review the new prices',
  handoff_expired: 'The hand-off code has expired',
  run_expired: "The run's results and proposals were dropped; newer runs replace it",
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
  payment_action_required: 'The shopper must confirm the payment with their bank',
};

/** Problem `type` URIs are stable: `https://omnia.dev/problems/<type>`; clients may also read `code`. */
export const PROBLEM_BASE = 'https://omnia.dev/problems/';

export interface FieldError {
  /** JSON pointer or dotted path of the offending field, e.g. `/variants/0/gtin` or `line 12: price`. */
  field: string;
  message: string;
}

/**
 * A client problem (4xx) is an answer, not a fault: it is made without stack frames. Capturing them
 * was most of a refused request's server CPU (7 µs of a 401's ~37 µs, bench/_http-path.ts; every
 * sold-out reservation is one), and nothing reads them: the error handler logs a 4xx as its type and
 * detail. A 5xx (`internal`, `unavailable`) keeps its stack for the log.
 */
export class AppError extends Error {
  constructor(
    public readonly type: ProblemType,
    public readonly detail: string,
    /** Extra members of the problem document, e.g. `errors`, `lines`. */
    public readonly extras: Record<string, unknown> = {},
  ) {
    const frames = Error.stackTraceLimit;
    if (PROBLEM_STATUS[type] < 500) Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = frames;
    this.name = 'AppError';
  }
  get status(): number {
    return PROBLEM_STATUS[this.type];
  }
}

/** Shorthands for the common problems. */
export const problems = {
  notFound: (what: string, id: string) =>
    new AppError('not_found', `${what} ${id} does not exist`, { resource: what, id }),
  validation: (detail: string, errors: FieldError[] = []) => new AppError('validation_failed', detail, { errors }),
  field: (field: string, message: string) =>
    new AppError('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] }),
  duplicate: (detail: string, errors: FieldError[] = []) => new AppError('duplicate', detail, { errors }),
  conflict: (detail: string) => new AppError('conflict', detail),
  forbidden: (detail: string) => new AppError('forbidden', detail),
  /** The one `insufficient_stock` problem (409): the short lines, and by default a detail naming each. */
  insufficientStock: (lines: readonly StockShortfall[], detail?: string) =>
    new AppError(
      'insufficient_stock',
      detail ??
        `not enough stock for ${lines.map((l) => `${l.sku} (asked ${l.requested}, ${l.available ?? 0} available)`).join(', ')}`,
      { lines },
    ),
};

/** A line that stock cannot cover: what was asked, what is free (when known), and where (when one place). */
export interface StockShortfall {
  sku: string;
  requested: number;
  available?: number;
  location_id?: string;
}

export interface ProblemDocument {
  type: string;
  code: ProblemType;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extra: string]: unknown;
}

export function toProblem(err: AppError, instance?: string): ProblemDocument {
  return {
    type: PROBLEM_BASE + err.type,
    code: err.type,
    title: PROBLEM_TITLES[err.type],
    status: err.status,
    detail: err.detail,
    ...(instance ? { instance } : {}),
    ...err.extras,
  };
}

/** PostgreSQL unique violation → duplicate problem, in one place rather than string matching at each edge. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
