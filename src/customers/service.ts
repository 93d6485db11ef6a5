import { authorizeResource, type Action } from '../platform/auth/policy.js';
import { verifyPassword } from '../platform/auth/passwords.js';
import argon2 from 'argon2';
import type { Db, Executor, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, isUniqueViolation, problems } from '../platform/http/problems.js';
import type { Principal } from '../platform/http/auth-model.js';
import * as ids from './identity-store.js';
import * as store from './profile-store.js';
import * as eventsStore from './events-store.js';
import { notesOf } from './desk-store.js';
import { identifyInTx, refreshFlags, staffMergeInTx, unmergeInTx, type IdentifyResult } from './identity.js';
import { MAX_BATCH, storeBatch, validateBatch, type IngestResult } from './ingest.js';
import { build360, consentOf, recommend } from './profile.js';
import type { AvailabilityLookup, CatalogLookup, CustomersDeps } from './ports.js';
import { normaliseIdentifier, normaliseIdentifiers } from './rules.js';
import { SegmentService } from './segments.js';
import { OrderFeed } from './order-feed.js';
import type { ConsentPurpose, Customer360, IdentifierKind, Recommendation } from './types.js';

export type IdentifierInput = Partial<Record<IdentifierKind, string>>;
const MIN_PASSWORD = 12;

export class CustomersService {
  readonly segments: SegmentService;
  readonly orders: OrderFeed;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: CustomersDeps,
  ) {
    this.segments = new SegmentService(db, clock);
    this.orders = new OrderFeed(deps.channel, () => this.deps.catalog);
  }

  /** Wires the inventory/catalog lookups once those modules exist. */
  setLookups(l: { availability?: AvailabilityLookup; catalog?: CatalogLookup }): void {
    if (l.availability) this.deps.availability = l.availability;
    if (l.catalog) this.deps.catalog = l.catalog;
  }

  /** The surviving id a (possibly merged) customer id resolves to; undefined if unknown or erased. */
  async resolve(id: string, opts: { trx?: Executor } = {}): Promise<string | undefined> {
    const row = await ids.getCustomer(opts.trx ?? this.db, id);
    if (!row || row.status === 'erased') return undefined;
    return row.root_id;
  }
  private async requireRoot(id: string, db: Executor = this.db): Promise<string> {
    const root = await this.resolve(id, { trx: db });
    if (!root) throw problems.notFound('customer', id);
    return root;
  }

  /**
   * May this caller do `action` on customer `id`? The policy decides (platform/auth/policy.ts); this
   * only resolves merged ids first, so a customer token still reaches its own person after a merge.
   */
  async assertAccess(principal: Principal | undefined, id: string, action: Action = 'read'): Promise<void> {
    const asked = await this.resolve(id);
    const subject =
      principal?.kind === 'customer'
        ? { ...principal, customerId: (await this.resolve(principal.customerId)) ?? principal.customerId }
        : principal;
    authorizeResource(subject, action, { kind: 'customer', id, customerId: asked ?? id });
  }

  /**
   * Every profile row (merged ones too) of the person who owns this identifier, for finding their
   * orders: an order keeps the customer id it was placed with, even after a merge. Empty if nobody.
   */
  async personIdsByIdentifier(kind: IdentifierKind, value: string, opts: { trx?: Executor } = {}): Promise<string[]> {
    const db = opts.trx ?? this.db;
    const [owner] = await ids.owners(db, [{ kind, value }]);
    if (!owner || owner.root_status === 'erased') return [];
    return (await ids.members(db, owner.root_id)).map((r) => r.id);
  }

  /** Pass `trx` when calling from inside a transaction (an event handler): PGlite has one connection. */
  async get(id: string, opts: { trx?: Executor } = {}): Promise<Customer360> {
    const view = await build360(opts.trx ?? this.db, id, this.clock.now());
    if (!view) throw problems.notFound('customer', id);
    return view;
  }

  async hasConsent(customerId: string, purpose: ConsentPurpose, opts: { trx?: Executor } = {}): Promise<boolean> {
    const root = await this.resolve(customerId, opts);
    return root ? consentOf(opts.trx ?? this.db, root, purpose) : false;
  }

  async identify(
    input: {
      identifiers: IdentifierInput;
      customer_id?: string | undefined;
      channel: string;
      verified?: IdentifierKind[] | undefined;
      first_name?: string | undefined;
      last_name?: string | undefined;
    },
    opts: { trx?: Executor } = {},
  ): Promise<IdentifyResult & { customer_id: string }> {
    const { identifiers, errors } = normaliseIdentifiers(input.identifiers, 'identifiers');
    if (errors.length) throw problems.validation('some identifiers are not valid', errors);
    if (identifiers.length === 0) throw problems.field('identifiers', 'name at least one identifier');
    const explicitRoot = input.customer_id ? await this.requireRoot(input.customer_id, opts.trx) : undefined;
    if (!explicitRoot && !identifiers.some((i) => !['device_id', 'anonymous_id'].includes(i.kind))) {
      throw problems.field(
        'identifiers',
        'a device or anonymous id alone names nobody: add an email, phone, card or customer_id',
      );
    }
    const at = this.clock.now();
    const names = {
      ...(input.first_name ? { first_name: input.first_name } : {}),
      ...(input.last_name ? { last_name: input.last_name } : {}),
    };
    const run = () =>
      inTx(this.db, opts.trx, (trx) =>
        identifyInTx(trx, at, {
          identifiers,
          ...(explicitRoot ? { explicitRoot } : {}),
          strict: true,
          source: `identify:${input.channel}`,
          names,
          verifiedKinds: input.verified ?? [],
        }),
      );
    try {
      const res = await this.retryOnRace(run, opts.trx);
      this.deps.nudge?.();
      return res;
    } catch (err) {
      if (err instanceof AppError && err.type === 'merge_blocked' && !opts.trx)
        await this.recordBlocked(err, explicitRoot ?? null, `identify:${input.channel}`);
      throw err;
    }
  }

  /** Two processes creating the same new identifier at once: the loser retries and finds it. */
  private async retryOnRace<T>(fn: () => Promise<T>, outer: Executor | undefined): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!outer && isUniqueViolation(err)) return fn();
      throw err;
    }
  }

  private async recordBlocked(err: AppError, a: string | null, source: string): Promise<void> {
    const at = this.clock.now();
    const list = (err.extras.conflicts as { other_customer_id: string | null; reason: string; detail: string }[]) ?? [];
    await ids.insertConflicts(
      this.db,
      list.map((c) => ({
        id: newId('cmc', at.getTime()),
        customer_a: a ?? '',
        customer_b: c.other_customer_id ?? '',
        reason: c.reason,
        detail: c.detail,
        source,
        created_at: at,
      })),
    );
  }

  async merge(id: string, otherId: string, by: string): Promise<{ survivor: string; absorbed: string }> {
    try {
      const res = await inTx(this.db, undefined, (trx) => staffMergeInTx(trx, this.clock.now(), id, otherId, by));
      this.deps.nudge?.();
      return res;
    } catch (err) {
      if (err instanceof AppError && err.type === 'merge_blocked') await this.recordBlocked(err, id, `staff:${by}`);
      throw err;
    }
  }

  async unmerge(id: string, by: string): Promise<{ customer_id: string; survivor_id: string }> {
    const res = await inTx(this.db, undefined, (trx) => unmergeInTx(trx, this.clock.now(), id, by));
    this.deps.nudge?.();
    return res;
  }

  async ingest(
    batch: unknown[],
    /** `onlyCustomer`: a customer token's own id, or null for a publishable key (anonymous shoppers only). */
    ctx: { defaultChannel?: string | undefined; source: string; onlyCustomer?: string | null | undefined },
    opts: { trx?: Executor } = {},
  ): Promise<IngestResult> {
    if (batch.length > MAX_BATCH) throw problems.field('events', `at most ${MAX_BATCH} events per batch`);
    const at = this.clock.now();
    const { valid, rejected } = await validateBatch(batch, at.getTime(), ctx.defaultChannel, this.deps.channel);
    if (ctx.onlyCustomer !== undefined) {
      // a customer token may send events about itself only, and may not link identifiers
      for (let i = valid.length - 1; i >= 0; i--) {
        const v = valid[i]!;
        if (v.strong.length || v.device || (v.ev.customer_id && v.ev.customer_id !== ctx.onlyCustomer)) {
          rejected.push({
            index: v.index,
            problem: {
              type: 'https://omnia.dev/problems/forbidden',
              code: 'forbidden',
              title: 'Not allowed',
              status: 403,
              detail:
                ctx.onlyCustomer === null
                  ? 'a publishable key sends anonymous events only: no customer_id, no identifiers'
                  : 'a customer token may send events only about itself, without identifiers',
            },
          });
          valid.splice(i, 1);
        } else if (ctx.onlyCustomer !== null) v.ev.customer_id = ctx.onlyCustomer;
      }
    }
    const stored = valid.length
      ? await this.retryOnRace(() => inTx(this.db, opts.trx, (trx) => storeBatch(trx, at, valid, ctx.source)), opts.trx)
      : { accepted: 0, suppressed: 0, duplicates: 0, rejected: [] };
    const all = [...rejected, ...stored.rejected].sort((a, b) => a.index - b.index);
    return { accepted: stored.accepted, suppressed: stored.suppressed, duplicates: stored.duplicates, rejected: all };
  }

  async setConsents(
    id: string,
    consents: { purpose: ConsentPurpose; granted: boolean }[],
    source: string,
    opts: { trx?: Executor } = {},
  ): Promise<Customer360['consents']> {
    const seen = new Set<string>();
    const dup = consents.findIndex((c) => seen.size === seen.add(c.purpose).size);
    if (dup >= 0) throw problems.field(`consents/${dup}/purpose`, 'is given twice');
    const at = this.clock.now();
    await inTx(this.db, opts.trx, async (trx) => {
      const root = await this.requireRoot(id, trx);
      await ids.lockCustomers(trx, [root]);
      await store.upsertConsents(
        trx,
        consents.map((c) => ({ customer_id: root, purpose: c.purpose, granted: c.granted, source, updated_at: at })),
      );
      await refreshFlags(trx, root);
      await emit(
        trx,
        {
          type: 'customer.consent_changed',
          aggregateId: root,
          payload: {
            customer_id: root,
            consents: consents.map((c) => ({ purpose: c.purpose, granted: c.granted })),
            source,
          },
        },
        at,
      );
    });
    this.deps.nudge?.();
    return (await this.get(id)).consents;
  }

  async recommendations(
    id: string,
    channel?: string,
  ): Promise<{ customer_id: string; personalised: boolean; items: Recommendation[] }> {
    const res = await recommend(this.db, id, { availability: this.deps.availability, channel });
    if (!res) throw problems.notFound('customer', id);
    return res;
  }

  /** Everything held about a person (GDPR access). */
  async export(id: string): Promise<Record<string, unknown>> {
    const root = await this.requireRoot(id);
    const profile = await this.get(root);
    const rows = await ids.members(this.db, root);
    const rowIds = rows.map((r) => r.id);
    const [events, orders, views, affinities, consents, merges, conflicts, notes] = await Promise.all([
      this.db.selectFrom('customer_events').selectAll().where('customer_id', 'in', rowIds).orderBy('ts').execute(),
      store.orders(this.db, rowIds),
      store.views(this.db, rowIds),
      store.affinities(this.db, rowIds),
      store.consents(this.db, rowIds),
      ids.mergesOf(this.db, rowIds),
      ids.conflictsOf(this.db, rowIds),
      notesOf(this.db, rowIds),
    ]);
    const lines = orders.length
      ? await this.db
          .selectFrom('customer_order_lines')
          .selectAll()
          .where(
            'order_id',
            'in',
            orders.map((o) => o.order_id),
          )
          .execute()
      : [];
    const extras = (await this.deps.exportExtras?.(rowIds)) ?? {};
    return {
      exported_at: this.clock.now().toISOString(),
      profile,
      profile_rows: rows.map(({ password_hash, ...r }) => ({ ...r, has_password: password_hash !== null })),
      consents,
      events,
      orders: orders.map((o) => ({ ...o, lines: lines.filter((l) => l.order_id === o.order_id) })),
      product_views: views,
      affinities,
      merges,
      merge_conflicts: conflicts,
      notes,
      ...extras,
    };
  }

  /** Erases a person's personal data; orders stay, tied to a bare id. Other modules erase on `customer.erased`. */
  async erase(
    id: string,
    by: string,
    opts: { trx?: Executor } = {},
  ): Promise<{ customer_id: string; erased_ids: string[] }> {
    const at = this.clock.now();
    const res = await inTx(this.db, opts.trx, async (trx: Tx) => {
      const root = await this.requireRoot(id, trx);
      await ids.lockCustomers(trx, [root]);
      const memberIds = (await ids.members(trx, root)).map((m) => m.id);
      await store.erase(trx, memberIds, at);
      // Their tokens are refused from this commit on (a token outliving the person would still act).
      await this.deps.revokeSessions?.(memberIds, trx);
      await emit(
        trx,
        { type: 'customer.erased', aggregateId: root, payload: { customer_id: root, customer_ids: memberIds, by } },
        at,
      );
      return { customer_id: root, erased_ids: memberIds };
    });
    this.deps.nudge?.();
    return res;
  }

  async register(input: {
    email: string;
    password: string;
    first_name?: string | undefined;
    last_name?: string | undefined;
    channelId: string;
  }): Promise<{ customer_id: string; token: string; expires_at: string }> {
    const email = normaliseIdentifier('email', input.email);
    if ('error' in email) throw problems.field('email', email.error);
    if (input.password.length < MIN_PASSWORD)
      throw problems.field('password', `must be at least ${MIN_PASSWORD} characters`);
    const owner = await ids.accountByEmail(this.db, email.value);
    if (owner) {
      const hasAccount = (await ids.members(this.db, owner.root_id)).some((m) => m.password_hash);
      // Claiming a profile another channel created needs proof of the inbox (not built yet): refuse
      // rather than hand that person's history to whoever types their email.
      if (hasAccount)
        throw problems.duplicate('an account with this email exists', [
          { field: 'email', message: 'already registered' },
        ]);
      throw problems.conflict(
        'a customer profile with this email exists; it can be claimed through email verification',
      );
    }
    const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
    const at = this.clock.now();
    const names = {
      ...(input.first_name ? { first_name: input.first_name } : {}),
      ...(input.last_name ? { last_name: input.last_name } : {}),
    };
    let res: IdentifyResult;
    try {
      res = await inTx(this.db, undefined, (trx) =>
        identifyInTx(trx, at, {
          identifiers: [{ kind: 'email', value: email.value }],
          strict: true,
          source: `register:${input.channelId}`,
          passwordHash,
          names,
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate('an account with this email exists', [
          { field: 'email', message: 'already registered' },
        ]);
      throw err;
    }
    this.deps.nudge?.();
    return { customer_id: res.customer_id, ...this.deps.issueCustomerToken(res.customer_id, input.channelId) };
  }

  async login(
    emailRaw: string,
    password: string,
    channelId: string,
  ): Promise<{ customer_id: string; token: string; expires_at: string }> {
    const email = normaliseIdentifier('email', emailRaw);
    const owner = 'value' in email ? await ids.accountByEmail(this.db, email.value) : undefined;
    const rows = owner && owner.status !== 'erased' ? await ids.members(this.db, owner.root_id) : [];
    const hash = rows.find((r) => r.password_hash)?.password_hash;
    // One argon2 verification whether or not there is an account (platform/auth/passwords.ts).
    const ok = await verifyPassword(hash, password);
    if (!owner || !ok) throw new AppError('unauthorized', 'email or password is wrong');
    return { customer_id: owner.root_id, ...this.deps.issueCustomerToken(owner.root_id, channelId) };
  }

  /** Creates the coming months' event partitions (a daily job). */
  ensurePartitions(months = 3): Promise<string[]> {
    const now = this.clock.now();
    return eventsStore.ensurePartitions(
      this.db,
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
      months,
    );
  }
}
