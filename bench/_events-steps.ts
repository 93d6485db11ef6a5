/**
 * Where PostgreSQL's CPU per behaviour event goes, step by step (issue 17, events >= 50,000/s): the
 * steps of one COPY batch (customers/ingest.ts storeBatch on PostgreSQL) run one batch at a time on one
 * connection, with that backend's CPU (/proc, clock ticks) and the wall time summed per step.
 *
 *   node --import tsx bench/_events-steps.ts [--customers 100000] [--batches 200] [--batch 500]
 *
 * Same event mix as bench/customers.ts (60 % views, 20 % searches, 10 % cart adds, 10 % store visits,
 * random customers, days over 180 days), so most roll-up rows are new; a second pass re-sends the same
 * batches (every roll-up row exists: the update path).
 */
import fs from 'node:fs';
import { sql } from 'kysely';
import { benchDatabase, benchLine } from './_lib.js';
import { createOmnia } from '../src/server.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/log.js';
import { copyInOf } from '../src/platform/db/pg-client.js';
import {
  aggregate,
  applyRollups,
  directText,
  emptyColumns,
  rollupFields,
  unusualProfiles,
  type EventColumns,
} from '../src/customers/fixtures.js';
import { newId } from '../src/platform/ids.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const CUSTOMERS = arg('customers', 100_000);
const BATCHES = arg('batches', 200);
const BATCH = arg('batch', 500);
const SIZES = ['S', 'M', 'L', 'XL'];
const CATS = ['shoes', 'shirts', 'bags', 'jeans', 'coats'];
const rnd = (n: number) => Math.floor(Math.random() * n);
const cid = (i: number) => `cus_B${String(i).padStart(25, '0')}`;

function batchOf(now: number) {
  const at = new Date(now);
  const c: EventColumns = emptyColumns(at);
  const props: Record<string, unknown>[] = [];
  for (let i = 0; i < BATCH; i++) {
    const who = rnd(CUSTOMERS);
    const p = rnd(2000);
    const k = rnd(10);
    const type = k < 6 ? 'product_viewed' : k < 8 ? 'search' : k < 9 ? 'added_to_cart' : 'store_visit';
    const prop: Record<string, unknown> =
      type === 'product_viewed'
        ? { product_id: `prd_${p}`, category: CATS[p % CATS.length], size: SIZES[who % 4] }
        : type === 'search'
          ? { query: `q${p}` }
          : type === 'added_to_cart'
            ? { sku: `sku_${p}_${SIZES[who % 4]}`, product_id: `prd_${p}`, quantity: 1 }
            : { location_id: `loc_${who % 20}` };
    c.id.push(newId('cev', now));
    c.client_id.push(null);
    c.ts.push(now - rnd(180) * 86_400_000 - rnd(86_400_000));
    c.type.push(type);
    c.customer_id.push(cid(who));
    c.anonymous_id.push(null);
    c.device_id.push(null);
    c.channel.push(type === 'store_visit' ? 'pos' : 'web');
    c.channel_kind.push(type === 'store_visit' ? 'store' : 'online');
    c.product_id.push(typeof prop.product_id === 'string' ? prop.product_id : null);
    props.push(prop);
  }
  return { c, props };
}

const ticks = (pid: number) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]);
};

async function main() {
  const dbh = await benchDatabase('evsteps');
  const config = { ...loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: dbh.url, OMNIA_DB_POOL: '4' }), jobs: false };
  const omnia = await createOmnia({ config, logger: createLogger('silent') });
  const db = omnia.ctx.db;
  try {
    await omnia.services.network.createChannel({ code: 'web', type: 'web', name: 'Web' });
    await omnia.services.network.createChannel({ code: 'pos', type: 'pos', name: 'Tills' });
    await sql`insert into customers (id, status, root_id, created_at, updated_at) select 'cus_B' || lpad(i::text, 25, '0'), 'active', 'cus_B' || lpad(i::text, 25, '0'), now(), now() from generate_series(0, ${CUSTOMERS - 1}) i`.execute(
      db,
    );
    await sql`analyze`.execute(db);
    const now = Date.now();
    const batches = Array.from({ length: BATCHES }, () => batchOf(now));
    const steps = ['lookup', 'copy', 'rollups', 'commit'] as const;
    const out: Record<string, unknown> = { customers: CUSTOMERS, batches: BATCHES, batch: BATCH };
    for (const pass of ['new', 'again'] as const) {
      const cpu: Record<string, number> = {};
      const wall: Record<string, number> = {};
      const node: Record<string, number> = {};
      for (const s of steps) [cpu[s], wall[s], node[s]] = [0, 0, 0];
      for (const b of batches) {
        let pid = 0;
        let t = 0;
        let w = 0;
        let n = 0;
        const nodeUs = () => {
          const u = process.cpuUsage();
          return u.user + u.system;
        };
        const mark = (s: (typeof steps)[number]) => {
          const t1 = ticks(pid);
          const w1 = performance.now();
          const n1 = nodeUs();
          cpu[s]! += t1 - t;
          wall[s]! += w1 - w;
          node[s]! += n1 - n;
          [t, w, n] = [t1, w1, n1];
        };
        await db.transaction().execute(async (trx) => {
          pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          [t, w, n] = [ticks(pid), performance.now(), nodeUs()];
          await unusualProfiles(trx, [...new Set(b.c.customer_id as string[])]);
          mark('lookup');
          const copyIn = (await copyInOf(trx))!;
          const ids2 = pass === 'again' ? b.c.id.map(() => newId('cev', now)) : b.c.id;
          await copyIn(
            `copy customer_events (id, client_id, ts, type, customer_id, anonymous_id, device_id, channel, channel_kind,
  product_id, properties, received_at) from stdin`,
            directText(
              { ...b.c, id: ids2 },
              b.props.map((p) => JSON.stringify(p)),
            ),
          );
          mark('copy');
          await applyRollups(trx, aggregate(b.c, rollupFields(b.props)!));
          mark('rollups');
        });
        mark('commit');
      }
      const events = BATCHES * BATCH;
      for (const s of steps) {
        out[`${pass}_${s}_pg_us`] = Math.round(((cpu[s]! * 10) / events) * 1000);
        out[`${pass}_${s}_wall_us`] = Math.round((wall[s]! / events) * 1000);
        out[`${pass}_${s}_node_us`] = Math.round((node[s]! / events) * 10) / 10;
      }
      process.stdout.write(
        `${pass}: ${steps.map((s) => `${s} ${out[`${pass}_${s}_pg_us`]} PG + ${out[`${pass}_${s}_node_us`]} node / ${out[`${pass}_${s}_wall_us`]} wall`).join(', ')} µs per event\n`,
      );
    }
    benchLine('events-steps', out);
  } finally {
    await omnia.close();
    await dbh.drop();
  }
}

await main();
