import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The process's secrets: the current one signs and seals, every known one verifies and opens, so
 * rotating `OMNIA_SECRET` (old value moved to `OMNIA_SECRET_PREVIOUS`) logs nobody out: tokens signed
 * with the old secret stay valid until they expire, new ones are signed with the new secret.
 * Each secret is named by a key id (`kid`) derived from it, carried in every token and sealed value,
 * so verification picks the one secret to try instead of trying them all.
 */
export interface KeyEntry {
  kid: string;
  secret: string;
}

export class KeyRing {
  readonly current: KeyEntry;
  private readonly byKid = new Map<string, KeyEntry>();
  private readonly sealKeys = new Map<string, Buffer>();

  constructor(current: string, previous: readonly string[] = []) {
    this.current = { kid: keyId(current), secret: current };
    for (const secret of [current, ...previous]) {
      const entry = { kid: keyId(secret), secret };
      if (!this.byKid.has(entry.kid)) this.byKid.set(entry.kid, entry);
    }
  }

  /** The secret named by `kid`, if this process knows it. */
  get(kid: string): KeyEntry | undefined {
    return this.byKid.get(kid);
  }

  /**
   * AES-256-GCM with a key derived (HKDF) from the current secret, for values we must keep but must
   * not keep readable (idempotency answers that carry a key shown once, a token, a cart id).
   * Format: `enc1.<kid>.<iv>.<ciphertext+tag>`, base64url parts.
   */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey(this.current), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `enc1.${this.current.kid}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** The plain text, or undefined when the value is not sealed by a secret this process knows (or was altered). */
  open(sealed: string): string | undefined {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== 'enc1') return undefined;
    const entry = this.byKid.get(parts[1]!);
    if (!entry) return undefined;
    const iv = Buffer.from(parts[2]!, 'base64url');
    const body = Buffer.from(parts[3]!, 'base64url');
    if (iv.length !== 12 || body.length < 16) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey(entry), iv);
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  private sealKey(entry: KeyEntry): Buffer {
    let key = this.sealKeys.get(entry.kid);
    if (!key) {
      // A key of its own for sealing, so a sealed value can never be confused with a token signature.
      key = Buffer.from(hkdfSync('sha256', entry.secret, 'omnia', 'omnia idempotency seal v1', 32));
      this.sealKeys.set(entry.kid, key);
    }
    return key;
  }
}

/** 8 base64url chars of the secret's SHA-256: names the secret without revealing it. */
export function keyId(secret: string): string {
  return createHash('sha256').update(`omnia kid:${secret}`).digest('base64url').slice(0, 8);
}
