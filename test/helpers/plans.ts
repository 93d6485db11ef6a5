/**
 * Reading `explain (analyze, format json)` output: the plan tests state what a statement reads (rows
 * its scans returned plus those their filters dropped), a figure that holds on both databases and
 * does not depend on the machine's load.
 */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Every node of a plan, the root first. */
export const planNodes = (p: PlanNode): PlanNode[] => [p, ...(p.Plans ?? []).flatMap(planNodes)];

/** Rows the plan read from `relation` (a delete's or update's own node left out). */
export const rowsRead = (all: readonly PlanNode[], relation: string): number =>
  all
    .filter((n) => n['Relation Name'] === relation && n['Node Type'] !== 'ModifyTable')
    .reduce((s, n) => s + (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0)) * n['Actual Loops'], 0);
