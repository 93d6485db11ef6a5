/**
 * One chunk of a run on PostgreSQL through binary COPY: the pairs leave the database in one COPY TO
 * (summary, stock and cost merge-joined along their keys, stores as small numbers), the arithmetic
 * is the pure rules' (chunk-rules.ts, over typed arrays), and the results and replenishment
 * proposals go back in one COPY FROM each into the chunk's bare tables (store.ts createChunk).
 *
 * Why: the same chunk computed in one SQL statement (run-sql.ts) cost the database ≈ 2.4 s of CPU per
 * 250,000 pairs — sorts, hashes and tuple copies of wide rows, and one WAL record per inserted row;
 * reading the inputs out and writing the outputs in (COPY inserts a page of rows per WAL record)
 * costs it a fraction of that, and the process's share is typed-array arithmetic
 * (docs/planning.md, "Sixth round"). PGlite has no COPY over the wire: it keeps the SQL path.
 */
import { sql } from 'kysely';
import { BinaryCopyReader, BinaryCopyWriter, BytesIndex } from '../platform/db/copy-binary.js';
import { copyInOf, copyOutOf, type CopyIn, type CopyOut } from '../platform/db/pg-client.js';
import type { Executor } from '../platform/db/schema.js';
import { planChunkColumns, storeOrder, type ChunkColumns, type ChunkStores } from './chunk-rules.js';
import { proposalIdBytes, type ProposalIds } from './run-ids.js';
import type { ChunkInto, ChunkOutcome, LevelParams, SkuRange } from './run-sql.js';

export interface CopyIo {
  copyOut: CopyOut;
  copyIn: CopyIn;
}

/** COPY both ways on `db`'s connection (a transaction's own); undefined on PGlite. */
export async function copyIoOf(db: Executor): Promise<CopyIo | undefined> {
  const [copyOut, copyIn] = [await copyOutOf(db), await copyInOf(db)];
  return copyOut && copyIn ? { copyOut, copyIn } : undefined;
}

/** A string as an SQL literal (COPY takes no bind parameters; standard_conforming_strings is on). */
function lit(s: string): string {
  if (s.includes('\0')) throw new Error('a text value with U+0000');
  return `'${s.replace(/'/g, "''")}'`;
}

function rangeSql(col: string, r: SkuRange): string {
  return [r.lo === null ? 'true' : `${col} > ${lit(r.lo)}`, r.hi === null ? 'true' : `${col} <= ${lit(r.hi)}`].join(
    ' and ',
  );
}

const textArray = (xs: string[]) => (xs.length ? `array[${xs.map(lit).join(',')}]::text[]` : `'{}'::text[]`);

/** The stores of the run by number: delivering warehouse and region as small numbers (chunk-rules). */
export function chunkStores(warehouseOf: Map<string, string>, regionOf: Map<string, string | null>): ChunkStores {
  const ids = [...new Set([...warehouseOf.keys(), ...regionOf.keys()])];
  const warehouses = [...new Set(warehouseOf.values())];
  const whNo = new Map(warehouses.map((w, i) => [w, i]));
  const regionNo = new Map<string, number>();
  const region = new Int32Array(ids.length).fill(-1);
  const warehouse = new Int32Array(ids.length).fill(-1);
  ids.forEach((id, i) => {
    const w = warehouseOf.get(id);
    if (w !== undefined) warehouse[i] = whNo.get(w)!;
    const r = regionOf.get(id);
    if (r) {
      if (!regionNo.has(r)) regionNo.set(r, regionNo.size);
      region[i] = regionNo.get(r)!;
    }
  });
  return { ids, warehouse, region, warehouses, ...storeOrder(ids) };
}

/** A location the run's maps do not name (none in practice): its own number, no warehouse or region. */
function extend(s: ChunkStores, id: string): number {
  const grow = (a: Int32Array) => {
    const b = new Int32Array(a.length + 1).fill(-1);
    b.set(a);
    return b;
  };
  s.ids.push(id);
  s.warehouse = grow(s.warehouse);
  s.region = grow(s.region);
  Object.assign(s, storeOrder(s.ids));
  return s.ids.length - 1;
}

const COLUMNS = ['store', 'observed', 'censored', 'sum', 'sumsq', 'cost', 'onHand', 'inTransit'] as const;

/**
 * The chunk's pairs as columns, every store of a SKU together. The statement asks for no order: the
 * hash joins' output follows a table's physical order (often store by store), and sorting 250,000
 * rows by text cost the database a third of the read. Rows are gathered SKU by SKU here instead (a
 * counting sort of the columns). SKUs and stores are numbered by their bytes (BytesIndex): a string
 * is made per SKU and per store, not per row.
 */
async function readPairs(io: CopyIo, range: SkuRange, scope: string[] | null, s: ChunkStores): Promise<ChunkColumns> {
  const out = await io.copyOut(`copy (
    select s.sku, s.location_id, s.observed_days, s.censored_days, s.units_sum, s.units_sumsq,
           coalesce(v.unit_cost, 0), coalesce(sl.on_hand, 0), coalesce(sl.in_transit, 0)
    from planning_demand_summary s
    left join variants v on v.sku = s.sku and ${rangeSql('v.sku', range)}
    left join stock_levels sl on sl.sku = s.sku and sl.location_id = s.location_id and ${rangeSql('sl.sku', range)}
    where ${rangeSql('s.sku', range)}${scope ? ` and s.location_id = any(${textArray(scope)})` : ''}
  ) to stdout with (format binary)`);
  return pairsFromCopy(out, s);
}

/**
 * readPairs' rows (sku, location_id, observed, censored, Σx, Σx², unit cost, on hand, in transit, in
 * any order) as columns grouped SKU by SKU. A location `s` does not name gets a number of its own
 * (added to `s`: no warehouse, no region).
 */
export function pairsFromCopy(out: Buffer, s: ChunkStores): ChunkColumns {
  // Rows: at least 60 bytes each, so this many is an upper bound.
  const cap = Math.max(1, Math.floor(out.length / 60));
  const c: ChunkColumns = {
    skus: [],
    start: new Int32Array(0),
    store: new Int32Array(cap),
    observed: new Int32Array(cap),
    censored: new Int32Array(cap),
    sum: new Float64Array(cap),
    sumsq: new Float64Array(cap),
    cost: new Float64Array(cap),
    onHand: new Float64Array(cap),
    inTransit: new Float64Array(cap),
  };
  const group = new Int32Array(cap);
  const count: number[] = [];
  // SKUs numbered by their bytes as met; a run of rows of one SKU is recognised without a lookup.
  const skuIx = new BytesIndex();
  const ix = new BytesIndex(s.ids);
  const other = new Map<string, number>();
  const r = new BinaryCopyReader(out);
  let n = 0;
  let g = -1;
  let runs = 0;
  while (r.next()) {
    if (!r.sameKey()) {
      runs++;
      g = r.keyIn(skuIx);
      if (g < 0) throw new Error('a demand summary row without a SKU');
      if (g === count.length) count.push(0);
    }
    group[n] = g;
    count[g]!++;
    let st = r.indexIn(ix);
    if (st < 0) {
      // A location the run's maps do not name (none in practice): its own number, no warehouse or region.
      const id = r.lastText();
      st = other.get(id) ?? -1;
      if (st < 0) other.set(id, (st = extend(s, id)));
    }
    c.store[n] = st;
    c.observed[n] = r.number();
    c.censored[n] = r.number();
    c.sum[n] = r.number();
    c.sumsq[n] = r.number();
    c.cost[n] = r.number();
    c.onHand[n] = r.number();
    c.inTransit[n] = r.number();
    n++;
  }
  c.skus = skuIx.keys;
  const start = new Int32Array(c.skus.length + 1);
  for (let k = 0; k < c.skus.length; k++) start[k + 1] = start[k]! + count[k]!;
  c.start = start;
  for (const k of COLUMNS) c[k] = c[k].subarray(0, n) as never;
  if (runs === c.skus.length) return c; // every SKU came in one run: already grouped
  const at = start.slice(0, c.skus.length);
  const to = new Int32Array(n);
  for (let i = 0; i < n; i++) to[i] = at[group[i]!]!++;
  for (const k of COLUMNS) {
    const from = c[k];
    const into = new (from.constructor as Int32ArrayConstructor | Float64ArrayConstructor)(n);
    for (let i = 0; i < n; i++) into[to[i]!] = from[i]!;
    c[k] = into as never;
  }
  return c;
}

/** What each warehouse (by number) can send of each SKU of the chunk: on hand − reserved − safety. */
async function warehouseStock(
  db: Executor,
  range: SkuRange,
  s: ChunkStores,
): Promise<Map<string, Map<number, number>>> {
  const by = new Map<string, Map<number, number>>();
  if (s.warehouses.length === 0) return by;
  const r = await sql<{ sku: string; location_id: string; avail: number }>`
    select sku, location_id, on_hand - reserved - safety_stock as avail from stock_levels
    where location_id = any(cast(${s.warehouses} as text[]))
      and ${sql.raw(rangeSql('sku', range))}`.execute(db);
  const whNo = new Map(s.warehouses.map((w, i) => [w, i]));
  for (const x of r.rows) {
    const m = by.get(x.sku) ?? new Map<number, number>();
    m.set(whNo.get(x.location_id)!, Number(x.avail));
    by.set(x.sku, m);
  }
  return by;
}

/** Pieces of about 4 MB, so no buffer of a whole chunk's rows is built and copied as it grows. */
const PIECE = 4 << 20;

export async function planChunkByCopy(
  db: Executor,
  io: CopyIo,
  runId: string,
  range: SkuRange,
  scope: string[] | null,
  stores: ChunkStores,
  p: LevelParams,
  ids: ProposalIds,
  into: ChunkInto,
): Promise<ChunkOutcome> {
  const s: ChunkStores = { ...stores, ids: [...stores.ids] };
  const [c, wh] = [await readPairs(io, range, scope, s), await warehouseStock(db, range, s)];
  const plan = planChunkColumns(c, s, (sku) => wh.get(sku), p);

  // The columns equal on every row of the chunk are the chunk tables' defaults for the COPY (a Const per
  // row in the database) rather than 30-odd bytes per row to write, send and parse. The tables are
  // the chunk's own, created in this transaction.
  await sql`alter table ${sql.table(into.results)} alter column run_id set default ${sql.lit(runId)}`.execute(db);
  await sql`alter table ${sql.table(into.proposals)} alter column run_id set default ${sql.lit(runId)},
    alter column kind set default 'replenishment', alter column status set default 'proposed',
    alter column created_at set default ${sql.lit(ids.now.toISOString())}`.execute(db);
  const storeBytes = s.ids.map((id) => Buffer.from(id, 'utf8'));
  const pieces: Buffer[] = [];
  const w = new BinaryCopyWriter(PIECE + (1 << 16));
  for (let g = 0; g < c.skus.length; g++) {
    const sku = Buffer.from(c.skus[g]!, 'utf8');
    for (let i = c.start[g]!; i < c.start[g + 1]!; i++) {
      if (!plan.ok[i]) continue;
      w.row(12)
        .bytes(sku)
        .bytes(storeBytes[c.store[i]!]!)
        .float4(plan.mean[i]!)
        .float4(plan.sd[i]!)
        .int4(c.observed[i]!)
        .int4(c.censored[i]!)
        .int4(plan.min[i]!)
        .int4(plan.max[i]!)
        .int8(c.cost[i]!)
        .int8(plan.investment[i]!)
        .float4(plan.safety[i]!)
        .float4(plan.pooled[i]!);
      if (w.length >= PIECE) pieces.push(w.take());
    }
  }
  pieces.push(w.end());
  await io.copyIn(
    `copy "${into.results}" (sku, location_id, mean_daily, sd_daily, observed_days, censored_days,
      min_qty, max_qty, unit_cost, investment, safety_alone, safety_pooled) from stdin with (format binary)`,
    pieces,
  );

  if (plan.replenishment.length > 0) {
    const pw = new BinaryCopyWriter(PIECE + (1 << 16));
    const parts: Buffer[] = [];
    const whBytes = new Map(s.warehouses.map((x) => [x, Buffer.from(x, 'utf8')]));
    const storeOf = new Map(s.ids.map((x, i) => [x, storeBytes[i]!]));
    const idOf = proposalIdBytes(ids);
    let skuText = '';
    let sku = Buffer.alloc(0);
    plan.replenishment.forEach((x, j) => {
      if (x.sku !== skuText) sku = Buffer.from((skuText = x.sku), 'utf8');
      pw.row(6)
        .bytes(idOf(ids.firstN + j))
        .bytes(sku)
        .bytes(whBytes.get(x.from)!)
        .bytes(storeOf.get(x.to)!)
        .int4(x.units)
        .int4(x.needed);
      if (pw.length >= PIECE) parts.push(pw.take());
    });
    parts.push(pw.end());
    await io.copyIn(
      `copy "${into.proposals}" (id, sku, from_location_id, to_location_id, units, needed)
        from stdin with (format binary)`,
      parts,
    );
  }
  return { figures: plan.figures, replenishment: plan.replenishment.length, candidates: plan.candidates };
}
