/**
 * Referral rules, pure (no I/O, clock or randomness): the self-referral judgement over the identity
 * graph, the normal forms that make two addresses or two cards "the same", and the decisions the
 * fulfillment and returns events lead to (credit, void, reverse).
 */
import type { ReferralStatus, RefusalReason } from './types.js';

/** The same normal form as the promotions module's coupon codes (the referral code is one of them). */
export function normaliseReferralCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}
export const REFERRAL_CODE_PATTERN = /^REF[0-9A-Z]{8}$/;

/** Crockford base32 without I, L, O, U (read aloud or typed from a phone without 0/O, 1/I mix-ups). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A code from 8 random bytes (40 bits: a coupon code, not a secret; its use is what is checked). */
export function referralCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new Error('a referral code needs 8 random bytes');
  return `REF${Array.from(bytes.slice(0, 8), (b) => ALPHABET[b & 31]).join('')}`;
}

/** The share link: the retailer's page with the code (and the attribution the channel mix counts). */
export function shareLink(linkBase: string, code: string): string {
  const url = new URL(linkBase);
  url.searchParams.set('referral', code);
  url.searchParams.set('utm_source', 'referral');
  url.searchParams.set('utm_medium', 'share');
  return url.toString();
}

export interface AddressLike {
  line1: string;
  line2?: string | null | undefined;
  city: string;
  postal_code: string;
  country: string;
}

/**
 * One form for two spellings of one address: accents folded, case and punctuation dropped, words
 * sorted (so "Calle Luna 3" and "3, calle luna" match). The recipient's name is left out on purpose:
 * a self-referral sends the friend's name to the referrer's door.
 */
export function normaliseAddress(a: AddressLike): string {
  const fold = (s: string | null | undefined) =>
    (s ?? '')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .filter(Boolean);
  const street = [...fold(a.line1), ...fold(a.line2)].sort().join(' ');
  return [a.country.trim().toUpperCase(), fold(a.postal_code).join(''), fold(a.city).join(' '), street].join('|');
}

/**
 * What identifies the card (or account) an order was paid with: the provider's own fingerprint when
 * it gives one (Stripe's card fingerprint), else provider, brand and last four digits. The fallback
 * can make two people's cards look alike (1 in 10,000 per brand); the refusal records it as such.
 */
export function paymentFingerprint(
  payment: { provider: string; details: Record<string, unknown> } | null | undefined,
): string | null {
  if (!payment) return null;
  const d = payment.details ?? {};
  if (typeof d.fingerprint === 'string' && d.fingerprint) return `${payment.provider}:fp:${d.fingerprint}`;
  if (typeof d.last4 === 'string' && d.last4)
    return `${payment.provider}:${typeof d.brand === 'string' ? d.brand : 'card'}:${d.last4}`;
  return null;
}

/** What the identity graph and the recorded traits say about a friend's order and the referrer. */
export interface SelfReferralFacts {
  /** Every profile row of the referrer (the root and the rows merged into it). */
  referrerIds: string[];
  /** Every profile row of the friend; empty for a guest. */
  friendIds: string[];
  referrerDevices: string[];
  friendDevices: string[];
  /** The order's delivery address matched one the referrer's orders were sent to. */
  addressSeen: boolean;
  /** The order's payment fingerprint matched one the referrer paid with. */
  paymentSeen: boolean;
}

export type SelfReferralVerdict = { ok: true } | { ok: false; reason: RefusalReason; detail: string };

/** Refuses a referral of oneself; the strongest evidence is named (person, then device, address, card). */
export function judgeSelfReferral(f: SelfReferralFacts): SelfReferralVerdict {
  const referrer = new Set(f.referrerIds);
  if (f.friendIds.some((id) => referrer.has(id)))
    return {
      ok: false,
      reason: 'same_person',
      detail: 'the friend is the referrer (one person in the identity graph)',
    };
  const devices = new Set(f.referrerDevices);
  const shared = f.friendDevices.filter((d) => devices.has(d));
  if (shared.length)
    return { ok: false, reason: 'same_device', detail: `the friend and the referrer share ${shared.length} device(s)` };
  if (f.addressSeen)
    return { ok: false, reason: 'same_address', detail: 'the order goes to an address the referrer’s orders went to' };
  if (f.paymentSeen)
    return { ok: false, reason: 'same_payment', detail: 'the order was paid with a card the referrer paid with' };
  return { ok: true };
}

/** What a delivery or collection of the friend's order does to its referral. */
export type CreditDecision = { do: 'credit' } | { do: 'void'; reason: 'returned' } | { do: 'nothing' };

export function onDelivered(r: {
  status: ReferralStatus;
  order_units: number;
  returned_units: number;
}): CreditDecision {
  if (r.status !== 'pending') return { do: 'nothing' };
  // A return seen before the delivery event (events of two modules arrive in any order) wins.
  if (fullyReturned(r)) return { do: 'void', reason: 'returned' };
  return { do: 'credit' };
}

/**
 * The units a return takes away from the friend's order: those returned less those exchanged (a
 * size swapped is still a sale the referral brought).
 */
export function unitsTakenBack(r: { lines: { quantity: number }[]; exchange: { quantity: number }[] }): number {
  const back = r.lines.reduce((n, l) => n + l.quantity, 0);
  const swapped = r.exchange.reduce((n, l) => n + l.quantity, 0);
  return Math.max(0, back - swapped);
}

/** The order is returned when every unit that was bought came back; a partial return keeps the reward. */
export function fullyReturned(r: { order_units: number; returned_units: number }): boolean {
  return r.order_units > 0 && r.returned_units >= r.order_units;
}

export type ReturnDecision =
  { do: 'reverse'; debit: number; unrecovered: number } | { do: 'void'; reason: 'returned' } | { do: 'nothing' };

/**
 * After a return of the friend's order: a credited reward is taken back (what the referrer has not
 * spent of it; the rest is recorded as unrecovered, never a negative balance), a pending one voided.
 */
export function onReturned(
  r: { status: ReferralStatus; order_units: number; returned_units: number; reward: number },
  balance: number,
): ReturnDecision {
  if (!fullyReturned(r)) return { do: 'nothing' };
  if (r.status === 'pending') return { do: 'void', reason: 'returned' };
  if (r.status !== 'credited') return { do: 'nothing' };
  const debit = Math.max(0, Math.min(r.reward, balance));
  return { do: 'reverse', debit, unrecovered: r.reward - debit };
}

/** The programme's promotion must be the kind the engine only grants to a first order with a code. */
export function promotionProblems(p: {
  coupon_required: boolean;
  conditions: { first_order?: boolean | undefined };
  status: string;
}): string[] {
  const out: string[] = [];
  if (!p.coupon_required) out.push('the promotion must require a coupon (the referral code is its coupon)');
  if (p.conditions.first_order !== true) out.push('the promotion must be limited to a first order');
  if (p.status !== 'active') out.push('the promotion must be active');
  return out;
}
