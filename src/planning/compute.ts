/**
 * Computes one run: refresh the demand summary, stream it SKU by SKU in keyset pages, compute pure
 * (run-rules.ts), write each page's results and proposals with multi-row inserts, then the
 * simulation check on the best sellers and the per-store and chain figures.
 * Memory stays flat: one page, a per-store accumulator and a SKU → demand map for the sample.
 */
import type { Db } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { ID_PREFIX, newId } from '../platform/ids.js';
import { inverseNormalCdf } from './normal.js';
import { planSku, type PairInput, type PairResult } from './run-rules.js';
import { CheckAccumulator, dayRange, demandMatrix, nearestWarehouse } from './check-rules.js';
import * as demand from './demand-sql.js';
import * as input from './input-sql.js';
import * as store from './store.js';
import type { PlanningNetworkPort } from './ports.js';
import type { RunParamsStored, RunSummary } from './model.js';

export const PAGE = 20_000;

export interface ComputeDeps {
  db: Db;
  now: () => Date;
  network: PlanningNetworkPort;
  /** Called after each page with (done, total); also renews the lease. */
  progress?: (done: number, total: number) => Promise<void> | void;
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
  const warehouseIds = warehouses.map((w) => w.id);
  const scope = p.location_ids;
  const total = await input.countPairs(db, scope);
  await deps.progress?.(0, total);

  const z = inverseNormalCdf(p.service_level);
  const perStore = new Map<string, StoreAcc>();
  const demandBySku = new Map<string, number>();
  let pairs = 0;
  let skipped = 0;
  let skus = 0;
  let replenishment = 0;
  let rebalancing = 0;
  let done = 0;
  let after: [string, string] | null = null;
  let carry: input.SummaryRow[] = [];
  let writing: Promise<unknown> = Promise.resolve(null);

  const planGroup = (sku: string, rows: input.SummaryRow[], wh: Map<string, Map<string, number>>) => {
    const pairsIn: PairInput[] = rows.map((r) => ({
      location_id: r.location_id,
      observed_days: r.observed_days,
      censored_days: r.censored_days,
      units_sum: r.units_sum,
      units_sumsq: r.units_sumsq,
      unit_cost: r.unit_cost,
      on_hand: r.on_hand,
      in_transit: r.in_transit,
      warehouse_id: warehouseOf.get(r.location_id) ?? null,
    }));
    return planSku(sku, pairsIn, wh.get(sku) ?? new Map(), p, z);
  };

  for (;;) {
    const page = await input.summaryPage(db, after, PAGE, scope);
    const last = page.length < PAGE;
    if (page.length > 0) after = [page.at(-1)!.sku, page.at(-1)!.location_id];
    const rows = carry.concat(page);
    // The last SKU of a full page may continue on the next one: keep it for then.
    let cut = rows.length;
    if (!last && rows.length > 0) {
      const lastSku = rows.at(-1)!.sku;
      while (cut > 0 && rows[cut - 1]!.sku === lastSku) cut--;
      if (cut === 0) cut = rows.length; // one SKU longer than a page: plan it whole (never happens under 20,000 stores)
    }
    const todo = rows.slice(0, cut);
    carry = rows.slice(cut);
    const skuList = [...new Set(todo.map((r) => r.sku))];
    const wh = new Map<string, Map<string, number>>();
    for (const w of await input.warehouseStock(db, skuList, warehouseIds)) {
      const m = wh.get(w.sku) ?? new Map<string, number>();
      m.set(w.location_id, w.available);
      wh.set(w.sku, m);
    }
    const results: PairResult[] = [];
    const proposals: store.ProposalRow[] = [];
    const now = deps.now();
    let i = 0;
    while (i < todo.length) {
      let j = i;
      while (j < todo.length && todo[j]!.sku === todo[i]!.sku) j++;
      const sku = todo[i]!.sku;
      const plan = planGroup(sku, todo.slice(i, j), wh);
      i = j;
      skus++;
      skipped += plan.skipped.length;
      let skuDemand = 0;
      for (const r of plan.results) {
        results.push(r);
        skuDemand += r.mean;
        const a = perStore.get(r.location_id) ?? {
          skus: 0,
          min_units: 0,
          max_units: 0,
          investment: 0,
          safety_alone: 0,
          safety_pooled: 0,
          saving_value: 0,
        };
        a.skus++;
        a.min_units += r.min;
        a.max_units += r.max;
        a.investment += r.investment;
        a.safety_alone += r.safety_alone;
        a.safety_pooled += r.safety_pooled;
        a.saving_value += (r.safety_alone - r.safety_pooled) * r.unit_cost;
        perStore.set(r.location_id, a);
      }
      if (p.simulate_skus > 0 && skuDemand > 0) demandBySku.set(sku, skuDemand);
      for (const x of plan.replenishment)
        proposals.push(proposalRow(runId, 'replenishment', x.sku, x.from, x.to, x.units, x.needed, now));
      for (const x of plan.rebalancing)
        proposals.push(proposalRow(runId, 'rebalancing', x.sku, x.from, x.to, x.units, x.units, now));
      replenishment += plan.replenishment.length;
      rebalancing += plan.rebalancing.length;
    }
    // The page is written while the next one is read and computed (the database and the CPU work
    // side by side); one write at a time, and a failed write stops the run at the next page.
    const failed = await writing;
    if (failed) throw failed;
    pairs += results.length;
    done += todo.length;
    const progressed = done;
    writing = (async () => {
      await store.insertResults(db, runId, results);
      await store.insertProposals(db, proposals);
      await deps.progress?.(progressed, total);
    })().then(
      () => null,
      (err: unknown) => err,
    );
    if (last) break;
  }
  const failed = await writing;
  if (failed) throw failed;

  const simulation = p.simulate_skus > 0 ? await simulationCheck(deps, runId, p, demandBySku, from, to) : null;
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
    proposals: { replenishment, rebalancing },
    simulation,
    duration_ms: Date.now() - started,
  };
}

function proposalRow(
  runId: string,
  kind: 'replenishment' | 'rebalancing',
  sku: string,
  from: string,
  to: string,
  units: number,
  needed: number,
  now: Date,
): store.ProposalRow {
  return {
    id: newId(ID_PREFIX.planningProposal, now.getTime()),
    run_id: runId,
    kind,
    sku,
    from_location_id: from,
    to_location_id: to,
    units,
    needed,
    status: 'proposed',
    transfer_id: null,
    decided_by: null,
    decided_at: null,
    created_at: now,
  };
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
