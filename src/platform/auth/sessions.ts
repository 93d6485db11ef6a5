import type { Db, Executor } from '../db/schema.js';
import type { Clock } from '../clock.js';
import * as store from './store.js';
import type { TokenClaims } from './tokens.js';

/**
 * Whether a signed token's session is still live. A token is refused when its own session was ended
 * (logout) or when its subject was revoked at or after the token was issued (a staff user disabled
 * or given another role or location, a customer erased).
 *
 * The answer is cached per session for SESSION_CACHE_MS on the injected clock, so an API process
 * reads the database at most once per token per window. A revocation made in this process takes
 * effect at once; one made by another process takes effect here within SESSION_CACHE_MS.
 * "At once" holds even while the revoking transaction has not committed: the revocation is also
 * remembered in memory for SESSION_CACHE_MS, so a request that reads the database before the commit
 * (and caches the session as live) is still refused. If that transaction rolls back, the subject's
 * current tokens are refused by this process for at most SESSION_CACHE_MS.
 */
export const SESSION_CACHE_MS = 5_000;
/** Bounds the cache's memory; past it the cache starts over (a burst of reads, never a wrong answer). */
const MAX_CACHED = 100_000;

export class Sessions {
  private readonly cache = new Map<string, { subject: string; live: boolean; until: number }>();
  /** Subjects revoked by this process in the last SESSION_CACHE_MS: not-before time and when to forget it. */
  private readonly recent = new Map<string, { notBefore: number; until: number }>();
  /** The latest not-before time this process wrote (see `issuedAt`). */
  private lastRevocation = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async isLive(claims: TokenClaims): Promise<boolean> {
    const now = this.clock.now().getTime();
    const mark = this.recent.get(claims.sub);
    if (mark && mark.until > now && claims.iat <= mark.notBefore) return false;
    const hit = this.cache.get(claims.sid);
    if (hit && hit.until > now) return hit.live;
    const state = await store.sessionState(this.db, claims.sub, claims.sid);
    const live = !state.sessionRevoked && !(state.notBefore && claims.iat <= state.notBefore.getTime());
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(claims.sid, { subject: claims.sub, live, until: now + SESSION_CACHE_MS });
    return live;
  }

  /**
   * The issue time (`iat`, ms) of a token made now: after every revocation this process wrote. A
   * token is refused when issued at or before its subject's not-before time, so one issued in the
   * same millisecond as a revocation that came before it (a password reset that ends the old
   * sessions and hands out a new token) would be refused with it.
   */
  issuedAt(): number {
    return Math.max(this.clock.now().getTime(), this.lastRevocation + 1);
  }

  /** Logout: ends this one token's session. */
  async end(session: { sid: string; sub: string; expiresAt: Date }): Promise<void> {
    await store.revokeSession(this.db, {
      sid: session.sid,
      subject: session.sub,
      expires_at: session.expiresAt,
      revoked_at: this.clock.now(),
    });
    this.cache.delete(session.sid);
  }

  /** Refuses every token these subjects hold now. Pass the caller's `trx` to revoke in its commit. */
  async revokeSubjects(subjects: string[], trx?: Executor): Promise<void> {
    const at = this.clock.now();
    this.lastRevocation = Math.max(this.lastRevocation, at.getTime());
    await store.revokeSubjects(trx ?? this.db, subjects, at);
    for (const [subject, mark] of this.recent) if (mark.until <= at.getTime()) this.recent.delete(subject);
    for (const subject of subjects)
      this.recent.set(subject, { notBefore: at.getTime(), until: at.getTime() + SESSION_CACHE_MS });
    const gone = new Set(subjects);
    for (const [sid, entry] of this.cache) if (gone.has(entry.subject)) this.cache.delete(sid);
  }

  purge(maxTokenAgeMs: number): Promise<number> {
    return store.purgeRevocations(this.db, this.clock.now(), maxTokenAgeMs);
  }
}
