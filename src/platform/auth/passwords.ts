import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * Password hashing (argon2id) and the one way logins check a password.
 *
 * A login for an unknown (or disabled, or erased) account verifies the password against a fixed dummy
 * hash made with the same parameters, so it costs what a real check costs and its timing does not tell
 * which emails have accounts. That work is bounded by the login rate limits (per account and per IP,
 * see rate-limit.ts), which run before the handler: nobody can make the server run argon2 without
 * limit, known account or not.
 */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  // Made once per process from a random password nobody knows, with the parameters real hashes use.
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}

/** True only when there is a hash and the password matches it; one argon2 verification either way. */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    await argon2.verify(await dummyHash(), password);
    return false;
  }
  return argon2.verify(hash, password);
}
