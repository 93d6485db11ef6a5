/**
 * Computes one run: refresh the demand summary, then chunk by chunk of SKUs (every store of a SKU in
 * the same chunk, so pooling and proposals see the whole chain for it), in one transaction each:
 * results and replenishment either read out and written back by binary COPY with the arithmetic in
 * the process (chunk-copy.ts, PostgreSQL's default) or set-based in one SQL statement (run-sql.ts,
 * PGlite, the pure rules' formulas); rebalancing of the few SKUs that have both a donor and a
 * receiver through the pure rule; then the simulation check on the best sellers and the per-store and
 * chain figures. Between chunks the process holds the per-store sums and one number per SKU, and
 * during one only that chunk's pairs (a few dozen MB): memory stays flat whatever the chain's size.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { ID_PREFIX, newId } from '../platform/ids.js';
import { inverseNormalCdf } from './normal.js';
import { rebalanceCandidates, type PairResult } from './run-rules.js';
import { CheckAccumulator, dayRange, demandMatrix, nearestWarehouse } from './check-rules.js';
import * as demand from './demand-sql.js';
import * as input from './input-sql.js';
import * as runSql from './run-sql.js';
import { ChunkMemory, chunkStores, copyIoOf, planChunkByCopy } from './chunk-copy.js';
import * as store from './store.js';
import type { PlanningNetworkPort } from './ports.js';
import type { RegionSummary, RunParamsStored, RunSummary } from './model.js';

/**
 * SKU × store pairs per chunk (whole SKUs, so a little more): big enough that a statement's fixed
 * cost vanishes, small enough for a progress bar of 40 steps on 10 million pairs and a chunk's
 * working set in memory.
 */
export const CHUNK = 250_000;
/**
 * Chunks computed at the same time (connections of the pool they hold). Two: a chunk alternates
 * between the database (reading, writing, indexing) and this process (the arithmetic), and two keep
 * both cores of the development machine busy; a third measured no faster and held 150 MB more
 * (docs/planning.md, "Sixth round").
 */
export const WORKERS = 2;

export interface ComputeDeps {
  db: Db;
  now: () => Date;
  network: PlanningNetworkPort;
  /** Called after each chunk with (done, total); also renews the lease. */
  progress?: (done: number, total: number) => Promise<void> | void;
  /**
   * The run's pairs as counted when it was created, if known: counting 10 million pairs again takes
   * a second of both cores before the first chunk starts. Counted again when the run refreshes the
   * demand summary first (the count may change).
   */
  total?: number;
  /** Pairs per chunk (tests use small chunks to cross chunk borders). */
  chunk?: number;
  /** Chunks at the same time (default WORKERS). */
  workers?: number;
  /**
   * How a chunk is computed on PostgreSQL: `copy` (default) moves its pairs out and its rows in by
   * binary COPY and computes in the process (chunk-copy.ts); `sql` computes in one statement where the
   * data is (run-sql.ts). PGlite always takes `sql` (no COPY over the wire).
   */
  compute?: 'copy' | 'sql';
}

export function historyWindow(p: RunParamsStored): { from: string; to: string } {
  const to = p.as_of;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - p.history_days * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

interface StoreAcc {
  skus: number;
  min_units: number;
  max_units: number;
  investment: number;
  safety_alone: number;
  safety_pooled: number;
  saving_value: number;
  safety_region_pooled: number;
  region_saving_value: number;
}

export async function computeRun(deps: ComputeDeps, runId: string, p: RunParamsStored): Promise<RunSummary> {
  const started = Date.now();
  const { db } = deps;
  const { from, to } = historyWindow(p);
  if (p.refresh_demand) {
    await inTx(db, undefined, async (trx) => {
      await demand.refreshDaily(trx, from, to);
      await demand.refreshSummary(trx, from, to);
    });
  }
  await store.clearRunOutput(db, runId);
  const storesAll = await deps.network.listLocations({ type: 'store' });
  const warehouses = await deps.network.listLocations({ type: 'warehouse' });
  const warehouseOf = nearestWarehouse(storesAll, warehouses);
  const regionOf = new Map(storesAll.map((s) => [s.id, s.address?.region?.trim() || null]));
  const numbered = chunkStores(warehouseOf, regionOf);
  const scope = p.location_ids;
  const total = !p.refresh_demand && deps.total !== undefined ? deps.total : await input.countPairs(db, scope);
  await deps.progress?.(0, total);

  const z = inverseNormalCdf(p.service_level);
  const perStore = new Map<string, StoreAcc>();
  const demandBySku = new Map<string, number>();
  const now = deps.now();
  // The proposal ids' random part, once per run (see run-sql.ts proposalId).
  const tail = newId(ID_PREFIX.planningProposal, now.getTime()).slice(-13);
  const phases = { prepare_ms: Date.now() - started, chunks_ms: 0, rebalancing_ms: 0, index_ms: 0, simulation_ms: 0 };
  const chunksStarted = Date.now();
  const chunkSize = deps.chunk ?? CHUNK;
  // Chunk c numbers its proposals from c × space (ids made in SQL from the number: see run-sql.ts).
  // A chunk makes at most one replenishment per pair and one transfer per receiver or donor it
  // exhausts, so 2 × its pairs; it holds at most chunkSize pairs plus one SKU's stores.
  const space = 32768 * Math.ceil((2 * (chunkSize + storesAll.length + 1)) / 32768);
  let pairs = 0;
  let skipped = 0;
  let skus = 0;
  let replenishment = 0;
  let rebalancing = 0;
  let next: string | null | undefined = null; // the next chunk's lower bound; undefined: no more
  let chunkNo = 0;
  let stop = false;

  /** Takes the next chunk: its range and number (the bounds are found one after the other). */
  let claiming: Promise<unknown> = Promise.resolve();
  const claim = async (): Promise<{ range: runSql.SkuRange; no: number } | null> => {
    const prev = claiming;
    let release!: () => void;
    claiming = new Promise<void>((r) => (release = r));
    try {
      await prev;
      if (stop || next === undefined) return null;
      const lo: string | null = next;
      const hi = await runSql.chunkEnd(db, lo, chunkSize, scope);
      next = hi === null ? undefined : hi;
      return { range: { lo, hi }, no: chunkNo++ };
    } finally {
      release();
    }
  };

  const worker = async () => {
    const memory = new ChunkMemory();
    for (;;) {
      const c = await claim();
      if (!c) return;
      const ids = { baseMs: now.getTime(), firstN: c.no * space, now, tail };
      // A chunk is written whole or not at all; a run taken over after a crash starts again anyway.
      const chunk = await inTx(db, undefined, async (trx) => {
        // A chunk's intermediate rows (≈ 40 MB at 250,000 pairs) sort and stay in memory instead of
        // spilling to temporary files; JIT compiling each chunk's statement cost more than it saved.
        // For this transaction only.
        await sql`set local work_mem = '96MB'`.execute(trx);
        await sql`set local jit = off`.execute(trx);
        // A chunk's commit need not wait for its WAL to reach disk: a crash loses at most the last
        // chunks, and a crashed run is computed again from a clean slate anyway (its lease runs
        // out). Marking the run done commits synchronously, which flushes the WAL of every chunk
        // before it (the log is sequential), so a run seen done has all its rows on disk.
        await sql`set local synchronous_commit = off`.execute(trx);
        // The chunk's own tables: its proposals' ids are numbered in [firstN, firstN + space).
        const bounds = {
          ...c.range,
          firstId: runSql.proposalIdOf(ids, ids.firstN),
          endId: runSql.proposalIdOf(ids, ids.firstN + space),
        };
        await store.createChunk(trx, runId, c.no, bounds);
        const into = store.chunkTables(runId, c.no);
        const io = deps.compute === 'sql' ? undefined : await copyIoOf(trx);
        const out = io
          ? await planChunkByCopy(trx, io, runId, c.range, scope, numbered, { ...p, z }, ids, into, memory)
          : await runSql.planChunk(trx, runId, c.range, scope, warehouseOf, { ...p, z }, ids, regionOf, into);
        const rbStarted = Date.now();
        const rb = rebalanceCandidates(out.candidates, p);
        if (!rb.ok) throw new Error(`rebalancing refused its input: ${rb.error.field} ${rb.error.message}`);
        if (out.replenishment + rb.value.length > space)
          throw new Error(`chunk ${c.no} made more proposals than ${space}`);
        await runSql.insertRebalancing(
          trx,
          runId,
          rb.value,
          { ...ids, firstN: ids.firstN + out.replenishment },
          into.proposals,
        );
        // Store-to-store transfers after the set-based part: the pure rule and its insert, timed apart.
        phases.rebalancing_ms += Date.now() - rbStarted;
        // Indexed here, in the parallel phase (one sort of the chunk's rows), and attached last: an
        // attach holds the run table's lock until the commit just after it.
        await store.attachChunk(trx, runId, c.no, bounds);
        return { fig: out.figures, replenished: out.replenishment, rebalanced: rb.value.length };
      });
      replenishment += chunk.replenished;
      rebalancing += chunk.rebalanced;
      pairs += chunk.fig.pairs;
      skipped += chunk.fig.skipped;
      skus += chunk.fig.skus.length;
      for (const x of chunk.fig.stores) {
        const a = perStore.get(x.location_id) ?? {
          skus: 0,
          min_units: 0,
          max_units: 0,
          investment: 0,
          safety_alone: 0,
          safety_pooled: 0,
          saving_value: 0,
          safety_region_pooled: 0,
          region_saving_value: 0,
        };
        a.skus += x.skus;
        a.min_units += x.min_units;
        a.max_units += x.max_units;
        a.investment += x.investment;
        a.safety_alone += x.safety_alone;
        a.safety_pooled += x.safety_pooled;
        a.saving_value += x.saving_value;
        a.safety_region_pooled += x.safety_region_pooled;
        a.region_saving_value += x.region_saving_value;
        perStore.set(x.location_id, a);
      }
      if (p.simulate_skus > 0) for (const x of chunk.fig.skus) if (x.demand > 0) demandBySku.set(x.sku, x.demand);
      await deps.progress?.(pairs + skipped, total);
    }
  };
  // Two chunks at a time: the database works on both cores (one statement uses one), and on a
  // shared machine two backends get twice the share of one. A failed chunk stops the others at
  // their next chunk; the run fails once all have stopped, so nothing writes after it is marked.
  const outcomes = await Promise.allSettled(
    Array.from({ length: deps.workers ?? WORKERS }, () =>
      worker().catch((err: unknown) => {
        stop = true;
        throw err;
      }),
    ),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  phases.chunks_ms = Date.now() - chunksStarted;

  let t = Date.now();
  // The chunks are indexed and attached to the run's tables already: this only makes those the
  // run's partitions (catalog work).
  await inTx(db, undefined, (trx) => store.attachRun(trx, runId));
  phases.index_ms = Date.now() - t;
  t = Date.now();
  const simulation = p.simulate_skus > 0 ? await simulationCheck(deps, runId, p, demandBySku, from, to) : null;
  phases.simulation_ms = Date.now() - t;
  const storeRows = [...perStore].map(([location_id, a]) => ({
    run_id: runId,
    location_id,
    skus: a.skus,
    min_units: a.min_units,
    max_units: a.max_units,
    investment: a.investment,
    safety_alone: a.safety_alone,
    safety_pooled: a.safety_pooled,
    safety_saving_value: Math.round(a.saving_value),
    region: regionOf.get(location_id) ?? null,
    safety_region_pooled: a.safety_region_pooled,
    region_saving_value: Math.round(a.region_saving_value),
  }));
  await store.insertRunStores(db, storeRows);
  const sum = (f: (a: StoreAcc) => number) => [...perStore.values()].reduce((s, a) => s + f(a), 0);
  const alone = sum((a) => a.safety_alone);
  const pooled = sum((a) => a.safety_pooled);
  return {
    currency: 'EUR',
    pairs,
    skipped,
    stores: perStore.size,
    skus,
    min_units: sum((a) => a.min_units),
    max_units: sum((a) => a.max_units),
    investment: sum((a) => a.investment),
    safety_alone: alone,
    safety_pooled: pooled,
    safety_saving_value: Math.round(sum((a) => a.saving_value)),
    pooling_ratio: pooled === 0 ? 1 : alone / pooled,
    regions: regionFigures(perStore, regionOf),
    proposals: { replenishment, rebalancing },
    simulation,
    duration_ms: Date.now() - started,
    phases,
  };
}

/** The pooling saving per region: the per-store sums added up by the stores' region. */
function regionFigures(perStore: Map<string, StoreAcc>, regionOf: Map<string, string | null>): RegionSummary[] {
  const by = new Map<string | null, RegionSummary>();
  for (const [id, a] of perStore) {
    const region = regionOf.get(id) ?? null;
    const g = by.get(region) ?? {
      region,
      stores: 0,
      safety_alone: 0,
      safety_pooled: 0,
      safety_saving_value: 0,
      pooling_ratio: 1,
    };
    g.stores += 1;
    g.safety_alone += a.safety_alone;
    g.safety_pooled += a.safety_region_pooled;
    g.safety_saving_value += a.region_saving_value;
    by.set(region, g);
  }
  return [...by.values()]
    .map((g) => ({
      ...g,
      safety_saving_value: Math.round(g.safety_saving_value),
      pooling_ratio: g.safety_pooled === 0 ? 1 : g.safety_alone / g.safety_pooled,
    }))
    .sort((x, y) => (x.region === null ? 1 : y.region === null ? -1 : x.region < y.region ? -1 : 1));
}

/** Replays the best sellers' history under the run's levels, alone and pooled. */
async function simulationCheck(
  deps: ComputeDeps,
  runId: string,
  p: RunParamsStored,
  demandBySku: Map<string, number>,
  from: string,
  to: string,
) {
  const chosen = [...demandBySku]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, p.simulate_skus)
    .map(([sku]) => sku);
  const days = dayRange(from, to);
  const acc = new CheckAccumulator();
  for (let i = 0; i < chosen.length; i += 50) {
    const batch = chosen.slice(i, i + 50);
    const daily = await input.dailyOf(deps.db, batch, from, to);
    if (daily.length === 0) continue;
    for (const sku of batch) {
      const res = (await store.results(deps.db, runId, { sku, limit: 100_000 })).map((r): PairResult => ({
        sku: r.sku,
        location_id: r.location_id,
        mean: r.mean_daily,
        sd: r.sd_daily,
        observed_days: r.observed_days,
        censored_days: r.censored_days,
        min: r.min_qty,
        max: r.max_qty,
        unit_cost: Number(r.unit_cost),
        investment: Number(r.investment),
        safety_alone: r.safety_alone,
        safety_pooled: r.safety_pooled,
      }));
      const stores = res.map((r) => r.location_id);
      acc.add(
        res,
        demandMatrix(
          daily.filter((d) => d.sku === sku),
          stores,
          days,
        ),
        p,
      );
    }
  }
  return acc.result();
}
