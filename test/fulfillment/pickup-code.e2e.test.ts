/** Issue 11 point 7: the pickup code is never listed, and handover locks after too many wrong codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { PICKUP_MAX_TRIES } from '../../src/fulfillment/rules.js';
import { act, product, readyForPickupAtGran, receive, setupNetwork, wrongPickupCode, type Net } from './fixtures.js';

describe('pickup codes', () => {
  let t: TestApp;
  let net: Net;

  const readyAtGran = () => readyForPickupAtGran(t, net);
  const wrongFor = wrongPickupCode;

  beforeAll(async () => {
    t = await startTestApp();
    net = await setupNetwork(t);
    await product(t, 'scarf', [{ sku: 'SCARF', price: 1500 }]);
    await receive(t, 'SCARF', net.gran, 20);
  });
  afterAll(async () => t?.close());

  it('the queue, the task read and the service never show the code', async () => {
    const { id, code } = await readyAtGran();
    const queue = await t.request('GET', `/v1/fulfillments?location_id=${net.gran.id}`, { token: net.granStaff });
    expect(queue.status).toBe(200);
    const listed = queue.body.items.find((x: { id: string }) => x.id === id);
    expect(listed).toMatchObject({ id, status: 'ready_for_pickup', pickup_locked: false });
    const one = await t.request('GET', `/v1/fulfillments/${id}`, { token: net.granStaff });
    expect(one.status).toBe(200);
    for (const body of [queue.body, one.body, await t.omnia.services.fulfillment.get(id)]) {
      expect(JSON.stringify(body)).not.toContain(code);
      expect(JSON.stringify(body)).not.toContain('pickup_code');
    }
  });

  it('wrong codes count down, the last one locks, and then even the right code is refused', async () => {
    const { id, code } = await readyAtGran();
    for (let i = 1; i < PICKUP_MAX_TRIES; i++) {
      const wrong = await act(t, id, { action: 'handover', pickup_code: wrongFor(code) }, net.granStaff);
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ code: 'wrong_pickup_code', attempts_left: PICKUP_MAX_TRIES - i });
    }
    const last = await act(t, id, { action: 'handover', pickup_code: wrongFor(code) }, net.granStaff);
    expect(last.status).toBe(423);
    expect(last.body.code).toBe('pickup_code_locked');
    const right = await act(t, id, { action: 'handover', pickup_code: code }, net.granStaff);
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('pickup_code_locked');
    expect(await t.omnia.services.fulfillment.get(id)).toMatchObject({
      status: 'ready_for_pickup',
      pickup_locked: true,
    });
  });

  it('a store associate cannot unlock; someone with fulfillment:unlock can, and the count starts again', async () => {
    const { id, code } = await readyAtGran();
    for (let i = 0; i < PICKUP_MAX_TRIES; i++)
      await act(t, id, { action: 'handover', pickup_code: wrongFor(code) }, net.granStaff);
    const path = `/v1/fulfillments/${id}/pickup-code/unlock`;
    expect((await t.request('POST', path, { token: net.granStaff, body: {} })).status).toBe(403);
    const unlocked = await t.request('POST', path, { body: {} }); // the admin
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toMatchObject({ id, pickup_locked: false, status: 'ready_for_pickup' });
    expect((await t.request('POST', path, { body: {} })).status).toBe(409); // not locked any more
    const again = await act(t, id, { action: 'handover', pickup_code: wrongFor(code) }, net.granStaff);
    expect(again.body).toMatchObject({ code: 'wrong_pickup_code', attempts_left: PICKUP_MAX_TRIES - 1 });
    const done = await act(t, id, { action: 'handover', pickup_code: code }, net.granStaff);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('handed_over');
  });

  it('a wrong code at another store’s task is refused before it counts', async () => {
    const { id, code } = await readyAtGran();
    const foreign = await act(t, id, { action: 'handover', pickup_code: wrongFor(code) }, net.solStaff);
    expect(foreign.status).toBe(403);
    const first = await act(t, id, { action: 'handover', pickup_code: wrongFor(code) }, net.granStaff);
    expect(first.body).toMatchObject({ code: 'wrong_pickup_code', attempts_left: PICKUP_MAX_TRIES - 1 });
  });
});
