/**
 * Unguessable coupon codes. 31 symbols without the ones people confuse when reading a code aloud
 * or off a receipt (0/O, 1/I/L), drawn from the OS CSPRNG with rejection sampling so every symbol
 * is equally likely. 12 symbols ≈ 59 bits: guessing one live code out of a million takes ~2^39 tries.
 */
import { randomBytes } from 'node:crypto';

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 12;
const LIMIT = 256 - (256 % CODE_ALPHABET.length); // 248: bytes at or above it would bias the draw

export function randomCode(prefix = '', length = CODE_LENGTH): string {
  let out = prefix;
  while (out.length < prefix.length + length) {
    for (const b of randomBytes(length * 2)) {
      if (b >= LIMIT) continue;
      out += CODE_ALPHABET[b % CODE_ALPHABET.length];
      if (out.length === prefix.length + length) break;
    }
  }
  return out;
}
