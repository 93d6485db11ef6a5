import type { Db, Executor } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { ExpiringCache } from '../cache.js';
import { newId, ID_PREFIX } from '../ids.js';
import { AppError, isUniqueViolation, problems } from '../http/problems.js';
import {
  ROLE_SCOPES,
  ROLES,
  CUSTOMER_SCOPES,
  PUBLISHABLE_SCOPES,
  type ApiKeyKind,
  type Principal,
  type Role,
  type Scope,
} from '../http/auth-model.js';
import * as store from './store.js';
import { assertCanGrantRole, assertKeyPlacement, keyScopes, type Creator } from './key-rules.js';
import { authorizeResource, listScope } from './policy.js';
import { inTx } from '../db/tx.js';
import {
  formatApiKey,
  hashSecret,
  newApiKeySecret,
  parseApiKey,
  sameSecret,
  secretMatches,
  signToken,
  verifyToken,
} from './tokens.js';
import { KeyRing } from './keyring.js';
import { Sessions } from './sessions.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** What auth needs from the network module, injected at composition so the platform stays below it. */
export interface ChannelDirectory {
  channel(idOrCode: string): Promise<{ id: string; code: string } | undefined>;
  location(idOrCode: string): Promise<{ id: string; code: string } | undefined>;
}

const STAFF_TOKEN_TTL_S = 12 * 3600;
const CUSTOMER_TOKEN_TTL_S = 30 * 24 * 3600;
/** Verified API keys are cached this long: a revocation takes effect within it on every process. */
const KEY_CACHE_MS = 30_000;
const MIN_PASSWORD = 12;

export interface CreatedApiKey {
  id: string;
  key: string;
  kind: ApiKeyKind;
  channel_id: string;
  channel_code: string;
  location_id: string | null;
  scopes: Scope[];
}

export class AuthService {
  private secret: string | undefined;
  private keyRing: KeyRing | undefined;
  /** Revocable sessions behind staff and customer tokens (logout, disabled users, erased customers). */
  readonly sessions: Sessions;
  /** API keys by id, for KEY_CACHE_MS on the injected clock: a revocation in another process shows within it. */
  /**
   * Counts revocations made by this process: a key read before one finished is not cached, so a key
   * revoked here is refused on the very next request even when a request read its row just before.
   */
  private keyRevocations = 0;
  private readonly keyCache: ExpiringCache<string, { principal: Principal; kind: ApiKeyKind; secret: string }>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly directory: ChannelDirectory,
    configuredSecret?: string,
    /** Secrets rotated out (`OMNIA_SECRET_PREVIOUS`): their tokens and sealed values still verify. */
    private readonly previousSecrets: readonly string[] = [],
  ) {
    this.secret = configuredSecret;
    this.sessions = new Sessions(db, clock);
    this.keyCache = new ExpiringCache(clock, { ttlMs: KEY_CACHE_MS, max: 10_000 });
  }

  async init(): Promise<void> {
    this.secret ??= await store.getOrCreateTokenSecret(this.db);
    this.keyRing = new KeyRing(this.secret, this.previousSecrets);
  }

  /** Signs with the current secret, verifies and opens with every known one. */
  get keys(): KeyRing {
    if (!this.keyRing) throw new Error('AuthService.init() was not called');
    return this.keyRing;
  }

  private newSession(): { sid: string; iat: number } {
    const iat = this.sessions.issuedAt();
    return { sid: newId(ID_PREFIX.session, iat), iat };
  }

  async createStaff(input: {
    email: string;
    password: string;
    role: Role;
    location?: string | undefined;
    /** Who asks; may create only roles whose scopes it holds (no escalation through staff:manage). */
    creator?: Creator | undefined;
  }) {
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw problems.field('email', 'is not a valid email address');
    if (input.password.length < MIN_PASSWORD)
      throw problems.field('password', `must be at least ${MIN_PASSWORD} characters`);
    if (!ROLES.includes(input.role)) throw problems.field('role', `must be one of ${ROLES.join(', ')}`);
    assertCanGrantRole(input.creator ?? 'operator', input.role);
    let locationId: string | null = null;
    if (input.location) {
      const loc = await this.directory.location(input.location);
      if (!loc) throw problems.field('location', `location ${input.location} does not exist`);
      locationId = loc.id;
    }
    if (input.role === 'store_associate' && !locationId)
      throw problems.field('location', 'a store associate belongs to one location');
    const id = newId(ID_PREFIX.staff);
    const password_hash = await hashPassword(input.password);
    try {
      await store.insertStaff(this.db, { id, email, password_hash, role: input.role, location_id: locationId });
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate(`a staff user with email ${email} exists`, [
          { field: 'email', message: 'already used' },
        ]);
      throw err;
    }
    return { id, email, role: input.role, location_id: locationId };
  }

  async loginStaff(
    email: string,
    password: string,
  ): Promise<{
    token: string;
    expires_at: string;
    user: { id: string; email: string; role: string; location_id: string | null };
  }> {
    const user = await store.findStaffByEmail(this.db, email.trim());
    // One argon2 verification whether or not the user exists (a dummy hash otherwise): see passwords.ts.
    const ok = await verifyPassword(user && !user.disabled ? user.password_hash : null, password);
    if (!user || !ok) throw new AppError('unauthorized', 'email or password is wrong');
    const session = this.newSession();
    const exp = Math.floor(session.iat / 1000) + STAFF_TOKEN_TTL_S;
    const token = signToken(
      { k: 'staff', sub: user.id, ...session, role: user.role, loc: user.location_id, email: user.email, exp },
      this.keys.current,
    );
    return {
      token,
      expires_at: new Date(exp * 1000).toISOString(),
      user: { id: user.id, email: user.email, role: user.role, location_id: user.location_id },
    };
  }

  /**
   * Changes a staff user's role, location or disabled flag. Any such change refuses every token the
   * user holds (in the same transaction): a token carries role and location, so it must not outlive them.
   */
  async updateStaff(
    id: string,
    patch: {
      role?: Role | undefined;
      location?: string | null | undefined;
      disabled?: boolean | undefined;
      /** Who asks; may give only roles whose scopes it holds (as when creating). */
      creator?: Creator | undefined;
    },
  ): Promise<{ id: string; email: string; role: Role; location_id: string | null; disabled: boolean }> {
    let locationId: string | null | undefined;
    if (patch.location === null) locationId = null;
    else if (patch.location !== undefined) {
      const loc = await this.directory.location(patch.location);
      if (!loc) throw problems.field('location_id', `location ${patch.location} does not exist`);
      locationId = loc.id;
    }
    return inTx(this.db, undefined, async (trx) => {
      const user = await store.findStaffById(trx, id);
      if (!user) throw problems.notFound('staff user', id);
      const next = {
        role: (patch.role ?? user.role) as Role,
        location_id: locationId === undefined ? user.location_id : locationId,
        disabled: patch.disabled ?? user.disabled,
      };
      if (next.role === 'store_associate' && !next.location_id)
        throw problems.field('location_id', 'a store associate belongs to one location');
      if (next.role !== user.role) assertCanGrantRole(patch.creator ?? 'operator', next.role);
      const changed =
        next.role !== user.role || next.location_id !== user.location_id || next.disabled !== user.disabled;
      if (changed) {
        await store.updateStaff(trx, id, next);
        await this.sessions.revokeSubjects([id], trx);
      }
      return { id, email: user.email, ...next };
    });
  }

  /** Logout: ends the session of the token the request came with (API keys have none). */
  async logout(principal: Principal | undefined): Promise<void> {
    if (!principal || principal.kind === 'api_key' || !principal.session)
      throw new AppError('unauthorized', 'log out with the staff or customer token to end');
    await this.sessions.end({ sid: principal.session.id, sub: principal.id, expiresAt: principal.session.expiresAt });
  }

  /** Refuses every token these customers hold (erasure), in the caller's transaction. */
  revokeCustomerSessions(customerIds: string[], trx?: Executor): Promise<void> {
    return this.sessions.revokeSubjects(customerIds, trx);
  }

  /** Drops revocation records no live token can need (a job). */
  purgeSessions(): Promise<number> {
    return this.sessions.purge(Math.max(STAFF_TOKEN_TTL_S, CUSTOMER_TOKEN_TTL_S) * 1000);
  }

  /** Customer tokens are issued by the customers module after it checks the password. */
  issueCustomerToken(customerId: string, channelId: string): { token: string; expires_at: string } {
    const session = this.newSession();
    const exp = Math.floor(session.iat / 1000) + CUSTOMER_TOKEN_TTL_S;
    return {
      token: signToken({ k: 'customer', sub: customerId, ...session, chn: channelId, exp }, this.keys.current),
      expires_at: new Date(exp * 1000).toISOString(),
    };
  }

  /**
   * `kind` defaults to secret (what every key was before kinds). `creator` is who asks: a request's
   * principal, or the operator at the command line; it may grant only what it holds (key-rules.ts).
   */
  async createApiKey(input: {
    channel: string;
    kind?: ApiKeyKind | undefined;
    location?: string | undefined;
    scopes?: string[] | undefined;
    label?: string | undefined;
    creator?: Creator | undefined;
  }): Promise<CreatedApiKey> {
    const kind = input.kind ?? 'secret';
    const creator = input.creator ?? 'operator';
    const channel = await this.directory.channel(input.channel);
    if (!channel) throw problems.field('channel_id', `channel ${input.channel} does not exist`);
    let locationId: string | null = null;
    if (input.location) {
      const loc = await this.directory.location(input.location);
      if (!loc) throw problems.field('location_id', `location ${input.location} does not exist`);
      locationId = loc.id;
    }
    const scopes = keyScopes(kind, input.scopes, creator);
    assertKeyPlacement(creator, channel.id, locationId);
    const id = newId(ID_PREFIX.apiKey);
    const secret = newApiKeySecret();
    await store.insertApiKey(this.db, {
      id,
      kind,
      channel_id: channel.id,
      location_id: locationId,
      scopes,
      secret_hash: hashSecret(secret),
      label: input.label ?? null,
    });
    return {
      id,
      key: formatApiKey(kind, id, secret),
      kind,
      channel_id: channel.id,
      channel_code: channel.code,
      location_id: locationId,
      scopes,
    };
  }

  /** `by` (a request's principal) may revoke only keys the policy lets it reach; the operator any. */
  async revokeApiKey(id: string, by: Creator = 'operator'): Promise<void> {
    if (by !== 'operator') {
      const key = await store.findApiKey(this.db, id);
      if (!key) throw problems.notFound('API key', id);
      authorizeResource(by, 'write', { kind: 'api_key', id, channelId: key.channel_id, locationId: key.location_id });
    }
    const done = await store.revokeApiKey(this.db, id, this.clock.now());
    this.keyRevocations++;
    this.keyCache.delete(id);
    if (!done) {
      const key = await store.findApiKey(this.db, id);
      throw key ? new AppError('conflict', `API key ${id} is already revoked`) : problems.notFound('API key', id);
    }
  }

  /** Every key for the operator; for a request, the keys its list scope reaches (a key: its channel's). */
  listApiKeys(by: Creator = 'operator') {
    return store.listApiKeys(this.db, by === 'operator' ? undefined : listScope(by, 'api_key').channelId);
  }
  listStaff() {
    return store.listStaff(this.db);
  }

  /** Turns a bearer credential into a principal, or undefined when it is not valid. */
  async authenticate(bearer: string): Promise<Principal | undefined> {
    if (bearer.startsWith('omk_')) return this.authenticateKey(bearer);
    const claims = verifyToken(bearer, this.keys, this.clock.now().getTime());
    if (!claims || !(await this.sessions.isLive(claims))) return undefined;
    const session = { id: claims.sid, expiresAt: new Date(claims.exp * 1000) };
    if (claims.k === 'staff') {
      const role = claims.role as Role;
      if (!ROLES.includes(role)) return undefined;
      return {
        kind: 'staff',
        id: claims.sub,
        email: claims.email ?? '',
        role,
        locationId: claims.loc ?? null,
        scopes: new Set(ROLE_SCOPES[role]),
        session,
      };
    }
    return {
      kind: 'customer',
      id: claims.sub,
      customerId: claims.sub,
      channelId: claims.chn ?? '',
      scopes: new Set(CUSTOMER_SCOPES),
      session,
    };
  }

  private async authenticateKey(raw: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(raw);
    if (!parsed) return undefined;
    const cached = this.keyCache.get(parsed.id);
    // The entry holds the secret it was verified with (against the stored hash), compared in constant
    // time: hashing the given secret again on every request was a fortieth of a quote's server CPU.
    if (cached) {
      if (parsed.kind && parsed.kind !== cached.kind) return undefined;
      return sameSecret(parsed.secret, cached.secret) ? cached.principal : undefined;
    }
    const revocations = this.keyRevocations;
    const row = await store.findApiKey(this.db, parsed.id);
    if (!row || row.revoked_at || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
    // A prefix that contradicts the stored kind is not this key (the kind in the database decides).
    const keyKind: ApiKeyKind = row.kind === 'publishable' ? 'publishable' : 'secret';
    if (parsed.kind && parsed.kind !== keyKind) return undefined;
    const channel = await this.directory.channel(row.channel_id);
    if (!channel) return undefined;
    const principal: Principal = {
      kind: 'api_key',
      id: row.id,
      keyKind,
      channelId: row.channel_id,
      channelCode: channel.code,
      locationId: row.location_id,
      // A publishable key's rights are fixed in code, whatever its row says.
      scopes: new Set(keyKind === 'publishable' ? PUBLISHABLE_SCOPES : (row.scopes as Scope[])),
    };
    // A revocation in this process since the row was read may have missed it: answer, do not cache.
    if (revocations === this.keyRevocations)
      this.keyCache.set(parsed.id, { principal, kind: keyKind, secret: parsed.secret });
    return principal;
  }
}
