/** Issue 11 point 7: pickup-code attempts are rate-limited per client IP across tasks, not only locked per task. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { act, product, readyForPickupAtGran, receive, setupNetwork, wrongPickupCode, type Net } from './fixtures.js';

describe('pickup-code attempts per IP', () => {
  let t: TestApp;
  let net: Net;

  const readyAtGran = () => readyForPickupAtGran(t, net);
  const wrongFor = wrongPickupCode;

  beforeAll(async () => {
    t = await startTestApp({ env: { OMNIA_PICKUP_RATE_IP: '3' } });
    net = await setupNetwork(t);
    await product(t, 'scarf', [{ sku: 'SCARF', price: 1500 }]);
    await receive(t, 'SCARF', net.gran, 20);
  });
  afterAll(async () => t?.close());

  it('guesses spread over several tasks hit the IP limit before any task locks; other actions are not counted', async () => {
    const tasks = [await readyAtGran(), await readyAtGran(), await readyAtGran()];
    // Three wrong guesses, one per task: each task is far from its own lock.
    for (const task of tasks) {
      const wrong = await act(t, task.id, { action: 'handover', pickup_code: wrongFor(task.code) }, net.granStaff);
      expect(wrong.status).toBe(422);
      expect(wrong.body.code).toBe('wrong_pickup_code');
    }
    // The fourth handover from this IP is refused before the code is even compared.
    const fourth = await act(t, tasks[0]!.id, { action: 'handover', pickup_code: tasks[0]!.code }, net.granStaff);
    expect(fourth.status).toBe(429);
    expect(fourth.body.code).toBe('rate_limited');
    expect(await t.omnia.services.fulfillment.get(tasks[0]!.id)).toMatchObject({ status: 'ready_for_pickup' });
    // Work on other tasks (accept, pick, pack, ready) from the same IP goes on.
    const next = await readyAtGran();
    expect(next.code).toMatch(/^\d+$/);
  });
});
