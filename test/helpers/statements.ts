/**
 * Counts the statements Kysely sends through a database handle: `db.withPlugin(c.plugin)`, then
 * `c.count`. The batch consumers' tests state their cost in statements (a figure that does not
 * depend on the machine's load, unlike their time).
 */
import type { KyselyPlugin, PluginTransformQueryArgs, RootOperationNode } from 'kysely';

export interface StatementCounter {
  readonly plugin: KyselyPlugin;
  /** Statements sent since the counter was made or last reset. */
  readonly count: number;
  reset(): void;
}

/** `only`: counts only the statements it accepts (a test's "selects from cart_lines"). */
export function statementCounter(only?: (node: RootOperationNode) => boolean): StatementCounter {
  let n = 0;
  return {
    plugin: {
      transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
        if (!only || only(args.node)) n++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    get count() {
      return n;
    },
    reset() {
      n = 0;
    },
  };
}
