/**
 * One account from every channel (issue 16): registering, claiming a profile another channel
 * created, verifying an inbox with a mailed one-time code, password reset, and what a login does on
 * a device (its anonymous cart and history join the person).
 *
 * Nothing here tells a caller on a public (publishable) key whether an address is known: every
 * request for a code answers `202` with the same body, hashes a password or not the same way, and
 * writes one code row; the mail leaves after commit from the outbox (notifications), so the answer's
 * time does not depend on the mail either. A wrong, expired or used-up code is one answer.
 */
import argon2 from 'argon2';
import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { isUniqueViolation, problems } from '../platform/http/problems.js';
import * as ids from './identity-store.js';
import * as store from './account-store.js';
import { identifyInTx } from './identity.js';
import { normaliseIdentifier } from './rules.js';
import { CODE_TTL_MS, chooseLocale, supportedLocale, type CodePurpose } from './account-rules.js';
import { AccountCodes, invalidCode } from './account-codes.js';
import { joinDevice, type DeviceContext } from './account-device.js';
import './account-events.js';

const MIN_PASSWORD = 12;

export interface AccountDeps {
  /** A channel's country (its locale when the shopper chose none). */
  channel(idOrCode: string, opts?: { trx?: Executor }): Promise<{ country?: string | undefined } | undefined>;
  /** The server secret (HMAC of codes) and the sealing of a code until its mail has left. */
  keys: { current: { secret: string }; seal(plain: string): string; open(sealed: string): string | undefined };
  issueCustomerToken(customerId: string, channelId: string): { token: string; expires_at: string };
  /** Checks a password against the account of an address (CustomersService.login). */
  login(email: string, password: string, channelId: string): Promise<{ customer_id: string }>;
  revokeSessions?(customerIds: string[], trx: Executor): Promise<void>;
  /** The guest orders placed with a verified address become the person's: their `order.placed` payloads. */
  attachGuestOrders?(email: string, customerId: string, trx: Tx): Promise<Record<string, unknown>[]>;
  /** Counts an order in the person's 360 (the customers order feed). */
  feedOrder?(payload: Record<string, unknown>, trx: Tx): Promise<void>;
  /** Merges a device's anonymous cart into the person's (carts module), as the person on that channel. */
  mergeCart?(cartId: string, customerId: string, channelId: string): Promise<unknown>;
  nudge?: () => void;
}

export interface SignedIn {
  customer_id: string;
  token: string;
  expires_at: string;
  merged: { cart: boolean; history: boolean };
}

/** The one answer to every request for a code, whatever the address. */
export interface CodeSent {
  status: 'code_sent';
  expires_in_s: number;
}
const CODE_SENT: CodeSent = { status: 'code_sent', expires_in_s: CODE_TTL_MS / 1000 };

export class AccountService {
  /** Issuing and checking the one-time codes (account-codes.ts). */
  private readonly codes: AccountCodes;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: AccountDeps,
  ) {
    this.codes = new AccountCodes(db, clock, deps);
  }

  private email(raw: string): string {
    const e = normaliseIdentifier('email', raw);
    if ('error' in e) throw problems.field('email', e.error);
    return e.value;
  }

  /** The person's known account row (the one with a password) and their root, for an address. */
  private async owner(db: Executor, email: string) {
    const row = await ids.accountByEmail(db, email);
    if (!row || row.status === 'erased') return undefined;
    const members = await ids.members(db, row.root_id);
    return { root: row.root_id, account: members.find((m) => m.password_hash) };
  }

  /**
   * Registering. A trusted (secret) channel key may create an account for a new address at once
   * (201): it can read customers anyway, so nothing leaks. A publishable key — the public web shop —
   * always gets `202 code_sent` and the address gets a code (or, when it already has an account, a
   * mail saying so); the account exists once the code is verified.
   */
  async register(input: {
    email: string;
    password: string;
    first_name?: string | undefined;
    last_name?: string | undefined;
    locale?: string | undefined;
    channelId: string;
    trusted: boolean;
  }): Promise<{ status: 201; body: SignedIn } | { status: 202; body: CodeSent }> {
    const email = this.email(input.email);
    if (input.password.length < MIN_PASSWORD)
      throw problems.field('password', `must be at least ${MIN_PASSWORD} characters`);
    // Hashed whatever the address, so the answer takes as long for a known one as for a new one.
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    const owner = await this.owner(this.db, email);
    if (input.trusted && !owner) return { status: 201, body: await this.createAtOnce(email, passwordHash, input) };
    if (input.trusted && owner?.account)
      throw problems.duplicate('an account with this email exists', [
        { field: 'email', message: 'already registered' },
      ]);
    const purpose: CodePurpose = !owner ? 'register' : owner.account ? 'exists' : 'claim';
    await this.codes.issue({
      purpose,
      email,
      channelId: input.channelId,
      customerId: owner?.root ?? null,
      passwordHash: purpose === 'exists' ? null : passwordHash,
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
      locale: supportedLocale(input.locale) ?? null,
      mail: true,
    });
    return { status: 202, body: CODE_SENT };
  }

  private async createAtOnce(
    email: string,
    passwordHash: string,
    input: {
      first_name?: string | undefined;
      last_name?: string | undefined;
      locale?: string | undefined;
      channelId: string;
    },
  ): Promise<SignedIn> {
    const at = this.clock.now();
    try {
      const res = await inTx(this.db, undefined, async (trx) => {
        const r = await identifyInTx(trx, at, {
          identifiers: [{ kind: 'email', value: email }],
          strict: true,
          source: `register:${input.channelId}`,
          passwordHash,
          names: names(input),
        });
        await this.rememberLocale(trx, r.customer_id, input.locale, input.channelId);
        return r;
      });
      this.deps.nudge?.();
      return {
        customer_id: res.customer_id,
        ...this.deps.issueCustomerToken(res.customer_id, input.channelId),
        merged: NONE,
      };
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate('an account with this email exists', [
          { field: 'email', message: 'already registered' },
        ]);
      throw err;
    }
  }

  /**
   * Verifies a registration or claim code: the account is created (or attached to the profile that
   * already had the address, with its whole history), the address is marked verified, and the guest
   * orders placed with it become the person's — only now, never on a typed address alone.
   */
  async verify(input: { email: string; code: string; channelId: string } & DeviceContext): Promise<SignedIn> {
    const email = this.email(input.email);
    const at = this.clock.now();
    const customerId = await this.codes.check(email, input.code, ['register', 'claim'], async (trx, row) => {
      if (!row.password_hash) throw invalidCode();
      const res = await identifyInTx(trx, at, {
        identifiers: [{ kind: 'email', value: email }],
        strict: true,
        source: `${row.purpose}:${row.channel_id}`,
        verifiedKinds: ['email'],
        passwordHash: row.password_hash,
        names: names({ first_name: row.first_name ?? undefined, last_name: row.last_name ?? undefined }),
      });
      const root = res.customer_id;
      await this.rememberLocale(trx, root, row.locale ?? undefined, row.channel_id);
      await this.inboxProven(trx, email, root, at);
      return root;
    });
    const merged = await joinDevice(this.db, this.clock, this.deps, customerId, input);
    return { customer_id: customerId, ...this.deps.issueCustomerToken(customerId, input.channelId), merged };
  }

  /**
   * The person proved they read `email` (a verification or a reset code): the guest orders placed
   * with it become theirs and count in their 360, in the same transaction.
   */
  private async inboxProven(trx: Tx, email: string, root: string, at: Date): Promise<void> {
    const orders = (await this.deps.attachGuestOrders?.(email, root, trx)) ?? [];
    for (const o of orders) await this.deps.feedOrder?.({ ...o, customer_id: root }, trx);
    await emit(
      trx,
      {
        type: 'customer.email_verified',
        aggregateId: root,
        payload: { customer_id: root, order_ids: orders.map((o) => String(o.order_id)) },
      },
      at,
    );
  }

  /** Login, then the device's anonymous cart and history join the person (no extra call). */
  async login(input: { email: string; password: string; channelId: string } & DeviceContext): Promise<SignedIn> {
    const { customer_id } = await this.deps.login(input.email, input.password, input.channelId);
    const merged = await joinDevice(this.db, this.clock, this.deps, customer_id, input);
    return { customer_id, ...this.deps.issueCustomerToken(customer_id, input.channelId), merged };
  }

  /** Asks for a reset code: the same answer whether or not the address has an account. */
  async requestReset(input: { email: string; channelId: string; locale?: string | undefined }): Promise<CodeSent> {
    const email = this.email(input.email);
    const owner = await this.owner(this.db, email);
    // A row either way (same work, same time); only an account's row is mailed and can be used.
    await this.codes.issue({
      purpose: 'reset',
      email,
      channelId: input.channelId,
      customerId: owner?.account ? owner.root : null,
      passwordHash: null,
      first_name: null,
      last_name: null,
      locale: supportedLocale(input.locale) ?? null,
      mail: owner?.account !== undefined,
    });
    return CODE_SENT;
  }

  /** A new password with a reset code; every session the account had is ended. */
  async confirmReset(input: { email: string; code: string; password: string; channelId: string }): Promise<SignedIn> {
    const email = this.email(input.email);
    if (input.password.length < MIN_PASSWORD)
      throw problems.field('password', `must be at least ${MIN_PASSWORD} characters`);
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    const at = this.clock.now();
    const customerId = await this.codes.check(email, input.code, ['reset'], async (trx, row) => {
      const owner = row.customer_id ? await this.owner(trx, email) : undefined;
      if (!owner?.account || owner.root !== (await ids.getCustomer(trx, row.customer_id!))?.root_id)
        throw invalidCode();
      await ids.updateCustomer(trx, owner.account.id, { password_hash: passwordHash, updated_at: at });
      // A reset code read in the inbox proves the address as well as a verification does.
      const holder = await ids.accountByEmail(trx, email);
      if (holder) await ids.markVerified(trx, holder.id, 'email', email);
      await this.inboxProven(trx, email, owner.root, at);
      await this.deps.revokeSessions?.(
        (await ids.members(trx, owner.root)).map((m) => m.id),
        trx,
      );
      return owner.root;
    });
    return { customer_id: customerId, ...this.deps.issueCustomerToken(customerId, input.channelId), merged: NONE };
  }

  /** The message a code row asks for (notifications, after commit); undefined once sent or used. */
  async codeMail(
    codeId: string,
  ): Promise<
    | { to: string; purpose: CodePurpose; code: string; customer_id: string | null; locale: string | undefined }
    | undefined
  > {
    const row = await store.getCode(this.db, codeId);
    // Not mailed yet (the sealed copy is there); a used or replaced code is not mailed any more,
    // except the "you already have an account" notice, which carries no code.
    if (!row?.code_sealed || (row.used_at && row.purpose !== 'exists')) return undefined;
    const code = this.deps.keys.open(row.code_sealed);
    if (!code) return undefined;
    const locale =
      row.locale ?? (row.customer_id ? (await store.localeOf(this.db, row.customer_id))?.locale : undefined);
    return {
      to: row.email,
      purpose: row.purpose as CodePurpose,
      code,
      customer_id: row.customer_id,
      locale: locale ?? (await this.channelLocale(row.channel_id)),
    };
  }

  /** The mail has left: the readable copy of the code is dropped. */
  async codeMailed(codeId: string): Promise<void> {
    await store.forgetSealed(this.db, codeId);
  }

  /** The locale messages to this person are written in ('en' when nothing says otherwise). */
  async localeOf(customerId: string, opts: { trx?: Executor } = {}): Promise<string> {
    const ex = opts.trx ?? this.db;
    const root = (await ids.getCustomer(ex, customerId))?.root_id ?? customerId;
    return (await store.localeOf(ex, root))?.locale ?? 'en';
  }

  /** Every profile row of the person `id` resolves to (their messages, campaigns). */
  async memberIds(id: string, opts: { trx?: Executor } = {}): Promise<string[]> {
    const ex = opts.trx ?? this.db;
    const row = await ids.getCustomer(ex, id);
    if (!row || row.status === 'erased') throw problems.notFound('customer', id);
    return (await ids.members(ex, row.root_id)).map((m) => m.id);
  }

  /** The shopper's own choice of language. */
  async setLocale(customerId: string, locale: string): Promise<{ customer_id: string; locale: string }> {
    const chosen = supportedLocale(locale);
    if (!chosen) throw problems.field('locale', 'one of en, es, pt');
    const root = (await ids.getCustomer(this.db, customerId))?.root_id;
    if (!root) throw problems.notFound('customer', customerId);
    await store.setLocale(this.db, {
      customer_id: root,
      locale: chosen,
      source: 'shopper',
      updated_at: this.clock.now(),
    });
    return { customer_id: root, locale: chosen };
  }

  private async channelLocale(channelId: string): Promise<string> {
    return chooseLocale({ country: (await this.deps.channel(channelId))?.country })?.locale ?? 'en';
  }

  /** Sets the locale from the shopper's choice, else (if none is stored yet) from the channel's country. */
  private async rememberLocale(trx: Tx, root: string, shopper: string | undefined, channelId: string): Promise<void> {
    const stored = await store.localeOf(trx, root);
    const country = (await this.deps.channel(channelId, { trx }))?.country;
    const pick = chooseLocale({ stored, shopper, country });
    if (pick) await store.setLocale(trx, { customer_id: root, ...pick, updated_at: this.clock.now() });
  }

  /** Deletes codes older than a day (they expired long ago): a daily job. */
  async purgeCodes(): Promise<number> {
    await store.purgeExpired(this.db, new Date(this.clock.now().getTime() - 86_400_000));
    return 0;
  }

  /** `customer.erased`: the person's codes and locale go with them. */
  async onErased(customerIds: string[], trx: Executor): Promise<void> {
    await store.eraseCodes(trx, [], customerIds);
  }
}

const NONE = { cart: false, history: false };
const names = (n: { first_name?: string | undefined; last_name?: string | undefined }) => ({
  ...(n.first_name ? { first_name: n.first_name } : {}),
  ...(n.last_name ? { last_name: n.last_name } : {}),
});
