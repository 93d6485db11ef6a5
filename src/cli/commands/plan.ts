import { parseArgs } from 'node:util';
import { createOmnia } from '../../server.js';
import { DataDirLockedError } from '../../platform/db/data-dir-lock.js';
import { AppError } from '../../platform/http/problems.js';
import { CONFIG_FLAGS, configFrom, CliError, EXIT } from '../shared.js';
import { Progress } from '../progress.js';

export const help = `omnia plan minmax [--service-level 0.95] [--review-days 2] [--lead-days 1] [--history-days 182]
                  [--as-of YYYY-MM-DD] [--max-rule order_up_to|min_plus_review] [--simulate-skus 200]
                  [--apply] [--json] [--database-url URL] [--data-dir DIR]

Computes min (reorder point) and max (order-up-to) per SKU (size) per store from the daily demand of
the last --history-days (orders and till sales; stock-out days are censored), the pooling saving, the
simulation check and the replenishment and rebalancing proposals — the same run as
POST /v1/planning/minmax, with a progress bar. --apply writes the levels to the stock levels'
min_qty/max_qty. With the embedded database, stop 'omnia serve' first (or use the API).`;

function num(name: string, raw: string | undefined, int: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (int && !Number.isInteger(v)))
    throw new CliError(`--${name} must be ${int ? 'a whole number' : 'a number'}, got "${raw}"`, EXIT.usage);
  return v;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...CONFIG_FLAGS,
      'service-level': { type: 'string' },
      'review-days': { type: 'string' },
      'lead-days': { type: 'string' },
      'history-days': { type: 'string' },
      'as-of': { type: 'string' },
      'max-rule': { type: 'string' },
      'simulate-skus': { type: 'string' },
      apply: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (positionals[0] !== 'minmax' || positionals.length !== 1) throw new CliError(help, EXIT.usage);
  const maxRule = values['max-rule'];
  if (maxRule !== undefined && maxRule !== 'order_up_to' && maxRule !== 'min_plus_review')
    throw new CliError(`--max-rule must be order_up_to or min_plus_review, got "${maxRule}"`, EXIT.usage);
  const input = {
    service_level: num('service-level', values['service-level'], false),
    review_days: num('review-days', values['review-days'], true),
    lead_days: num('lead-days', values['lead-days'], true),
    history_days: num('history-days', values['history-days'], true),
    simulate_skus: num('simulate-skus', values['simulate-skus'], true),
    as_of: values['as-of'],
    max_rule: maxRule as 'order_up_to' | 'min_plus_review' | undefined,
    background: true,
  };
  const config = { ...configFrom(values), jobs: false, logLevel: 'warn' as const };
  let omnia;
  try {
    omnia = await createOmnia({ config, command: 'omnia plan' });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw new CliError(err.message, EXIT.locked);
    throw err;
  }
  try {
    const planning = omnia.services.planning;
    let queued;
    try {
      queued = await planning.createRun(input, 'cli');
    } catch (err) {
      if (err instanceof AppError) throw new CliError(`${err.detail}`, EXIT.usage);
      throw err;
    }
    let bar: Progress | undefined;
    let shown = 0;
    const tick = async () => {
      const r = await planning.get(queued.id);
      if (values.json || r.progress.total === 0) return;
      bar ??= new Progress('plan minmax', r.progress.total);
      bar.tick(r.progress.done - shown);
      shown = r.progress.done;
    };
    const timer = setInterval(() => void tick().catch(() => undefined), 500);
    try {
      await planning.runDue();
    } finally {
      clearInterval(timer);
    }
    const run = await planning.get(queued.id);
    if (!values.json && run.progress.total > 0) {
      // A small run can end before the first poll: the bar still shows where it ended.
      bar ??= new Progress('plan minmax', run.progress.total);
      bar.tick(run.progress.done - shown);
      bar.finish();
    }
    if (run.status !== 'done') throw new CliError(`run ${run.id} ${run.status}: ${run.error ?? ''}`, EXIT.failure);
    const applied = values.apply ? await planning.apply(run.id) : null;
    const s = run.summary!;
    const eur = (m: number) => (m / 100).toFixed(2);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ id: run.id, summary: s, applied })}\n`
        : `run ${run.id}: ${s.pairs} SKU × store pairs (${s.skipped} without enough history) in ${s.stores} stores; ` +
            `min ${s.min_units} / max ${s.max_units} units, investment ${eur(s.investment)} ${s.currency}; ` +
            `pooling saves ${(s.safety_alone - s.safety_pooled).toFixed(0)} units of safety stock ` +
            `(${eur(s.safety_saving_value)} ${s.currency}, ratio ${s.pooling_ratio.toFixed(2)}); ` +
            `proposals: ${s.proposals.replenishment} replenishment, ${s.proposals.rebalancing} rebalancing` +
            (s.simulation
              ? `; simulated ${s.simulation.skus} SKUs: service ${(s.simulation.alone.cycle_service_level * 100).toFixed(1)} % alone, ${(s.simulation.pooled.cycle_service_level * 100).toFixed(1)} % pooled`
              : '') +
            (applied ? `; applied to ${applied.applied} stock levels` : '') +
            ` (${s.duration_ms} ms)\n`,
    );
    return EXIT.ok;
  } finally {
    await omnia.close();
  }
}
