/**
 * The same batch model written as a mixed-integer program (CPLEX LP text) for an exact solver
 * (HiGHS, in tests and bench/sourcing.ts) to measure the optimiser's gap. Pure string building; the
 * solver itself is a dev dependency and never runs in the server.
 *
 *   y[o,c] ∈ {0,1}   order o ships a package from candidate c
 *   x[o,l,c] ≥ 0     units of line l from candidate c      (x ≤ qty·y: the strong linking form)
 *   u[o,l] ≥ 0       units unsourced
 *   p[s] ≥ 0         units of slot s taken into its protected last units;  p ≥ Σx − free
 *   r[s] ∈ [0,over]  units of slot s taken out of overstock;               r ≤ Σx
 * x may be continuous: with y fixed what remains is a transportation problem with convex piecewise
 * costs, which has an integral optimum, so the MIP optimum equals the integer one. The MIP may split a
 * line between locations, which the optimiser does only when no location has the whole line: the MIP
 * is a relaxation of the optimiser's space, so the measured gap is conservative.
 */
import type { BatchModel } from './model.js';

export interface MipText {
  lp: string;
  /** Add to the solver's objective to get the model's batch cost. */
  offset: number;
  binaries: number;
  columns: number;
}

export function toLp(model: BatchModel): MipText {
  const p = model.params;
  const obj: string[] = [];
  const rows: string[] = [];
  const bins: string[] = [];
  const bounds: string[] = [];
  const slotTerms = new Map<number, string[]>();
  const locTerms = new Map<number, string[]>();
  let columns = 0;
  model.orders.forEach((o, i) => {
    const L = o.lines.length;
    o.lines.forEach((line, l) => {
      const demand: string[] = [`u${i}_${l}`];
      obj.push(`${p.unsourcedPenalty} u${i}_${l}`);
      columns++;
      for (let c = 0; c < o.cands.length; c++) {
        const s = o.slot[c * L + l]!;
        if (s < 0) continue;
        const x = `x${i}_${l}_${c}`;
        columns++;
        demand.push(x);
        obj.push(`${model.unitCost[o.cands[c]!]} ${x}`);
        rows.push(`k${i}_${l}_${c}: ${x} - ${line.qty} y${i}_${c} <= 0`);
        let t = slotTerms.get(s);
        if (!t) slotTerms.set(s, (t = []));
        t.push(x);
      }
      rows.push(`d${i}_${l}: ${demand.join(' + ')} = ${line.qty}`);
    });
    for (let c = 0; c < o.cands.length; c++) {
      const y = `y${i}_${c}`;
      columns++;
      obj.push(`${o.fixed[c]} ${y}`);
      bins.push(y);
      const j = o.cands[c]!;
      if (model.capacity[j]! >= 0) {
        let t = locTerms.get(j);
        if (!t) locTerms.set(j, (t = []));
        t.push(y);
      }
    }
  });
  for (const [s, xs] of slotTerms) {
    const sum = xs.join(' + ');
    const stock = model.slotStock[s]!;
    rows.push(`s${s}: ${sum} <= ${stock}`);
    const free = model.slotFree[s]!;
    if (p.lastUnitsPenalty > 0 && free < stock) {
      obj.push(`${p.lastUnitsPenalty} p${s}`);
      columns++;
      rows.push(`q${s}: ${sum} - p${s} <= ${free}`);
    }
    const over = model.slotOver[s]!;
    if (p.overMaxReward > 0 && over > 0) {
      obj.push(`-${p.overMaxReward} r${s}`);
      columns++;
      rows.push(`v${s}: r${s} - ${xs.join(' - ')} <= 0`);
      bounds.push(`0 <= r${s} <= ${over}`);
    }
  }
  for (const [j, ys] of locTerms) rows.push(`c${j}: ${ys.join(' + ')} <= ${model.capacity[j]}`);
  const wrap = (terms: string[], sep: string) => {
    const out: string[] = [];
    for (let k = 0; k < terms.length; k += 40) out.push(terms.slice(k, k + 40).join(sep));
    return out.join(`\n ${sep.trim()} `);
  };
  const lp = [
    'Minimize',
    ` obj: ${obj.length ? wrap(obj, ' + ').replace(/\+ -/g, '- ') : '0'}`,
    'Subject To',
    ...rows.map((r) => ` ${r}`),
    'Bounds',
    ...bounds.map((b) => ` ${b}`),
    'Binaries',
    ...bins.map((b) => ` ${b}`),
    'End',
    '',
  ].join('\n');
  return { lp, offset: -p.splitPenalty * model.orders.length, binaries: bins.length, columns };
}
