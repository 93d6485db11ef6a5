/**
 * Behaviour events go in per batch: one multi-row insert and one aggregated roll-up statement per
 * batch (src/customers/events-store.ts), never one per event. This proves that the per-batch path
 * gives exactly what applying the events one at a time gives: the same stored events, the same
 * duplicates skipped (client event ids, retried batches, an id repeated inside a batch) and the same
 * per-day, per-product and affinity roll-ups, row for row. Runs on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { CustomersService } from '../../src/customers/service.js';
import { customerChecks } from '../../src/customers/doctor.js';
import type { Executor } from '../../src/platform/db/schema.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const DAY = 86_400_000;

/** A small deterministic PRNG so both databases receive the very same events. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

type Ev = Record<string, unknown>;

/**
 * Three phases of batches: (1) events of known and not-yet-known e-mails (the latter create their
 * profile) and anonymous browsing; (2) identifications that link anonymous ids to e-mails (their
 * anonymous history is attached); (3) more of everything, anonymous ids now resolving to people.
 * About half the events carry a client id; some batches are retried and one repeats an id inside it.
 */
function workload(): Ev[][] {
  const r = rng(17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const people = Array.from({ length: 12 }, (_, i) => `p${i}@example.com`);
  const anons = Array.from({ length: 6 }, (_, i) => `anon-${i}`);
  let clientSeq = 0;
  const event = (who: Ev): Ev => {
    const k = r();
    // timestamps over ~70 days: three monthly partitions, several events per person and day
    const timestamp = new Date(NOW - Math.floor(r() * 70) * DAY - Math.floor(r() * 4) * 3_600_000).toISOString();
    const p = Math.floor(r() * 6);
    const base =
      k < 0.45
        ? {
            type: 'product_viewed',
            properties: { product_id: `prd_${p}`, category: pick(['shoes', 'bags', 'coats']), size: pick(['S', 'M']) },
          }
        : k < 0.65
          ? {
              type: 'added_to_cart',
              properties: {
                sku: `sku_${p}`,
                quantity: 1,
                product_id: `prd_${p}`,
                category: 'shoes',
                size: pick(['38', '39']),
              },
            }
          : k < 0.8
            ? { type: 'store_visit', channel: 'pos', properties: { location_id: pick(['loc_a', 'loc_b']) } }
            : { type: 'search', properties: { query: `q${p}` } };
    return { ...base, ...who, timestamp, ...(r() < 0.5 ? { id: `ev-${++clientSeq}` } : {}) };
  };
  const known = () => ({ identifiers: { email: pick(people) } });
  const anonymous = () => ({ anonymous_id: pick(anons) });
  const batches: Ev[][] = [];
  for (let b = 0; b < 6; b++) batches.push(Array.from({ length: 25 }, () => event(r() < 0.7 ? known() : anonymous())));
  // a retried batch (same client ids and timestamps) and a batch repeating an id inside it
  batches.push(batches[2]!.map((e) => ({ ...e })));
  const withRepeat = Array.from({ length: 10 }, () => event(known()));
  withRepeat.push({ ...withRepeat[3]!, id: withRepeat[3]!.id ?? 'ev-repeat' });
  withRepeat[3] = { ...withRepeat[3]!, id: withRepeat[3]!.id ?? 'ev-repeat' };
  batches.push(withRepeat);
  // identifications: each anonymous id (but the last) is linked to a person
  batches.push(
    anons
      .slice(0, -1)
      .map((a, i) => event({ anonymous_id: a, identifiers: { email: people[(i * 5) % people.length]! } })),
  );
  for (let b = 0; b < 6; b++) batches.push(Array.from({ length: 25 }, () => event(r() < 0.5 ? known() : anonymous())));
  batches.push(batches[10]!.map((e) => ({ ...e })));
  // batches without client ids: on PostgreSQL, COPY straight into the events and roll-ups aggregated in the process
  for (let b = 0; b < 2; b++)
    batches.push(
      Array.from({ length: 20 }, () => {
        const { id: _id, ...e } = event(r() < 0.8 ? known() : anonymous());
        return e;
      }),
    );
  return batches;
}

async function service(db: TestDatabase, clock: ManualClock): Promise<CustomersService> {
  const svc = new CustomersService(db.db, clock, {
    channel: async (c) => (c === 'web' || c === 'pos' ? { code: c, type: c } : undefined),
    issueCustomerToken: () => ({ token: 't', expires_at: '' }),
  });
  // half the people are known before any event; the others are created by their first event
  for (let i = 0; i < 12; i += 2) await svc.identify({ identifiers: { email: `p${i}@example.com` }, channel: 'web' });
  return svc;
}

/** The roll-ups keyed by the person's e-mail (profile ids differ between the two databases). */
async function rollups(db: Executor) {
  const person = sql`(select i.value from customer_identifiers i where i.customer_id = t.customer_id and i.kind = 'email' limit 1)`;
  const daily =
    await sql`select ${person} as email, day::text, channel, channel_kind, events, views, cart_adds, store_visits,
      first_at, last_at from customer_daily t order by 1, 2, 3, 4`.execute(db);
  const views = await sql`select ${person} as email, product_id, views, last_viewed_at, category, size
      from customer_product_views t order by 1, 2`.execute(db);
  const affinities =
    await sql`select ${person} as email, kind, value, weight from customer_affinities t order by 1, 2, 3`.execute(db);
  const events = await sql<
    Record<string, unknown>
  >`select (select i.value from customer_identifiers i where i.customer_id = t.customer_id and i.kind = 'email' limit 1) as email,
      client_id, ts, type, anonymous_id, channel, channel_kind, product_id, properties
      from customer_events t order by ts, client_id nulls first, type, anonymous_id nulls first, properties::text`.execute(
    db,
  );
  return { daily: daily.rows, views: views.rows, affinities: affinities.rows, events: events.rows };
}

describe('event ingestion per batch', () => {
  const clock = new ManualClock(new Date(NOW).toISOString());
  let batched: TestDatabase;
  let single: TestDatabase;
  beforeAll(async () => {
    batched = await createTestDatabase({ poolSize: 4 });
    single = await createTestDatabase({ poolSize: 4 });
  });
  afterAll(async () => {
    await batched?.close();
    await single?.close();
  });

  it('stores, deduplicates and rolls up exactly as applying the events one at a time', async () => {
    const batches = workload();
    const perBatch = await service(batched, clock);
    const perEvent = await service(single, clock);
    const totals = (rs: { accepted: number; duplicates: number; rejected: unknown[] }[]) => ({
      accepted: rs.reduce((s, x) => s + x.accepted, 0),
      duplicates: rs.reduce((s, x) => s + x.duplicates, 0),
      rejected: rs.reduce((s, x) => s + x.rejected.length, 0),
    });
    const a = [];
    const b = [];
    for (const batch of batches) {
      a.push(await perBatch.ingest(batch, { defaultChannel: 'web', source: 'test' }));
      for (const e of batch) b.push(await perEvent.ingest([e], { defaultChannel: 'web', source: 'test' }));
    }
    const ta = totals(a);
    expect(ta).toEqual(totals(b));
    expect(a.flatMap((x) => x.rejected)).toEqual([]);
    // the retried batches and the id repeated inside a batch were skipped, not stored twice
    const retried = [batches[2]!, batches[10]!].flat().filter((e) => e.id !== undefined).length;
    expect(ta.duplicates).toBe(retried + 1);

    const got = await rollups(batched.db);
    const want = await rollups(single.db);
    expect(got.events.length).toBe(ta.accepted - ta.duplicates);
    expect(got.events).toEqual(want.events);
    expect(got.daily).toEqual(want.daily);
    expect(got.views).toEqual(want.views);
    expect(got.affinities).toEqual(want.affinities);
    // not vacuous: every roll-up has rows, anonymous history was attached, one anonymous id stayed anonymous
    expect(got.daily.length).toBeGreaterThan(50);
    expect(got.views.length).toBeGreaterThan(10);
    expect(got.affinities.length).toBeGreaterThan(5);
    expect(got.events.some((e) => e.anonymous_id === 'anon-0' && e.email !== null)).toBe(true);
    expect(got.events.some((e) => e.anonymous_id === 'anon-5' && e.email === null)).toBe(true);
    for (const db of [batched, single])
      for (const c of customerChecks) expect((await c.run(db.db, clock.now())).status).toBe('ok');
  });
});
