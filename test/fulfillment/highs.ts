/** The HiGHS MIP optimum of a sourcing batch (tests and bench): the yardstick for the optimiser's gap. */
import highsImport from 'highs';
import { toLp } from '../../src/fulfillment/sourcing/mip.js';
import type { BatchModel } from '../../src/fulfillment/sourcing/model.js';

// highs ships CJS typings but Node loads its ESM build: TS sees the namespace, Node the loader.
type Loader = typeof highsImport.default;
const loadHighs = ((highsImport as unknown as { default?: Loader }).default ?? highsImport) as unknown as Loader;
type Highs = Awaited<ReturnType<Loader>>;
let loaded: Promise<Highs> | undefined;

export interface MipResult {
  status: string;
  /** Best integer solution found, in batch-cost terms. */
  objective: number;
  /** Proven lower bound on the optimum (equals objective when solved to optimality). */
  bound: number;
  optimal: boolean;
  seconds: number;
  columns: number;
  binaries: number;
}

export async function solveMip(model: BatchModel, timeLimitSeconds = 60): Promise<MipResult> {
  loaded ??= loadHighs();
  const highs = await loaded;
  const mip = toLp(model);
  const started = performance.now();
  const m = highs.createModel();
  try {
    m.readModel({ format: 'lp', data: mip.lp });
    m.options.set({ output_flag: false, time_limit: timeLimitSeconds, mip_rel_gap: 1e-7 });
    m.run();
    const status = String(m.getModelStatus());
    const objective = m.getObjectiveValue() + mip.offset;
    const bound = Number(m.info.get('mip_dual_bound')) + mip.offset;
    return {
      status,
      objective,
      bound,
      optimal: Math.abs(objective - bound) < 1e-6 * Math.max(1, Math.abs(objective)),
      seconds: (performance.now() - started) / 1000,
      columns: mip.columns,
      binaries: mip.binaries,
    };
  } finally {
    m.dispose();
  }
}
