/**
 * Pure rules of personal marketing messages (issue 16): who of a segment gets a campaign, the
 * frequency cap, the cart reminder's conditions, and the signed unsubscribe token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface FrequencyCap {
  max: number;
  days: number;
}
/** At most 2 marketing messages per person in 7 days unless a campaign says otherwise. */
export const DEFAULT_CAP: FrequencyCap = { max: 2, days: 7 };

export type SkipReason = 'no marketing consent' | 'frequency cap' | 'no email address';

/** Who is sent a campaign: consent first (no answer means no), then the cap over recent marketing. */
export function decideRecipient(p: {
  consented: boolean;
  sentInWindow: number;
  cap: FrequencyCap;
}): { send: true } | { send: false; reason: SkipReason } {
  if (!p.consented) return { send: false, reason: 'no marketing consent' };
  if (p.sentInWindow >= p.cap.max) return { send: false, reason: 'frequency cap' };
  return { send: true };
}

export function capWindowStart(now: Date, cap: FrequencyCap): Date {
  return new Date(now.getTime() - cap.days * 86_400_000);
}

/** A cart reminder goes only while every line can still be bought in full on the cart's channel. */
export function allInStock(lines: { sku: string; quantity: number }[], available: Map<string, number>): boolean {
  return lines.length > 0 && lines.every((l) => (available.get(l.sku) ?? 0) >= l.quantity);
}

/**
 * The unsubscribe link's token: the person and the purpose, signed with the server secret (HMAC),
 * so the public route needs no login and nobody can unsubscribe someone else by guessing ids.
 * `previous` secrets (rotation) still verify.
 */
export function unsubscribeToken(secret: string, customerId: string, purpose = 'marketing_email'): string {
  const body = Buffer.from(JSON.stringify({ c: customerId, p: purpose })).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

export function readUnsubscribeToken(
  secrets: string[],
  token: string,
): { customer_id: string; purpose: string } | undefined {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return undefined;
  const ok = secrets.some((s) => {
    const a = Buffer.from(sign(s, body));
    const b = Buffer.from(mac);
    return a.length === b.length && timingSafeEqual(a, b);
  });
  if (!ok) return undefined;
  try {
    const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { c?: unknown; p?: unknown };
    return typeof v.c === 'string' && typeof v.p === 'string' ? { customer_id: v.c, purpose: v.p } : undefined;
  } catch {
    return undefined;
  }
}

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`unsubscribe:${body}`).digest('base64url');
}
