/**
 * What a cart's answer reads: a change re-prices the cart and answers with the lines the re-price read
 * (the version its quote was stored for), not with a second read of them; a new cart has none to read.
 * The re-price reads the cart and its lines in one statement; so does a plain read of the cart. A new
 * cart is written with its event in one statement, its own transaction.
 * Counted by statement, a figure that does not depend on the machine's load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationNode, RootOperationNode } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { statementCounter } from '../helpers/statements.js';
import { setupShop, type Shop } from '../checkout/fixtures.js';
import { CartsService, type CartActor } from '../../src/carts/index.js';
import { json } from '../../src/platform/db/json.js';

/** Selects reading `table` (compiled statements are built per call under a plugin, so all are seen). */
function selectsFrom(table: string): (node: RootOperationNode) => boolean {
  const names = (node: OperationNode | undefined): string[] => {
    const n = node as { kind?: string; table?: { identifier?: { name?: string } }; froms?: OperationNode[] };
    if (!n) return [];
    if (n.kind === 'TableNode') return [n.table?.identifier?.name ?? ''];
    return (n.froms ?? []).flatMap(names);
  };
  return (node) => node.kind === 'SelectQueryNode' && names(node.from).includes(table);
}

describe('cart answers', () => {
  let t: TestApp;
  let shop: Shop;
  let web: CartActor;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await setupShop(t, { prefix: 'cr', promotions: 2, stock: 100 });
    web = {
      kind: 'api_key',
      keyKind: 'secret',
      id: 'cr',
      channelId: (await t.omnia.services.network.channel('cr-web'))!.id,
      locationId: null,
    };
  });
  afterAll(async () => t?.close());

  it('open a cart and record its cart.created event in one statement', async () => {
    const s = t.omnia.services;
    // Counted by results (one per statement sent): a builder embedded in raw SQL is transformed twice.
    let sent = 0;
    const carts = new CartsService({
      db: t.omnia.ctx.db.withPlugin({
        transformQuery: (args) => args.node,
        transformResult: async (args) => (sent++, args.result),
      }),
      clock: t.omnia.ctx.clock,
      network: s.network,
      promotions: s.promotions,
      inventory: s.inventory,
      catalog: s.catalog,
    });
    const { cart, created } = await carts.create(web, {});
    expect([created, sent]).toEqual([true, 1]);
    expect(cart).toEqual(await carts.get(web, cart.id));
    const events = await t.omnia.ctx.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', cart.id)
      .execute();
    expect(events.map((e) => [e.type, json(e.payload)])).toEqual([
      ['cart.created', { cart_id: cart.id, channel: cart.channel_id, customer_id: null }],
    ]);
  });

  it('read the cart with its lines once per change, and no lines at all for a new cart', async () => {
    const s = t.omnia.services;
    const lines = statementCounter(selectsFrom('cart_lines'));
    const rows = statementCounter(selectsFrom('carts'));
    const carts = new CartsService({
      db: t.omnia.ctx.db.withPlugin(lines.plugin).withPlugin(rows.plugin),
      clock: t.omnia.ctx.clock,
      network: s.network,
      promotions: s.promotions,
      inventory: s.inventory,
      catalog: s.catalog,
    });
    const { cart } = await carts.create(web, {});
    expect(cart.lines).toEqual([]);
    expect(lines.count).toBe(0);

    rows.reset();
    const added = await carts.addItem(web, cart.id, { sku: shop.skus[0]!, quantity: 2 });
    // One read: the re-price's, the cart with its lines; the change itself locks by its update.
    expect([rows.count, lines.count]).toEqual([1, 0]);
    expect(added.lines.map((l) => [l.sku, l.quantity])).toEqual([[shop.skus[0]!, 2]]);
    rows.reset();
    expect(added).toEqual(await carts.get(web, cart.id)); // as a fresh read shows the cart
    expect([rows.count, lines.count]).toEqual([1, 0]);

    rows.reset();
    const again = await carts.addItem(web, cart.id, { sku: shop.skus[1]!, quantity: 1 });
    expect([rows.count, lines.count]).toEqual([1, 0]);
    expect(again.lines.map((l) => l.sku).sort()).toEqual([shop.skus[0]!, shop.skus[1]!].sort());
    expect(again.totals).not.toBeNull();
    expect(again).toEqual(await carts.get(web, cart.id));
  });
});
