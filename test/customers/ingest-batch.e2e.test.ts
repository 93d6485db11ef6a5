/**
 * What `POST /v1/events` acknowledges is stored, whole and exact: every accepted event of a batch is
 * a row with the time, type, people, channel and properties that were sent (the batch goes in as
 * column arrays, times as epoch milliseconds and properties as one JSON array — events-store.ts), and
 * the roll-ups count exactly those rows. A bad event is refused on its own with a problem document
 * (the contract in docs/customers.md), never stored in part; a refused batch stores nothing.
 * Runs on PGlite and, with OMNIA_TEST_DB=pg, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';

const NOW = '2026-06-15T12:00:00.000Z';
const DAY = 86_400_000;

interface Row {
  client_id: string;
  ts: Date;
  type: string;
  customer_id: string | null;
  anonymous_id: string | null;
  channel: string;
  channel_kind: string;
  product_id: string | null;
  properties: Record<string, unknown>;
  received_at: Date;
}

describe('event batches: acknowledged means stored, whole and exact', () => {
  let t: TestApp;
  let web: string;
  let people: string[];
  const clock = new ManualClock(NOW);
  beforeAll(async () => {
    t = await startTestApp({ clock });
    web = await t.apiKey('web', ['events:write', 'customers:read', 'customers:write']);
    await t.apiKey('pos', ['events:write'], { type: 'pos' });
    people = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.request('POST', '/v1/identify', {
        token: web,
        body: { identifiers: { email: `b${i}@x.org` } },
      });
      people.push(r.body.customer_id);
    }
  });
  afterAll(async () => t?.close());

  const rows = async (prefix: string) =>
    (
      await sql<Row>`select client_id, ts, type, customer_id, anonymous_id, channel, channel_kind, product_id, properties,
        received_at from customer_events where client_id like ${`${prefix}%`} order by client_id`.execute(
        t.omnia.ctx.db,
      )
    ).rows;
  const post = (events: unknown[]) => t.request('POST', '/v1/events', { token: web, body: { events } });

  it('stores every event of an acknowledged batch with what was sent, and rolls up exactly those', async () => {
    const base = Date.parse(NOW);
    const msOf = (i: number) => base - (i % 80) * DAY - i * 7_919_001 - (i % 997);
    const sent = Array.from({ length: 300 }, (_, i) => {
      // odd milliseconds over ~80 days (three monthly partitions), and a few sub-millisecond inputs
      const ms = msOf(i);
      const timestamp = i % 50 === 0 ? new Date(ms).toISOString().replace('Z', '456Z') : new Date(ms).toISOString();
      const who = i % 4 === 3 ? { anonymous_id: `anon-${i % 7}` } : { customer_id: people[i % people.length]! };
      const kind = i % 5;
      const [type, properties] =
        kind === 0
          ? ['product_viewed', { product_id: `prd_${i % 9}`, category: 'coats', size: 'M', note: 'say "hi" \\ é 😀' }]
          : kind === 1
            ? ['search', { query: `q ${i}`, results: i, nested: { a: [1, 2.5, null, true], b: { c: 'd' } } }]
            : kind === 2
              ? ['added_to_cart', { sku: `sku_${i}`, product_id: `prd_${i % 9}`, quantity: 1 + (i % 3) }]
              : kind === 3
                ? ['store_visit', { location_id: `loc_${i % 3}` }]
                : ['page_viewed', { path: `/p/${i}?a=1&b=2`, referrer: "l'autre" }];
      return {
        id: `ack-${String(i).padStart(4, '0')}`,
        type,
        timestamp,
        ...(type === 'store_visit' ? { channel: 'pos' } : {}),
        ...who,
        properties,
      };
    });
    const res = await post(sent);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 300, suppressed: 0, duplicates: 0, rejected: [] });

    const stored = await rows('ack-');
    expect(stored).toHaveLength(300);
    for (const [i, r] of stored.entries()) {
      const e = sent[i]! as Record<string, unknown> & { properties: Record<string, unknown> };
      expect(r.client_id).toBe(e.id);
      expect(r.ts.getTime()).toBe(msOf(i));
      expect(r.type).toBe(e.type);
      expect(r.customer_id).toBe(e.customer_id ?? null);
      expect(r.anonymous_id).toBe(e.anonymous_id ?? null);
      expect([r.channel, r.channel_kind]).toEqual(e.type === 'store_visit' ? ['pos', 'store'] : ['web', 'online']);
      expect(r.product_id).toBe(e.properties.product_id ?? null);
      expect(r.properties).toEqual(e.properties);
      expect(r.received_at.toISOString()).toBe(NOW);
    }
    // the per-day roll-up counts exactly the attributed rows of this batch
    const daily = await sql<{ n: number }>`select coalesce(sum(events), 0)::int as n from customer_daily`.execute(
      t.omnia.ctx.db,
    );
    expect(daily.rows[0]!.n).toBe(sent.filter((e) => 'customer_id' in e).length);
  });

  it('refuses a bad event on its own with a problem, and stores the others whole', async () => {
    const good = (i: number) => ({
      id: `mix-${i}`,
      type: 'search',
      timestamp: NOW,
      customer_id: people[0]!,
      properties: { query: `q${i}` },
    });
    const res = await post([
      good(0),
      // a NUL character cannot be stored in jsonb: without the check it failed the whole batch
      { ...good(1), properties: { query: 'a\u0000b' } },
      good(2),
      { ...good(3), type: 'teleported' },
      good(4),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.rejected).toEqual([
      {
        index: 1,
        problem: expect.objectContaining({
          type: 'https://omnia.dev/problems/validation_failed',
          status: 400,
          errors: [{ field: '/properties', message: 'must not contain the NUL character' }],
        }),
      },
      { index: 3, problem: expect.objectContaining({ type: 'https://omnia.dev/problems/unknown_event_type' }) },
    ]);
    const stored = await rows('mix-');
    expect(stored.map((r) => [r.client_id, r.properties])).toEqual([
      ['mix-0', { query: 'q0' }],
      ['mix-2', { query: 'q2' }],
      ['mix-4', { query: 'q4' }],
    ]);
    // a backslash followed by "u0000" is ordinary text, not a NUL
    const text = await post([{ ...good(5), properties: { query: 'C:\\u0000' } }]);
    expect(text.body.accepted).toBe(1);
    expect((await rows('mix-5'))[0]!.properties).toEqual({ query: 'C:\\u0000' });
  });

  it('refuses a batch over the limit with problem+json and stores none of it', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from customer_events`.execute(t.omnia.ctx.db);
    const events = Array.from({ length: 1001 }, (_, i) => ({
      id: `big-${i}`,
      type: 'search',
      timestamp: NOW,
      customer_id: people[1]!,
      properties: { query: 'q' },
    }));
    const res = await post(events);
    expect(res.status).toBe(400);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    const after = await sql<{ n: number }>`select count(*)::int as n from customer_events`.execute(t.omnia.ctx.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
