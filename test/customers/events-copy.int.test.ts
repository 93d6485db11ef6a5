/**
 * On PostgreSQL a batch of behaviour events goes in through COPY into a per-session staging table and
 * one insert…select that keeps the unnest statement's ON CONFLICT and roll-ups (events-copy.ts). This
 * feeds the very same batches through both paths, into two databases, and asks for the same answer:
 * the same counts per batch, the same stored rows (texts COPY must escape, NULLs, three partitions) and
 * the same roll-ups row for row, with retried and repeated client event ids skipped. On PGlite there is
 * no pg client under a transaction: the test proves the fallback (ingestion then takes the unnest path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { copyInOf } from '../../src/platform/db/pg-client.js';
import type { Executor } from '../../src/platform/db/schema.js';
import { CustomersService } from '../../src/customers/service.js';
import { COPY_MIN_EVENTS, copyEvents, copyText, isoOf } from '../../src/customers/events-copy.js';
import { emptyColumns, insertEvents, type EventColumns } from '../../src/customers/events-store.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
const AT = new Date(NOW);
/** Texts COPY's text format must escape (tab, newline, carriage return, backslash) or could misread. */
const AWKWARD = ['tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', '\\.', 'é 😀 "q"'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface Batch {
  cols: EventColumns;
  props: string[];
}

/**
 * Eight batches of 40 events over ~70 days; batch 3 retries batch 1, batch 4 repeats a client id inside
 * it, batches 5 and 6 carry no client id, batch 7 neither but a store visit's size is a number.
 */
function batches(): Batch[] {
  const r = rng(4);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  let seq = 0;
  const make = (): Batch => {
    const cols: EventColumns = emptyColumns(AT);
    const props: string[] = [];
    for (let i = 0; i < 40; i++) {
      const k = r();
      const type = k < 0.45 ? 'product_viewed' : k < 0.65 ? 'added_to_cart' : k < 0.8 ? 'store_visit' : 'search';
      const product = type === 'product_viewed' || type === 'added_to_cart' ? `prd_${Math.floor(r() * 5)}` : null;
      const known = r() < 0.75;
      cols.id.push(`cev_t${++seq}`);
      cols.client_id.push(r() < 0.5 ? `c-${seq}` : null);
      cols.ts.push(NOW - Math.floor(r() * 70) * DAY - Math.floor(r() * 5) * 3_600_000 - Math.floor(r() * 1000));
      cols.type.push(type);
      cols.customer_id.push(known ? `cus_${Math.floor(r() * 6)}` : null);
      cols.anonymous_id.push(known ? null : `anon ${pick(AWKWARD)}`);
      cols.device_id.push(r() < 0.2 ? `dev ${pick(AWKWARD)}` : null);
      cols.channel.push(type === 'store_visit' ? 'pos' : 'web');
      cols.channel_kind.push(type === 'store_visit' ? 'store' : 'online');
      cols.product_id.push(product);
      props.push(
        JSON.stringify({
          ...(product ? { product_id: product } : {}),
          ...(type === 'store_visit' ? { location_id: pick(['loc_a', 'loc_b']) } : {}),
          ...(r() < 0.7 ? { category: pick(['shoes', 'bags', AWKWARD[3]!]) } : {}),
          ...(r() < 0.7 ? { size: pick(['S', 'M', 'tab\tsize']) } : {}),
          note: pick(AWKWARD),
          nested: { a: [1, 2.5, null, true], s: pick(AWKWARD) },
        }),
      );
    }
    return { cols, props };
  };
  const out = [make(), make(), make()];
  // a retried batch: same client ids and times, new row ids (each attempt draws its own)
  const retry = structuredClone(out[1]!);
  retry.cols.id = retry.cols.id.map((id) => `${id}_r`);
  retry.cols.received_at = AT;
  out.push(retry);
  // a client id repeated inside a batch (same time): stored once
  const repeat = make();
  repeat.cols.client_id[7] = 'c-repeat';
  repeat.cols.client_id[21] = 'c-repeat';
  repeat.cols.ts[21] = repeat.cols.ts[7]!;
  // no client event ids: COPY straight into customer_events, roll-ups aggregated in the process
  const direct = make();
  direct.cols.client_id.fill(null);
  const direct2 = make();
  direct2.cols.client_id.fill(null);
  // crowded into two days, times out of arrival order: several events per person, day and product
  direct2.cols.ts = direct2.cols.ts.map((_, i) => NOW - (i % 2) * DAY - ((i * 7_919_993) % 80_000_000));
  // two views of one product at the same time: the later arrival's category and size are the last seen
  for (const [i, category, size] of [
    [0, 'first', 'S'],
    [1, 'second', 'M'],
  ] as const) {
    direct2.cols.type[i] = 'product_viewed';
    direct2.cols.customer_id[i] = 'cus_tie';
    direct2.cols.product_id[i] = 'prd_tie';
    direct2.cols.ts[i] = NOW - 5 * DAY;
    direct2.props[i] = JSON.stringify({ product_id: 'prd_tie', category, size });
  }
  // no client ids, but a size that is not a string: ->> prints it, so the batch keeps the SQL roll-ups
  const odd = make();
  odd.cols.client_id.fill(null);
  const visit = odd.cols.type.indexOf('store_visit');
  odd.cols.customer_id[visit] = 'cus_0';
  odd.props[visit] = JSON.stringify({ ...(JSON.parse(odd.props[visit]!) as object), size: 42.5 });
  out.push(repeat, direct, direct2, odd);
  return out;
}

const joined = (b: Batch): EventColumns => ({ ...b.cols, properties: `[${b.props.join(',')}]` });

async function contents(db: Executor) {
  const q = async (text: string) => (await sql.raw<Record<string, unknown>>(text).execute(db)).rows;
  return {
    events: await q(`select id, client_id, ts, type, customer_id, anonymous_id, device_id, channel, channel_kind,
      product_id, properties, received_at, tableoid::regclass::text as part from customer_events order by id`),
    daily: await q(`select * from customer_daily order by customer_id, day, channel, channel_kind`),
    views: await q(`select * from customer_product_views order by customer_id, product_id`),
    affinities: await q(`select * from customer_affinities order by customer_id, kind, value`),
  };
}

describe(`event batches through COPY (${onPostgres ? 'PostgreSQL' : 'PGlite: the fallback'})`, () => {
  let viaCopy: TestDatabase;
  let viaUnnest: TestDatabase;
  beforeAll(async () => {
    viaCopy = await createTestDatabase({ poolSize: 2 });
    viaUnnest = await createTestDatabase({ poolSize: 2 });
  });
  afterAll(async () => {
    await viaCopy?.close();
    await viaUnnest?.close();
  });

  it('formats event times as Date#toISOString does', () => {
    const r = rng(9);
    const samples = [0, 951_782_400_000, 4_107_542_399_999, NOW, Date.parse('2028-02-29T23:59:59.999Z')];
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor(r() * 4_102_444_800_000));
    for (const ms of samples) expect(isoOf(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes one escaped COPY line per event, NULL as \\N', () => {
    const b = batches()[0]!;
    const lines = copyText(b.cols, b.props).split('\n');
    expect(lines).toHaveLength(41); // 40 lines and the final newline
    for (const line of lines.slice(0, -1)) expect(line.split('\t')).toHaveLength(12);
    expect(copyText(b.cols, b.props)).not.toMatch(/\r/);
  });

  it('stores, skips and rolls up exactly what the unnest statement does', async () => {
    const all = batches();
    const got: { n: number; attributed: number }[] = [];
    const want: { n: number; attributed: number }[] = [];
    for (const b of all) {
      got.push(
        await viaCopy.db.transaction().execute(async (trx) => {
          const copyIn = await copyInOf(trx);
          if (!onPostgres) {
            expect(copyIn).toBeUndefined(); // PGlite: no COPY, ingestion keeps the unnest statement
            return insertEvents(trx, joined(b));
          }
          expect(copyIn).toBeDefined();
          return copyEvents(
            trx,
            copyIn!,
            b.cols,
            b.props,
            b.props.map((x) => JSON.parse(x) as Record<string, unknown>),
          );
        }),
      );
      want.push(await viaUnnest.db.transaction().execute((trx) => insertEvents(trx, joined(b))));
    }
    expect(got).toEqual(want);
    // the retried batch's client ids and the repeated id were skipped, the rest stored
    const withClientId = all[1]!.cols.client_id.filter((x) => x !== null).length;
    expect(got[3]!.n).toBe(40 - withClientId);
    expect(got[4]!.n).toBe(39);

    const a = await contents(viaCopy.db);
    const b = await contents(viaUnnest.db);
    expect(a.events).toHaveLength(all.reduce((s, x) => s + x.cols.id.length, 0) - withClientId - 1);
    expect(a.events).toEqual(b.events);
    expect(a.daily).toEqual(b.daily);
    expect(a.views).toEqual(b.views);
    expect(a.affinities).toEqual(b.affinities);
    // not vacuous: three partitions, awkward texts stored as sent, every roll-up has rows
    expect(new Set(a.events.map((e) => e.part)).size).toBeGreaterThanOrEqual(3);
    expect(a.events.some((e) => e.anonymous_id === 'anon tab\there')).toBe(true);
    expect(a.events.some((e) => (e.properties as { note?: string }).note === 'back\\slash')).toBe(true);
    expect(a.affinities.some((x) => x.value === 'tab\tsize')).toBe(true);
    expect(a.affinities.some((x) => x.kind === 'size' && x.value === '42.5')).toBe(true);
    expect(a.views.find((x) => x.customer_id === 'cus_tie')).toMatchObject({ category: 'second', size: 'M' });
    expect(a.daily.length).toBeGreaterThan(20);
    expect(a.views.length).toBeGreaterThan(5);
  });

  it('ingestion takes COPY on PostgreSQL from COPY_MIN_EVENTS events; batches in one transaction and a retry stay apart', async () => {
    const clock = new ManualClock(new Date(NOW).toISOString());
    const svc = new CustomersService(viaCopy.db, clock, {
      channel: async (c) => (c === 'web' ? { code: c, type: c } : undefined),
      issueCustomerToken: () => ({ token: 't', expires_at: '' }),
    });
    const person = (await svc.identify({ identifiers: { email: 'copy@example.com' }, channel: 'web' })).customer_id;
    const batch = Array.from({ length: COPY_MIN_EVENTS }, (_, i) => ({
      id: `svc-${i}`,
      type: 'search',
      timestamp: new Date(NOW - i * DAY).toISOString(),
      customer_id: person,
      properties: { query: `q\t${i}` },
    }));
    const other = batch.map(({ id: _id, ...e }, i) => ({ ...e, properties: { query: `other ${i}` } }));
    const staged = await viaCopy.db.transaction().execute(async (trx) => {
      // three batches in one transaction: each statement must read its own batch only
      const first = await svc.ingest(batch, { defaultChannel: 'web', source: 'test' }, { trx });
      const second = await svc.ingest(other, { defaultChannel: 'web', source: 'test' }, { trx });
      const retry = await svc.ingest(batch, { defaultChannel: 'web', source: 'test' }, { trx });
      expect(first).toMatchObject({ accepted: COPY_MIN_EVENTS, duplicates: 0 });
      expect(second).toMatchObject({ accepted: COPY_MIN_EVENTS, duplicates: 0 });
      expect(retry).toMatchObject({ accepted: COPY_MIN_EVENTS, duplicates: COPY_MIN_EVENTS });
      // PostgreSQL: the batches went through the session's staging table, emptied by each statement
      const t = await sql<{ t: string | null }>`select to_regclass('pg_temp.customer_events_in')::text as t`.execute(
        trx,
      );
      if (!t.rows[0]!.t) return null;
      return (await sql<{ n: number }>`select count(*)::int as n from customer_events_in`.execute(trx)).rows[0]!.n;
    });
    expect(staged).toBe(onPostgres ? 0 : null);
    const stored = await sql<{ n: number; events: number }>`select count(*)::int as n,
      (select sum(events)::int from customer_daily where customer_id = ${person}) as events
      from customer_events where customer_id = ${person}`.execute(viaCopy.db);
    expect(stored.rows[0]).toEqual({ n: 2 * COPY_MIN_EVENTS, events: 2 * COPY_MIN_EVENTS });
  });
});
