/**
 * Statements and CPU per reservation of the batcher, without HTTP (a profile, not a benchmark):
 * `clients` loops each reserve one unit at a time through `InventoryService.reserve` for `seconds`,
 * spread over the seeded SKUs (`spread`) or on one hot SKU (`hot`), and the pg client's queries are
 * counted by text. Prints statements per batch (a batch = a BEGIN), rows per batch, and CPU per
 * reservation of this process and of the database's backends (/proc).
 *
 *   node --import tsx bench/_reserve-statements.ts [--database-url URL] [--mode spread|hot]
 *     [--clients 64] [--seconds 5] [--stores 500] [--skus 2000] [--keep] [--explain 15]
 *
 * --explain N then runs N synthetic spread batches of 20 SKUs (each SKU's fullest stock row) through
 * the batch's statements — the candidates read, the grant with the summary sync, the reservations,
 * the outbox — each under EXPLAIN (ANALYZE, TIMING OFF) in a transaction that is rolled back, and
 * prints each statement's planning + execution time (median and best of N): PostgreSQL's time per
 * statement without the other backends' waits (the page reads of the stock rows are warmed first).
 *
 * Without --database-url it makes a database of its own (stores × SKUs, the inventory bench's shape)
 * and drops it; with one (the kept inventory-bench database) it reuses its `web` channel and SKUs.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { benchDatabase } from './_lib.js';
import { cpuMeter, perOp } from './_inventory-cpu.js';
import { connect } from '../src/platform/db/connect.js';
import { migrate } from '../src/platform/db/migrate.js';
import { systemClock } from '../src/platform/clock.js';
import { NetworkService } from '../src/network/index.js';
import { CatalogService } from '../src/catalog/index.js';
import { InventoryService } from '../src/inventory/index.js';
import type { DB } from '../src/platform/db/schema.js';
import { addReservedSynced, insertReservations, readPacked } from '../src/inventory/fixtures.js';
import { emit } from '../src/platform/events/outbox.js';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    mode: { type: 'string', default: 'spread' },
    clients: { type: 'string', default: '64' },
    seconds: { type: 'string', default: '5' },
    stores: { type: 'string', default: '500' },
    skus: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
    explain: { type: 'string', default: '0' },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);

const counts = new Map<string, number>();
let on = false;
/** --explain: statements (not begin/commit) go out under EXPLAIN ANALYZE; their times by text. */
let explaining = false;
const explained = new Map<string, number[]>();
type Query = (...x: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
const orig = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (
  this: unknown,
  ...a: unknown[]
) {
  const q = a[0] as string | { text?: string; values?: unknown[] } | undefined;
  const t = typeof q === 'string' ? q : (q?.text ?? '?');
  if (on) {
    const k = String(t).replace(/\s+/g, ' ').trim().slice(0, 100);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (explaining && !/^\s*(begin|commit|rollback)/i.test(t)) {
    // named statements come as { name, text, values }: sent unnamed here (EXPLAIN is another text)
    const params = typeof q === 'string' ? a[1] : q?.values;
    return orig.call(this, `explain (analyze, timing off, summary on) ${t}`, params).then((r) => {
      const plan = r.rows.map((x) => String(x['QUERY PLAN'])).join('\n');
      const ms = (re: RegExp) => Number(re.exec(plan)?.[1] ?? 0);
      const k = String(t).replace(/\s+/g, ' ').trim().slice(0, 60);
      const list = explained.get(k) ?? [];
      list.push(ms(/Planning Time: ([\d.]+)/) + ms(/Execution Time: ([\d.]+)/));
      explained.set(k, list);
      return { rows: [], rowCount: 0 };
    });
  }
  return orig.apply(this, a);
};

/** --explain: N synthetic 20-SKU spread batches, each statement under EXPLAIN ANALYZE, rolled back. */
async function explainBatches(db: Kysely<DB>, rounds: number): Promise<void> {
  const channel = (await sql<{ id: string }>`select id from channels where code = 'web'`.execute(db)).rows[0]!.id;
  for (let round = 0; round < rounds; round++) {
    const picks = (
      await sql<{ sku: string; location_id: string }>`
        select distinct on (l.sku) l.sku, l.location_id
        from (select sku from atp_summary where sku not like 'HOT-%' order by random() limit 20) s
        join stock_levels l on l.sku = s.sku
        where l.on_hand - l.reserved - l.safety_stock > 0
        order by l.sku, l.on_hand - l.reserved - l.safety_stock desc, l.location_id`.execute(db)
    ).rows;
    const skus = picks.map((x) => x.sku);
    await sql`select count(*) from stock_levels where sku = any(${sql.val(skus)}::text[])`.execute(db);
    await db
      .transaction()
      .execute(async (trx) => {
        const now = new Date();
        explaining = true;
        await readPacked(trx, skus, undefined, []);
        await addReservedSynced(
          trx,
          picks.map((x) => ({ ...x, quantity: 1 })),
          0,
          now,
        );
        const rows = picks.map((_, i) => ({
          id: `res_explain_${round}_${i}`,
          channel_id: channel,
          reference: 'explain',
          customer_id: null,
          status: 'active',
          expires_at: now,
          created_at: now,
          updated_at: now,
        }));
        const lines = picks.map((x, i) => ({
          ...x,
          reservation_id: rows[i]!.id,
          line_no: 1,
          quantity: 1,
          confirmed: 0,
        }));
        await insertReservations(trx, rows, lines);
        // a batch writes two events per reservation (reservation.created, inventory.changed)
        const payload = { sku: 'X', location_id: 'L', on_hand: 1, reserved: 1, in_transit: 0, available: 0 };
        await emit(
          trx,
          [...rows, ...rows].map((r) => ({
            type: 'inventory.changed',
            aggregateId: r.id,
            payload: { ...payload, availability: {} },
          })),
          now,
        );
        explaining = false;
        throw new Rollback();
      })
      .catch((e: unknown) => {
        explaining = false;
        if (!(e instanceof Rollback)) throw e;
      });
  }
  console.log(`per statement of a 20-SKU spread batch, planning + execution (ms), ${rounds} batches:`);
  for (const [k, v] of explained) {
    v.sort((x, y) => x - y);
    console.log(`  median ${v[v.length >> 1]!.toFixed(3)}  best ${v[0]!.toFixed(3)}  ${k}`);
  }
}
class Rollback extends Error {}

async function main() {
  const own = values['database-url'] ? undefined : await benchDatabase('resv');
  const url = values['database-url'] ?? own!.url;
  const database = await connect({ databaseUrl: url, poolSize: 16 });
  const db = database.db;
  try {
    await migrate(db);
    const network = new NetworkService(db, systemClock);
    const catalog = new CatalogService(db, systemClock, network);
    const inventory = new InventoryService({ db, clock: systemClock, network, catalog });
    let skus: string[];
    if (own) {
      const stores = Number(values.stores);
      const address = { line1: 'Calle 1', city: 'Madrid', postal_code: '28001', country: 'ES' };
      for (let i = 0; i < stores; i += 250)
        await network.createLocations(
          Array.from({ length: Math.min(250, stores - i) }, (_, j) => ({
            code: `s${i + j}`,
            type: 'store' as const,
            name: `Store ${i + j}`,
            lat: 40,
            lng: -3,
            address,
            capabilities: ['pickup' as const],
          })),
        );
      await network.createChannel({ code: 'web', type: 'web', name: 'Web', stock_policy: { safety_stock: 0 } });
      skus = Array.from({ length: Number(values.skus) }, (_, i) => `R-${String(i).padStart(6, '0')}`);
      for (let i = 0; i < skus.length; i += 500)
        await catalog.createProduct({
          code: `p${i}`,
          name: 'P',
          variants: skus.slice(i, i + 500).map((sku) => ({ sku })),
        });
      await inventory.seedDemoStock({ seed: 7, skus });
      await sql`analyze`.execute(db);
    } else {
      const r = await sql<{ sku: string }>`select sku from atp_summary where sku not like 'HOT-%' order by sku`.execute(
        db,
      );
      skus = r.rows.map((x) => x.sku);
    }
    let hot: string | undefined;
    if (values.mode === 'hot') {
      hot = `HOT-RS-${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
      await catalog.createProduct({ code: hot.toLowerCase(), name: 'Hot', variants: [{ sku: hot }] });
      const wh = (await network.snapshot()).locations.find((l) => l.type === 'warehouse' || l.type === 'store')!;
      await inventory.recordMovement({ sku: hot, location_id: wh.id, type: 'receipt', quantity: 10_000_000 });
    }
    const channel = 'web';
    let n = Math.floor(Math.random() * skus.length);
    const reserve = () =>
      inventory.reserve({
        channel,
        lines: [{ sku: hot ?? skus[(n++ * 7919) % skus.length]!, quantity: 1 }],
        ttl_seconds: 3600,
        reference: 'stmt-bench',
      });
    // warm-up: caches, prepared plans, the network snapshot
    await Promise.allSettled(Array.from({ length: CLIENTS }, () => reserve()));
    let granted = 0;
    let refused = 0;
    const meter = await cpuMeter(url, undefined);
    const cpu0 = process.cpuUsage();
    on = true;
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < until) {
          try {
            await reserve();
            granted++;
          } catch {
            refused++;
          }
        }
      }),
    );
    on = false;
    const cpu = await meter.stop();
    const own1 = process.cpuUsage(cpu0);
    cpu.client_ms = Math.round((own1.user + own1.system) / 1000);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const begins = counts.get('begin') ?? counts.get('BEGIN') ?? 0;
    const ops = granted + refused;
    const per = perOp(cpu, ops);
    console.log(
      `${values.mode}, ${CLIENTS} clients, ${SECONDS}s: ${granted} granted, ${refused} refused (${Math.round(ops / SECONDS)}/s); ` +
        `${begins} transactions (${(ops / Math.max(1, begins)).toFixed(1)} reservations each); ` +
        `${(total / ops).toFixed(2)} statements per reservation, ${(total / Math.max(1, begins)).toFixed(1)} per transaction`,
    );
    console.log(
      `CPU per reservation: this process ${per.client_ms_per_op} ms, PostgreSQL ${per.pg_ms_per_op} ms; load ${per.load}`,
    );
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .forEach(([k, v]) => console.log(String(v).padStart(7), (v / Math.max(1, begins)).toFixed(2).padStart(6), k));
    if (Number(values.explain) > 0) await explainBatches(db, Number(values.explain));
  } finally {
    await database.close();
    if (values.keep && own) console.log(`kept: ${own.url}`);
    else await own?.drop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
