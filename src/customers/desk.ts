/**
 * The contact-center desk (issue 14): find a person, the whole 360 in one answer, notes. Reads only;
 * the agent's actions go through the modules that own them (carts, orders, returns, consents, unmerge).
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { inTx } from '../platform/db/tx.js';
import { problems } from '../platform/http/problems.js';
import type { ListScope } from '../platform/auth/policy.js';
import * as ids from './identity-store.js';
import * as desk from './desk-store.js';
import { SEARCH_LIMIT_MAX, planSearch } from './search-rules.js';
import type { ChannelLookup, PersonActivityLookup, PersonOrder, PersonReturn } from './ports.js';
import type { CustomersService } from './service.js';
import type { Customer360, Recommendation } from './types.js';
import type { ReadRouter } from '../platform/db/replica.js';

/** The retailer's home country: national phone numbers typed without a prefix are read in it. */
export const HOME_COUNTRY: CountryCode = 'ES';
export const NOTE_MAX = 2000;

export interface SearchResult {
  id: string;
  first_name: string | null;
  last_name: string | null;
  emails: string[];
  phones: string[];
  loyalty_cards: string[];
  /** What matched: email, phone, loyalty_card, pos_customer, marketplace_buyer, order, id, name. */
  matched: string[];
}

export interface Note {
  id: string;
  customer_id: string;
  body: string;
  author: string;
  created_at: string;
}

export interface MergeView {
  id: string;
  survivor_id: string;
  absorbed_id: string;
  /** Why they were merged: the identifier that matched and the identification that saw it. */
  reason: string;
  created_at: string;
  undone_at: string | null;
  undone_by: string | null;
  /** The absorbed profile's own name and identifiers: the evidence an agent weighs before an undo. */
  absorbed: { first_name: string | null; last_name: string | null; identifiers: { kind: string; value: string }[] };
}

export interface Desk360 {
  profile: Customer360;
  orders: PersonOrder[];
  returns: PersonReturn[];
  recommendations: { personalised: boolean; items: Recommendation[] };
  merges: MergeView[];
  notes: Note[];
}

const ORDERS_IN_360 = 50;

export class CustomerDesk {
  private activity: PersonActivityLookup | undefined;
  /** Lag-tolerant reads (DATABASE_READ_URL): the search; notes are written and read on the primary. */
  private reads: ReadRouter | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly customers: CustomersService,
    private readonly channel: ChannelLookup,
  ) {}

  useReads(reads: ReadRouter): void {
    this.reads = reads;
  }

  private async reader(): Promise<Db> {
    return this.reads ? this.reads.reader() : this.db;
  }

  /** Wired once the orders and returns modules exist (they are composed after customers). */
  setActivity(a: PersonActivityLookup): void {
    this.activity = a;
  }

  /**
   * Every reading of the query is an index probe; hits resolve to their person (a merged profile's
   * identifier finds the survivor). `scope` is the policy's list scope: a key sees the people its
   * channel has met. A location scope does not narrow people (customers belong to no store: the
   * policy lets a till look anyone up).
   */
  async search(query: string, limit: number, scope: ListScope): Promise<{ items: SearchResult[]; read_as: string[] }> {
    const planned = planSearch(query, HOME_COUNTRY);
    if ('error' in planned) throw problems.field('query', planned.error);
    const { plan } = planned;
    const n = Math.min(limit, SEARCH_LIMIT_MAX);
    const db = await this.reader();
    const hits = (
      await Promise.all([
        desk.byIdentifiers(db, plan.identifiers),
        plan.orderId ? desk.byOrder(db, plan.orderId) : [],
        plan.customerId ? desk.byId(db, plan.customerId) : [],
        plan.name ? desk.byName(db, plan.name, n) : [],
      ])
    ).flat();
    const matched = new Map<string, Set<string>>();
    for (const h of hits) {
      const set = matched.get(h.root_id) ?? new Set<string>();
      set.add(h.matched);
      matched.set(h.root_id, set);
    }
    let roots = [...matched.keys()];
    if (scope.customerId) roots = roots.filter((r) => r === scope.customerId);
    if (scope.channelId) {
      const code = (await this.channel(scope.channelId))?.code;
      const seen = await desk.seenInChannel(db, roots, { id: scope.channelId, code });
      roots = roots.filter((r) => seen.has(r));
    }
    roots = roots.slice(0, n);
    const people = await desk.summaries(db, roots);
    const valuesOf = (p: desk.PersonSummary, kind: string) =>
      p.identifiers.filter((i) => i.kind === kind).map((i) => i.value);
    const items = roots.flatMap((r) => {
      const p = people.get(r);
      if (!p) return [];
      return [
        {
          id: r,
          first_name: p.first_name,
          last_name: p.last_name,
          emails: valuesOf(p, 'email'),
          phones: valuesOf(p, 'phone'),
          loyalty_cards: valuesOf(p, 'loyalty_card'),
          matched: [...matched.get(r)!].sort(),
        },
      ];
    });
    const readAs = [
      ...plan.identifiers.map((i) => `${i.kind}:${i.value}`),
      ...(plan.orderId ? [`order:${plan.orderId}`] : []),
      ...(plan.customerId ? [`id:${plan.customerId}`] : []),
      ...(plan.name ? [`name:${plan.name}`] : []),
    ];
    return { items, read_as: readAs };
  }

  /** The whole 360 in one answer: profile, orders and returns of every channel, merges, notes, recommendations. */
  async view(id: string): Promise<Desk360> {
    // The profile may come from the replica; notes (the agent's own writes) and merges from the primary.
    const profile = await this.customers.get(id, { trx: await this.reader() });
    const rowIds = [profile.id, ...profile.merged_ids];
    const [orders, returns, recommendations, merges, notes] = await Promise.all([
      this.activity ? this.activity.orders(rowIds, ORDERS_IN_360) : [],
      this.activity ? this.activity.returns(rowIds, ORDERS_IN_360) : [],
      this.customers.recommendations(profile.id),
      this.merges(rowIds),
      desk.notesOf(this.db, rowIds),
    ]);
    return {
      profile,
      orders: orders.sort((a, b) => b.placed_at.localeCompare(a.placed_at)).slice(0, ORDERS_IN_360),
      returns: returns.sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, ORDERS_IN_360),
      recommendations: { personalised: recommendations.personalised, items: recommendations.items },
      merges,
      notes: notes.map(toNote),
    };
  }

  private async merges(rowIds: string[]): Promise<MergeView[]> {
    const merges = await ids.mergesOf(this.db, rowIds);
    const absorbed = [...new Set(merges.map((m) => m.absorbed_id))];
    const [rows, idents] = await Promise.all([
      absorbed.length
        ? this.db
            .selectFrom('customers')
            .select(['id', 'first_name', 'last_name'])
            .where('id', 'in', absorbed)
            .execute()
        : [],
      ids.identifiersOf(this.db, absorbed),
    ]);
    return merges
      .map((m) => {
        const row = rows.find((r) => r.id === m.absorbed_id);
        return {
          id: m.id,
          survivor_id: m.survivor_id,
          absorbed_id: m.absorbed_id,
          reason: m.reason,
          created_at: m.created_at.toISOString(),
          undone_at: m.undone_at?.toISOString() ?? null,
          undone_by: m.undone_by,
          absorbed: {
            first_name: row?.first_name ?? null,
            last_name: row?.last_name ?? null,
            identifiers: idents
              .filter((i) => i.customer_id === m.absorbed_id && i.kind !== 'anonymous_id')
              .map((i) => ({ kind: i.kind, value: i.value })),
          },
        };
      })
      .reverse();
  }

  async notes(id: string): Promise<Note[]> {
    const profile = await this.customers.get(id);
    return (await desk.notesOf(this.db, [profile.id, ...profile.merged_ids])).map(toNote);
  }

  async addNote(id: string, body: string, author: string): Promise<Note> {
    const text = body.trim();
    if (!text) throw problems.field('body', 'must not be blank');
    if (text.length > NOTE_MAX) throw problems.field('body', `must have at most ${NOTE_MAX} characters`);
    const at = this.clock.now();
    const row = await inTx(this.db, undefined, async (trx) => {
      const root = await this.customers.resolve(id, { trx });
      // Locked like an erasure locks it: a note never lands on a person erased meanwhile.
      const [locked] = root ? await ids.lockCustomers(trx, [root]) : [];
      if (!locked || locked.status !== 'active') throw problems.notFound('customer', id);
      const note = { id: newId('cnt', at.getTime()), customer_id: locked.id, body: text, author, created_at: at };
      await desk.insertNote(trx, note);
      return note;
    });
    return toNote(row);
  }
}

function toNote(n: { id: string; customer_id: string; body: string; author: string; created_at: Date }): Note {
  return {
    id: n.id,
    customer_id: n.customer_id,
    body: n.body,
    author: n.author,
    created_at: n.created_at.toISOString(),
  };
}
