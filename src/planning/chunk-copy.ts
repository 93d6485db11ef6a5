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
import { BytesIndex } from '../platform/db/bytes-index.js';
import { BinaryCopyStream, BinaryCopyWriter, type BinaryCopyReader } from '../platform/db/copy-binary.js';
import { copyBothOf, type CopyIn, type CopyOut } from '../platform/db/pg-client.js';
import type { Executor } from '../platform/db/schema.js';
import { planChunkColumns, Scratch, storeOrder, type ChunkColumns, type ChunkStores } from './chunk-rules.js';
import { proposalIdBytes, type ProposalIds } from './run-ids.js';
import type { ChunkInto, ChunkOutcome, LevelParams, SkuRange } from './run-sql.js';

export interface CopyIo {
  copyOut: CopyOut;
  copyIn: CopyIn;
}

/** COPY both ways on `db`'s connection (a transaction's own); undefined on PGlite. */
export const copyIoOf = (db: Executor): Promise<CopyIo | undefined> => copyBothOf(db);

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
async function readPairs(
  db: Executor,
  io: CopyIo,
  range: SkuRange,
  scope: string[] | null,
  s: ChunkStores,
  memory: ChunkMemory,
): Promise<{ c: ChunkColumns; warehouses: Map<string, Map<number, number>> }> {
  const pairs = new PairsCollector(s, memory.scratch, memory.rowsHint);
  // Two plain range scans rather than one join: joining 250,000 summary rows to as many stock rows
  // (a hash join, then the projection) cost the database about as much again as reading both.
  const summary = new BinaryCopyStream((r) => pairs.row(r));
  await io.copyOut(
    `copy (
    select sku, location_id, observed_days, censored_days, units_sum, units_sumsq from planning_demand_summary
    where ${rangeSql('sku', range)}${scope ? ` and location_id = any(${textArray(scope)})` : ''}
  ) to stdout with (format binary)`,
    (piece) => summary.push(piece),
  );
  summary.end();
  const stock = new BinaryCopyStream((r) => pairs.stockRow(r));
  await io.copyOut(
    `copy (
    select sku, location_id, on_hand, reserved, safety_stock, in_transit from stock_levels
    where ${rangeSql('sku', range)}
  ) to stdout with (format binary)`,
    (piece) => stock.push(piece),
  );
  stock.end();
  const costs = await sql<{ sku: string; unit_cost: number }>`
    select sku, unit_cost from variants where ${sql.raw(rangeSql('sku', range))}`.execute(db);
  pairs.costs(new Map(costs.rows.map((x) => [x.sku, Number(x.unit_cost)])));
  const c = pairs.columns();
  memory.rowsHint = Math.max(memory.rowsHint, c.store.length);
  return { c, warehouses: pairs.warehouses };
}

/**
 * COPY streams of readPairs' rows at once (tests): the summary's, the stock's, the SKUs' costs; the
 * columns and the warehouses' stock PairsCollector makes of them.
 */
export function pairsFromCopy(
  summary: Buffer,
  stock: Buffer,
  costs: Map<string, number>,
  s: ChunkStores,
  scratch = new Scratch(),
): { c: ChunkColumns; warehouses: Map<string, Map<number, number>> } {
  const pairs = new PairsCollector(s, scratch, 1024);
  for (const [buf, onRow] of [
    [summary, (r: BinaryCopyReader) => pairs.row(r)],
    [stock, (r: BinaryCopyReader) => pairs.stockRow(r)],
  ] as const) {
    const rows = new BinaryCopyStream(onRow);
    rows.push(buf);
    rows.end();
  }
  pairs.costs(costs);
  return { c: pairs.columns(), warehouses: pairs.warehouses };
}

/**
 * readPairs' rows gathered into columns, then grouped SKU by SKU: the summary's (sku, location_id,
 * observed, censored, Σx, Σx², in any order) make the pairs; the stock's (sku, location_id, on hand,
 * reserved, safety stock, in transit) fill their stock, or a warehouse's for the replenishment; the
 * costs come per SKU. A location `s` does not name gets a number of its own (added to `s`: no
 * warehouse, no region). A pair without a stock row has none on hand or in transit.
 */
export class PairsCollector {
  private readonly c: ChunkColumns;
  private group: Int32Array;
  private readonly count: number[] = [];
  // SKUs numbered by their bytes as met; a run of rows of one SKU is recognised without a lookup.
  private readonly skuIx = new BytesIndex();
  private readonly ix: BytesIndex;
  private readonly other = new Map<string, number>();
  private n = 0;
  private g = -1;
  private runs = 0;
  private readonly whIx: BytesIndex;
  /** The pair of (SKU number × stores + store), made when the first stock row comes. */
  private pairAt: Int32Array | null = null;
  /** What each warehouse (by number) holds for each SKU: on hand − reserved − safety stock. */
  readonly warehouses = new Map<string, Map<number, number>>();

  constructor(
    private readonly s: ChunkStores,
    private readonly scratch: Scratch,
    cap: number,
  ) {
    this.ix = new BytesIndex(s.ids);
    this.whIx = new BytesIndex(s.warehouses);
    this.c = {
      skus: [],
      start: new Int32Array(0),
      store: scratch.i32('store', cap),
      observed: scratch.i32('observed', cap),
      censored: scratch.i32('censored', cap),
      sum: scratch.f64('sum', cap),
      sumsq: scratch.f64('sumsq', cap),
      cost: scratch.f64('cost', cap),
      onHand: scratch.f64('onHand', cap),
      inTransit: scratch.f64('inTransit', cap),
    };
    this.group = scratch.i32('group', cap);
    this.c.onHand.fill(0);
    this.c.inTransit.fill(0);
  }

  row(r: BinaryCopyReader): void {
    const { c, n } = this;
    if (n === this.group.length) this.grow();
    if (!r.sameKey()) {
      this.runs++;
      this.g = r.keyIn(this.skuIx);
      if (this.g < 0) throw new Error('a demand summary row without a SKU');
      if (this.g === this.count.length) this.count.push(0);
    }
    this.group[n] = this.g;
    this.count[this.g]!++;
    let st = r.indexIn(this.ix);
    if (st < 0) {
      // A location the run's maps do not name (none in practice): its own number, no warehouse or region.
      const id = r.lastText();
      st = this.other.get(id) ?? -1;
      if (st < 0) {
        this.other.set(id, (st = extend(this.s, id)));
        const b = Buffer.from(id, 'utf8');
        if (this.ix.add(b, 0, b.length) !== st) throw new Error(`location ${id} numbered twice`);
      }
    }
    c.store[n] = st;
    c.observed[n] = r.number();
    c.censored[n] = r.number();
    c.sum[n] = r.number();
    c.sumsq[n] = r.number();
    this.n = n + 1;
  }

  stockRow(r: BinaryCopyReader): void {
    const g = r.indexIn(this.skuIx);
    const st = r.indexIn(this.ix);
    const wh = st < 0 ? this.whIx.find(...r.lastBytes()) : -1;
    const onHand = r.number();
    const reserved = r.number();
    const safety = r.number();
    const inTransit = r.number();
    if (g < 0) return; // a SKU of the range without a pair in scope
    if (st >= 0) {
      const at = this.pairIndex()[g * this.s.ids.length + st]!;
      if (at < 0) return; // a store without demand history for the SKU
      this.c.onHand[at] = onHand;
      this.c.inTransit[at] = inTransit;
    } else if (wh >= 0) {
      const sku = this.skuIx.keys[g]!;
      const m = this.warehouses.get(sku) ?? new Map<number, number>();
      m.set(wh, onHand - reserved - safety);
      this.warehouses.set(sku, m);
    }
  }

  private pairIndex(): Int32Array {
    if (this.pairAt) return this.pairAt;
    const stores = this.s.ids.length;
    const at = new Int32Array(this.skuIx.keys.length * stores).fill(-1);
    for (let i = 0; i < this.n; i++) at[this.group[i]! * stores + this.c.store[i]!] = i;
    return (this.pairAt = at);
  }

  /** Each pair's unit cost by its SKU (0 without a variant). */
  costs(of: Map<string, number>): void {
    const bySku = this.skuIx.keys.map((k) => of.get(k) ?? 0);
    for (let i = 0; i < this.n; i++) this.c.cost[i] = bySku[this.group[i]!]!;
  }

  /** Half as long again, the rows so far kept (a chunk larger than the last one). */
  private grow(): void {
    const cap = Math.ceil(this.group.length * 1.5) + 16;
    const n = this.group.length;
    for (const k of COLUMNS) this.c[k] = this.scratch.grow(k, this.c[k], cap) as never;
    this.group = this.scratch.grow('group', this.group, cap);
    this.c.onHand.fill(0, n);
    this.c.inTransit.fill(0, n);
  }

  /** The columns, every store of a SKU together (a counting sort when a SKU came in several runs). */
  columns(): ChunkColumns {
    const { c, n, scratch } = this;
    c.skus = this.skuIx.keys;
    const start = new Int32Array(c.skus.length + 1);
    for (let k = 0; k < c.skus.length; k++) start[k + 1] = start[k]! + this.count[k]!;
    c.start = start;
    for (const k of COLUMNS) c[k] = c[k].subarray(0, n) as never;
    if (this.runs === c.skus.length) return c; // every SKU came in one run: already grouped
    const at = start.slice(0, c.skus.length);
    const to = scratch.i32('to', n);
    for (let i = 0; i < n; i++) to[i] = at[this.group[i]!]!++;
    for (const k of COLUMNS) {
      const from = c[k];
      const into = from instanceof Int32Array ? scratch.i32(`${k}.sorted`, n) : scratch.f64(`${k}.sorted`, n);
      for (let i = 0; i < n; i++) into[to[i]!] = from[i]!;
      c[k] = into as never;
    }
    return c;
  }
}

/**
 * What a chunk worker keeps from one chunk to the next: the typed arrays and the pieces its COPYs are
 * written into (≈ 80 MB at 250,000 pairs, allocated once per worker instead of per chunk: allocated
 * afresh, they kept the collector busy for a quarter of the process's time).
 */
export class ChunkMemory {
  /** The rows the columns are first made for: the largest chunk so far (they grow past it). */
  rowsHint = 1 << 18;
  readonly scratch = new Scratch();
  /**
   * The 4 MB pieces the results and proposals are written into, free for the next chunk. A piece is
   * given back only once its COPY has completed: the socket may hold a piece it was handed until then.
   */
  private readonly free: Buffer[] = [];
  private readonly lent: Buffer[] = [];

  readonly piece = (size: number): Buffer => {
    const b = this.free.find((x) => x.length === size) ?? Buffer.allocUnsafe(size);
    if (this.free.includes(b)) this.free.splice(this.free.indexOf(b), 1);
    this.lent.push(b);
    return b;
  };

  /** After the chunk's COPYs completed: every piece lent is free again. */
  giveBack(): void {
    this.free.push(...this.lent.splice(0));
  }
}

/** What a chunk writes goes out in pieces of about this size (from ChunkMemory's pool). */
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
  memory = new ChunkMemory(),
): Promise<ChunkOutcome> {
  const s: ChunkStores = { ...stores, ids: [...stores.ids] };
  const { c, warehouses: wh } = await readPairs(db, io, range, scope, s, memory);
  const plan = planChunkColumns(c, s, (sku) => wh.get(sku), p, memory.scratch);

  // The columns equal on every row of the chunk are the chunk tables' defaults for the COPY (a Const per
  // row in the database) rather than 30-odd bytes per row to write, send and parse. The tables are
  // the chunk's own, created in this transaction.
  await sql`alter table ${sql.table(into.results)} alter column run_id set default ${sql.lit(runId)}`.execute(db);
  await sql`alter table ${sql.table(into.proposals)} alter column run_id set default ${sql.lit(runId)},
    alter column kind set default 'replenishment', alter column status set default 'proposed',
    alter column created_at set default ${sql.lit(ids.now.toISOString())}`.execute(db);
  const storeBytes = s.ids.map((id) => Buffer.from(id, 'utf8'));
  const pieces: Buffer[] = [];
  const w = new BinaryCopyWriter(PIECE + (1 << 16), memory.piece);
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
    const pw = new BinaryCopyWriter(PIECE + (1 << 16), memory.piece);
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
  // Both COPYs are complete (the server answered): no piece is referenced by the socket any more.
  memory.giveBack();
  return { figures: plan.figures, replenishment: plan.replenishment.length, candidates: plan.candidates };
}
