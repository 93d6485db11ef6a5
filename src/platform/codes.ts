import { createHash, randomBytes } from 'node:crypto';

/** Crockford base32 without I, L, O, U: codes read aloud or typed from a receipt survive 0/O and 1/I mix-ups. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A human-typable bearer code (gift receipts, gift cards, return codes): `PREFIX-XXXX-XXXX-…`, 5 bits of
 * fresh randomness per character (4 groups = 80 bits: unguessable, so a plain hash stores it).
 */
export function readableCode(prefix: string, groups = 4, bytes: Uint8Array = randomBytes(groups * 4)): string {
  const chars = Array.from(bytes.slice(0, groups * 4), (b) => ALPHABET[b & 31]);
  const parts: string[] = [];
  for (let i = 0; i < groups; i++) parts.push(chars.slice(i * 4, i * 4 + 4).join(''));
  return `${prefix}-${parts.join('-')}`;
}

/** A typed code as stored: upper case, no spaces, O→0 and I/L→1 (how Crockford reads them). */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** What is kept of a high-entropy bearer code: its SHA-256 (no salt or slow hash needed at 80 bits). */
export function hashCode(code: string): string {
  return createHash('sha256').update(normaliseCode(code)).digest('hex');
}
