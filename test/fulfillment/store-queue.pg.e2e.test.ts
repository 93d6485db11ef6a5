/** The store queue's partial reject under concurrency (PostgreSQL): the task row lock makes it happen once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { act, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

describe('partial reject under concurrency (PostgreSQL)', () => {
  let t: TestApp;
  let net: Net;
  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true }) });
    net = await setupNetwork(t);
    await product(t, 'sq-belt', [{ sku: 'SQ-BELT', price: 1500 }]);
    await product(t, 'sq-sock', [{ sku: 'SQ-SOCK', price: 500 }]);
    await receive(t, 'SQ-BELT', net.sol, 5);
    await receive(t, 'SQ-SOCK', net.sol, 5);
    await receive(t, 'SQ-SOCK', net.gran, 5);
  });
  afterAll(async () => t?.close());

  it('two associates reject the same line at once (no key): one split, one refusal, one re-sourcing, stock consistent', async () => {
    const order = await placeOrder(
      t,
      net,
      [
        ['SQ-BELT', 1],
        ['SQ-SOCK', 1],
      ],
      { method: 'click_collect', location_id: net.sol.id },
    );
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    expect(f!.location_id).toBe(net.sol.id);
    const body = { action: 'reject', reason: 'torn', lines: [{ sku: 'SQ-SOCK', quantity: 1 }] };
    const res = await Promise.all([act(t, f!.id, body, net.solStaff), act(t, f!.id, body, net.solStaff)]);
    expect(res.map((r) => r.status).sort()).toEqual([200, 400]); // the second finds the sock gone from the task
    const all = await t.omnia.services.fulfillment.ofOrder(order.id);
    const here = all.filter((x) => x.location_id === net.sol.id);
    expect(here.map((x) => x.status).sort()).toEqual(['accepted', 'rejected']);
    const elsewhere = all.filter((x) => x.location_id !== net.sol.id);
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.lines).toEqual([expect.objectContaining({ sku: 'SQ-SOCK', quantity: 1 })]);
    // one unit of each held: the belt at Sol, the sock wherever it was re-sourced
    const reserved = async (sku: string) =>
      (await t.omnia.services.inventory.stock(sku)).levels.reduce((a, l) => a + l.reserved, 0);
    expect(await reserved('SQ-BELT')).toBe(1);
    expect(await reserved('SQ-SOCK')).toBe(1);
  });
});
