/**
 * Stripe's webhook (issue 18 point 4): public — Stripe holds no Omnia credential; the Stripe-Signature
 * over the raw body is its authentication (a missing or bad one is a 400, tested in test/payments).
 * Without Stripe configured (as in the matrix) it answers 404 to everyone.
 */
import type { Row } from './model.js';

export const rows: Record<string, Row> = {
  'POST /v1/payments/webhooks/stripe': { open: true, allow: [] },
};
