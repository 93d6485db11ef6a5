/** Wrong pickup codes tried at once (PostgreSQL): every try is counted, and exactly the limit locks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { PICKUP_MAX_TRIES } from '../../src/fulfillment/rules.js';
import { act, pickupCodeMailed, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

describe('pickup-code lock under concurrency (PostgreSQL)', () => {
  let t: TestApp;
  let net: Net;
  beforeAll(async () => {
    t = await startTestApp({ database: await createTestDatabase({ forcePg: true }) });
    net = await setupNetwork(t);
    await product(t, 'glove', [{ sku: 'GLOVE', price: 1200 }]);
    await receive(t, 'GLOVE', net.gran, 5);
  });
  afterAll(async () => t?.close());

  it('twelve wrong codes at once: the limit is reached once, the rest are refused as locked', async () => {
    const order = await placeOrder(t, net, [['GLOVE', 1]], { method: 'click_collect', location_id: net.gran.id });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    for (const action of ['accept', 'pick', 'pack', 'ready']) await act(t, f!.id, { action }, net.granStaff);
    const code = await pickupCodeMailed(t, f!.id);
    const wrong = code === '000000' ? '111111' : '000000';
    const res = await Promise.all(
      Array.from({ length: 12 }, () => act(t, f!.id, { action: 'handover', pickup_code: wrong }, net.granStaff)),
    );
    const codes = res.map((r) => r.body.code as string);
    expect(codes.filter((c) => c === 'wrong_pickup_code')).toHaveLength(PICKUP_MAX_TRIES - 1);
    expect(codes.filter((c) => c === 'pickup_code_locked')).toHaveLength(12 - (PICKUP_MAX_TRIES - 1));
    const row = await t.database.db
      .selectFrom('fulfillments')
      .select(['pickup_failures', 'pickup_locked_at'])
      .where('id', '=', f!.id)
      .executeTakeFirstOrThrow();
    expect(row.pickup_failures).toBe(PICKUP_MAX_TRIES);
    expect(row.pickup_locked_at).not.toBeNull();
    expect((await act(t, f!.id, { action: 'handover', pickup_code: code }, net.granStaff)).status).toBe(423);
  });
});
