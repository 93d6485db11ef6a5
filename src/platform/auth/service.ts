import argon2 from 'argon2';
import type { Db } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { newId, ID_PREFIX } from '../ids.js';
import { AppError, isUniqueViolation, problems } from '../http/problems.js';
import {
  ROLE_SCOPES,
  ROLES,
  SCOPES,
  CUSTOMER_SCOPES,
  type Principal,
  type Role,
  type Scope,
} from '../http/auth-model.js';
import * as store from './store.js';
import {
  formatApiKey,
  hashSecret,
  newApiKeySecret,
  parseApiKey,
  secretMatches,
  signToken,
  verifyToken,
} from './tokens.js';

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
  channel_id: string;
  channel_code: string;
  location_id: string | null;
  scopes: Scope[];
}

export class AuthService {
  private secret: string | undefined;
  private readonly keyCache = new Map<string, { principal: Principal; hash: string; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly directory: ChannelDirectory,
    configuredSecret?: string,
  ) {
    this.secret = configuredSecret;
  }

  async init(): Promise<void> {
    this.secret ??= await store.getOrCreateTokenSecret(this.db);
  }

  private get key(): string {
    if (!this.secret) throw new Error('AuthService.init() was not called');
    return this.secret;
  }

  async createStaff(input: { email: string; password: string; role: Role; location?: string | undefined }) {
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw problems.field('email', 'is not a valid email address');
    if (input.password.length < MIN_PASSWORD)
      throw problems.field('password', `must be at least ${MIN_PASSWORD} characters`);
    if (!ROLES.includes(input.role)) throw problems.field('role', `must be one of ${ROLES.join(', ')}`);
    let locationId: string | null = null;
    if (input.location) {
      const loc = await this.directory.location(input.location);
      if (!loc) throw problems.field('location', `location ${input.location} does not exist`);
      locationId = loc.id;
    }
    if (input.role === 'store_associate' && !locationId)
      throw problems.field('location', 'a store associate belongs to one location');
    const id = newId(ID_PREFIX.staff);
    const password_hash = await argon2.hash(input.password, { type: argon2.argon2id });
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
    // Verify against a hash even when the user is unknown, so timing does not reveal which emails exist.
    const ok =
      user && !user.disabled ? await argon2.verify(user.password_hash, password) : (await argon2.hash(password), false);
    if (!user || !ok) throw new AppError('unauthorized', 'email or password is wrong');
    const exp = Math.floor(this.clock.now().getTime() / 1000) + STAFF_TOKEN_TTL_S;
    const token = signToken(
      { k: 'staff', sub: user.id, role: user.role, loc: user.location_id, email: user.email, exp },
      this.key,
    );
    return {
      token,
      expires_at: new Date(exp * 1000).toISOString(),
      user: { id: user.id, email: user.email, role: user.role, location_id: user.location_id },
    };
  }

  /** Customer tokens are issued by the customers module after it checks the password. */
  issueCustomerToken(customerId: string, channelId: string): { token: string; expires_at: string } {
    const exp = Math.floor(this.clock.now().getTime() / 1000) + CUSTOMER_TOKEN_TTL_S;
    return {
      token: signToken({ k: 'customer', sub: customerId, chn: channelId, exp }, this.key),
      expires_at: new Date(exp * 1000).toISOString(),
    };
  }

  async createApiKey(input: {
    channel: string;
    location?: string | undefined;
    scopes: string[];
    label?: string | undefined;
  }): Promise<CreatedApiKey> {
    const channel = await this.directory.channel(input.channel);
    if (!channel) throw problems.field('channel_id', `channel ${input.channel} does not exist`);
    let locationId: string | null = null;
    if (input.location) {
      const loc = await this.directory.location(input.location);
      if (!loc) throw problems.field('location_id', `location ${input.location} does not exist`);
      locationId = loc.id;
    }
    const unknown = input.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (unknown.length) throw problems.field('scopes', `unknown scopes: ${unknown.join(', ')}`);
    if (input.scopes.length === 0) throw problems.field('scopes', 'at least one scope is needed');
    const id = newId(ID_PREFIX.apiKey);
    const secret = newApiKeySecret();
    const scopes = [...new Set(input.scopes)] as Scope[];
    await store.insertApiKey(this.db, {
      id,
      channel_id: channel.id,
      location_id: locationId,
      scopes,
      secret_hash: hashSecret(secret),
      label: input.label ?? null,
    });
    return {
      id,
      key: formatApiKey(id, secret),
      channel_id: channel.id,
      channel_code: channel.code,
      location_id: locationId,
      scopes,
    };
  }

  async revokeApiKey(id: string): Promise<void> {
    const done = await store.revokeApiKey(this.db, id, this.clock.now());
    this.keyCache.delete(id);
    if (!done) {
      const key = await store.findApiKey(this.db, id);
      throw key ? new AppError('conflict', `API key ${id} is already revoked`) : problems.notFound('API key', id);
    }
  }

  listApiKeys() {
    return store.listApiKeys(this.db);
  }
  listStaff() {
    return store.listStaff(this.db);
  }

  /** Turns a bearer credential into a principal, or undefined when it is not valid. */
  async authenticate(bearer: string): Promise<Principal | undefined> {
    if (bearer.startsWith('omk_')) return this.authenticateKey(bearer);
    const claims = verifyToken(bearer, this.key, this.clock.now().getTime());
    if (!claims) return undefined;
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
      };
    }
    return {
      kind: 'customer',
      id: claims.sub,
      customerId: claims.sub,
      channelId: claims.chn ?? '',
      scopes: new Set(CUSTOMER_SCOPES),
    };
  }

  private async authenticateKey(raw: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(raw);
    if (!parsed) return undefined;
    const now = Date.now();
    const cached = this.keyCache.get(parsed.id);
    if (cached && cached.until > now) return secretMatches(parsed.secret, cached.hash) ? cached.principal : undefined;
    const row = await store.findApiKey(this.db, parsed.id);
    if (!row || row.revoked_at || !secretMatches(parsed.secret, row.secret_hash)) return undefined;
    const channel = await this.directory.channel(row.channel_id);
    if (!channel) return undefined;
    const principal: Principal = {
      kind: 'api_key',
      id: row.id,
      channelId: row.channel_id,
      channelCode: channel.code,
      locationId: row.location_id,
      scopes: new Set(row.scopes as Scope[]),
    };
    this.keyCache.set(parsed.id, { principal, hash: row.secret_hash, until: now + KEY_CACHE_MS });
    return principal;
  }
}
