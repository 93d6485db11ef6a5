/**
 * Planning: min/max runs (computed inline when small, by the `planning.runs` job otherwise), their
 * results and CSV, applying them to stock levels, and the proposals people accept (→ an inventory
 * transfer) or reject.
 */
import type { Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db/schema.js';
import { inTx } from '../platform/db/tx.js';
import { ID_PREFIX, newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import { checkRunParams } from './run-rules.js';
import { computeRun } from './compute.js';
import * as input from './input-sql.js';
import * as store from './store.js';
import type { PlanningInventoryPort, PlanningNetworkPort } from './ports.js';
import type { ProposalView, ResultLine, Run, RunInput, RunParamsStored, RunSummary, StoreFigures } from './model.js';

export interface PlanningDeps {
  db: Db;
  clock: Clock;
  network: PlanningNetworkPort;
  inventory: PlanningInventoryPort;
  /** Wakes the background job (a queued run). */
  kick?: () => void;
  /** Runs with more SKU × store pairs than this go to the background job (default 20,000). */
  inlineLimit?: number;
  /** Chunks computed at the same time (config.planningWorkers; default compute.ts WORKERS). */
  workers?: number;
  /** How chunks are computed on PostgreSQL (config.planningCompute; default compute.ts: copy). */
  compute?: 'copy' | 'sql';
  /**
   * Finished runs whose output is kept (config.planningKeepRuns): once a run is done, the results and
   * proposals tables of older done runs are dropped. 0 or absent: every run is kept.
   */
  keepRuns?: number;
}

const LEASE_MS = 5 * 60_000;

export class PlanningService {
  constructor(private readonly deps: PlanningDeps) {}

  private today(): string {
    return this.deps.clock.now().toISOString().slice(0, 10);
  }

  /** Checks the input, records the run; computes it now when small, else leaves it to the job. */
  async createRun(body: RunInput, actor: string): Promise<Run> {
    const params: RunParamsStored = {
      service_level: body.service_level ?? 0.95,
      review_days: body.review_days ?? 2,
      lead_days: body.lead_days ?? 1,
      max_rule: body.max_rule ?? 'order_up_to',
      min_observed_days: body.min_observed_days ?? 7,
      transfer_lead_days: body.transfer_lead_days ?? 1,
      min_lot: body.min_lot ?? 2,
      history_days: body.history_days ?? 182,
      as_of: body.as_of ?? this.today(),
      location_ids: null,
      refresh_demand: body.refresh_demand ?? true,
      simulate_skus: body.simulate_skus ?? 200,
    };
    const checked = checkRunParams(params);
    if (!checked.ok) throw problems.field(checked.error.field, checked.error.message);
    if (body.as_of !== undefined && Number.isNaN(Date.parse(`${body.as_of}T00:00:00Z`)))
      throw problems.field('as_of', 'is not a date (YYYY-MM-DD)');
    if (body.location_ids) {
      const ids: string[] = [];
      for (const [i, l] of body.location_ids.entries()) {
        const loc = await this.deps.network.requireLocation(l);
        if (loc.type !== 'store') throw problems.field(`location_ids/${i}`, `${loc.code} is not a store`);
        ids.push(loc.id);
      }
      params.location_ids = [...new Set(ids)].sort();
    }
    const now = this.deps.clock.now();
    const id = newId(ID_PREFIX.planningRun, now.getTime());
    await store.insertRun(this.deps.db, {
      id,
      status: 'queued',
      params,
      total: 0,
      done: 0,
      summary: null,
      error: null,
      actor,
      lease_until: null,
      applied_at: null,
      expired_at: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    });
    const size = await input.countPairs(this.deps.db, params.location_ids);
    // Kept as the run's progress total: the computation starts from it instead of counting again.
    await store.setProgress(this.deps.db, id, { total: size }, now);
    if (!body.background && size <= (this.deps.inlineLimit ?? 20_000)) {
      // Small: compute now under a lease, so the job does not take it meanwhile.
      const lease = new Date(now.getTime() + LEASE_MS);
      await store.setProgress(this.deps.db, id, { lease_until: lease }, now);
      await this.deps.db.updateTable('planning_runs').set({ status: 'running' }).where('id', '=', id).execute();
      await this.compute(id, params, size);
    } else this.deps.kick?.();
    return this.get(id);
  }

  /** The job: takes one queued (or abandoned) run and computes it. */
  async runDue(): Promise<number> {
    const now = this.deps.clock.now();
    const run = await inTx(this.deps.db, undefined, (trx) =>
      store.claimRun(trx, now, new Date(now.getTime() + LEASE_MS)),
    );
    if (!run) return 0;
    await this.compute(run.id, run.params as RunParamsStored, Number(run.total));
    return 1;
  }

  private async compute(id: string, params: RunParamsStored, total: number): Promise<void> {
    const { db, clock } = this.deps;
    try {
      const summary = await computeRun(
        {
          db,
          now: () => clock.now(),
          network: this.deps.network,
          ...(this.deps.workers ? { workers: this.deps.workers } : {}),
          ...(this.deps.compute ? { compute: this.deps.compute } : {}),
          total,
          progress: (done, total) =>
            store.setProgress(
              db,
              id,
              { done, total, lease_until: new Date(clock.now().getTime() + LEASE_MS) },
              clock.now(),
            ),
        },
        id,
        params,
      );
      // The total counted at creation stands unless the pairs changed meanwhile: done is what was computed.
      const done = summary.pairs + summary.skipped;
      await store.finishRun(db, id, { status: 'done', summary, done, total: done }, clock.now());
    } catch (err) {
      await store.finishRun(db, id, { status: 'failed', error: (err as Error).message }, clock.now());
      return;
    }
    await this.expireOld();
  }

  /**
   * Drops the output of done runs older than the newest `keepRuns` (each run ≈ 2 GB and 82 tables at
   * 10 M pairs): their rows, summaries and per-store figures stay, marked expired. Accepted proposals
   * live on as the inventory transfers they became (reference: the proposal id).
   */
  async expireOld(): Promise<string[]> {
    const keep = this.deps.keepRuns ?? 0;
    if (keep <= 0) return [];
    const ids = await store.runsToExpire(this.deps.db, keep);
    for (const id of ids) await inTx(this.deps.db, undefined, (trx) => store.expireRun(trx, id, this.deps.clock.now()));
    return ids;
  }

  async get(id: string, db: Executor = this.deps.db): Promise<Run> {
    const r = await store.getRun(db, id);
    if (!r) throw problems.notFound('planning run', id);
    return toRun(r, r.status === 'done' ? await store.runStores(db, id) : []);
  }

  async list(after: string | undefined, limit: number): Promise<Run[]> {
    return (await store.listRuns(this.deps.db, after, limit)).map((r) => toRun(r, []));
  }

  async results(id: string, f: Omit<store.ResultFilter, 'limit'> & { limit: number }): Promise<ResultLine[]> {
    await this.requireDone(id);
    return (await store.results(this.deps.db, id, f)).map((r) => ({
      ...r,
      size: r.size ?? null,
      unit_cost: Number(r.unit_cost),
      investment: Number(r.investment),
    }));
  }

  /** The whole result as CSV, page by page (keyset), so a big run never sits in memory at once. */
  async *csv(id: string): AsyncGenerator<string> {
    await this.requireDone(id);
    yield 'sku,location_id,size,mean_daily,sd_daily,observed_days,censored_days,min_qty,max_qty,unit_cost,investment,safety_alone,safety_pooled\n';
    let after: [string, string] | undefined;
    for (;;) {
      const page = await store.results(this.deps.db, id, { after, limit: 5000 });
      if (page.length === 0) return;
      yield (
        page
          .map((r) =>
            [
              r.sku,
              r.location_id,
              r.size ?? '',
              r.mean_daily.toFixed(4),
              r.sd_daily.toFixed(4),
              r.observed_days,
              r.censored_days,
              r.min_qty,
              r.max_qty,
              r.unit_cost,
              r.investment,
              r.safety_alone.toFixed(3),
              r.safety_pooled.toFixed(3),
            ]
              .map(csvCell)
              .join(','),
          )
          .join('\n') + '\n'
      );
      const last = page.at(-1)!;
      after = [last.sku, last.location_id];
    }
  }

  /** The stores a run covers (the route asks the policy about each before applying). */
  async runLocations(id: string): Promise<string[]> {
    await this.requireDone(id);
    return (await store.runStores(this.deps.db, id)).map((s) => s.location_id);
  }

  /**
   * Writes the run's min/max to the stock levels, one level at a time through the inventory service
   * (each with its own event). A level the store does not hold any more is counted, not an error.
   */
  async apply(id: string): Promise<{ applied: number; missing: number }> {
    await this.requireDone(id);
    let applied = 0;
    let missing = 0;
    let after: [string, string] | undefined;
    for (;;) {
      const page = await store.levelPage(this.deps.db, id, after, 1000);
      if (page.length === 0) break;
      for (const l of page) {
        try {
          await this.deps.inventory.setLevelPolicy(l.sku, l.location_id, { min_qty: l.min_qty, max_qty: l.max_qty });
          applied++;
        } catch (err) {
          if (err instanceof AppError && err.type === 'unprocessable') missing++;
          else throw err;
        }
      }
      after = [page.at(-1)!.sku, page.at(-1)!.location_id];
    }
    await store.markApplied(this.deps.db, id, this.deps.clock.now());
    return { applied, missing };
  }

  async proposals(f: store.ProposalFilter): Promise<ProposalView[]> {
    // A run named whose proposals were dropped says so, rather than listing none.
    if (f.run_id) {
      const r = await store.getRun(this.deps.db, f.run_id);
      if (r?.expired_at) throw runExpired(r.id, r.expired_at);
    }
    return (await store.proposals(this.deps.db, f)).map(toProposal);
  }

  async proposal(id: string): Promise<ProposalView> {
    const p = await store.getProposal(this.deps.db, id);
    if (!p) throw problems.notFound('proposal', id);
    return toProposal(p);
  }

  /**
   * Accepting dispatches the transfer in the same transaction as the decision: both or neither
   * (a source short of stock refuses with insufficient_stock and the proposal stays open).
   */
  async decide(id: string, decision: 'accept' | 'reject', actor: string): Promise<ProposalView> {
    return inTx(this.deps.db, undefined, async (trx) => {
      const p = await store.getProposal(trx, id, true);
      if (!p) throw problems.notFound('proposal', id);
      if (p.status !== 'proposed') throw problems.conflict(`proposal ${id} is already ${p.status}`);
      let transferId: string | null = null;
      if (decision === 'accept') {
        const t = await this.deps.inventory.createTransfer(
          {
            from_location_id: p.from_location_id,
            to_location_id: p.to_location_id,
            lines: [{ sku: p.sku, quantity: p.units }],
            reference: p.id,
            actor,
          },
          { trx },
        );
        transferId = t.id;
      }
      const now = this.deps.clock.now();
      const status = decision === 'accept' ? 'accepted' : 'rejected';
      await store.decideProposal(trx, id, { status, transfer_id: transferId, decided_by: actor }, now);
      return toProposal({ ...p, status, transfer_id: transferId, decided_by: actor, decided_at: now });
    });
  }

  private async requireDone(id: string): Promise<store.RunRow> {
    const r = await store.getRun(this.deps.db, id);
    if (!r) throw problems.notFound('planning run', id);
    if (r.status !== 'done') throw problems.conflict(`run ${id} is ${r.status}, not done`);
    if (r.expired_at) throw runExpired(id, r.expired_at);
    return r;
  }
}

function runExpired(id: string, at: Date): AppError {
  return new AppError('run_expired', `the results and proposals of run ${id} were dropped at ${at.toISOString()}`);
}

function csvCell(v: unknown): string {
  const s = String(v);
  // Quote what a spreadsheet would split or run as a formula.
  return /[",\n\r]|^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toRun(r: store.RunRow, stores: store.RunStoreRow[]): Run {
  return {
    id: r.id,
    status: r.status as Run['status'],
    params: r.params as RunParamsStored,
    progress: { total: r.total, done: r.done },
    summary: (r.summary as RunSummary | null) ?? null,
    stores: stores.map((s): StoreFigures => ({
      location_id: s.location_id,
      skus: s.skus,
      min_units: Number(s.min_units),
      max_units: Number(s.max_units),
      investment: Number(s.investment),
      safety_alone: s.safety_alone,
      safety_pooled: s.safety_pooled,
      safety_saving_value: Number(s.safety_saving_value),
      region: s.region,
      safety_region_pooled: s.safety_region_pooled,
      region_saving_value: s.region_saving_value === null ? null : Number(s.region_saving_value),
    })),
    error: r.error,
    applied_at: r.applied_at?.toISOString() ?? null,
    expired_at: r.expired_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
    finished_at: r.finished_at?.toISOString() ?? null,
  };
}

function toProposal(p: store.ProposalRow): ProposalView {
  return {
    id: p.id,
    run_id: p.run_id,
    kind: p.kind as ProposalView['kind'],
    sku: p.sku,
    from_location_id: p.from_location_id,
    to_location_id: p.to_location_id,
    units: p.units,
    needed: p.needed,
    status: p.status as ProposalView['status'],
    transfer_id: p.transfer_id,
    decided_by: p.decided_by,
    decided_at: p.decided_at?.toISOString() ?? null,
    created_at: p.created_at.toISOString(),
  };
}
