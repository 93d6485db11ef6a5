import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Connector credentials at rest: AES-256-GCM under a 32-byte key from the environment
 * (`OMNIA_SECRETS_KEY`, 64 hex chars or base64 of 32 bytes). The database holds only
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the key never enters it, so a dump or a backup alone
 * reveals nothing. GCM authenticates: a tampered value or a wrong key fails to open instead of
 * yielding garbage. The connection id is bound as additional data, so a ciphertext copied onto
 * another connection's row does not open there.
 *
 * Without the key no connector starts (the service refuses with a clear message) — never a fallback to
 * storing or using credentials in clear.
 */

export class SecretsKeyMissing extends Error {
  constructor() {
    super(
      'OMNIA_SECRETS_KEY is not set: marketplace credentials cannot be stored or read (see docs/connectors/marketplaces.md)',
    );
    this.name = 'SecretsKeyMissing';
  }
}

export class SecretsUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsUnreadable';
  }
}

/** Parses the key from the environment's text; throws on a key that is not 32 bytes. */
export function parseSecretsKey(raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('OMNIA_SECRETS_KEY must be 32 bytes: 64 hex characters or base64 of 32 bytes');
  return key;
}

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromEnv(raw: string | undefined): SecretBox | null {
    return raw ? new SecretBox(parseSecretsKey(raw)) : null;
  }

  seal(plain: Record<string, string>, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', iv, tag, body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string, boundTo: string): Record<string, string> {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined)
      throw new SecretsUnreadable('credentials: unknown format');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(plain) as Record<string, string>;
    } catch {
      throw new SecretsUnreadable('credentials cannot be opened: wrong OMNIA_SECRETS_KEY or tampered value');
    }
  }
}
