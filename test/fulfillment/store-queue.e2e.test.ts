/**
 * The store associate app's API (issue 14 point 1): the queue by tab and kind with promises, the
 * work sheet (GTIN, size), the scan check, partial reject re-sourced elsewhere, pack and ship
 * details, resending the pickup notification, the store binding, and a double submit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import { act, drain, HOME, pickupCodeMailed, placeOrder, receive, setupNetwork, type Net } from './fixtures.js';

/** An EAN-13 with its check digit. */
export function ean(first12: string): string {
  const sum = [...first12].reduce((a, d, i) => a + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return first12 + ((10 - (sum % 10)) % 10);
}
const SHIRT_GTIN = ean('841000000001');
const TROUSERS_GTIN = ean('841000000002');

describe('store associate queue', () => {
  let t: TestApp;
  let net: Net;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const queue = (token: string, query: string) => t.request('GET', `/v1/fulfillments/queue?${query}`, { token });
  const events = async (type: string, aggregate: string) =>
    t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', type)
      .where('aggregate_id', '=', aggregate)
      .execute();

  beforeAll(async () => {
    t = await startTestApp({ clock });
    net = await setupNetwork(t);
    const variant = (sku: string, size: string, gtin: string, price: number) => ({
      sku,
      size,
      gtin,
      weight_g: 300,
      prices: [{ currency: 'EUR', list_amount: price }],
    });
    await t.omnia.services.catalog.createProduct({
      code: 'sq-shirt',
      name: 'Linen shirt',
      category: 'clothing',
      variants: [variant('SQ-SHIRT-M', 'M', SHIRT_GTIN, 3990)],
    } as never);
    await t.omnia.services.catalog.createProduct({
      code: 'sq-trousers',
      name: 'Chinos',
      category: 'clothing',
      variants: [variant('SQ-TROUSERS-42', '42', TROUSERS_GTIN, 5990)],
    } as never);
    for (const sku of ['SQ-SHIRT-M', 'SQ-TROUSERS-42']) await receive(t, sku, net.sol, 10);
    await receive(t, 'SQ-TROUSERS-42', net.gran, 10);
  });
  afterAll(async () => t?.close());

  it('a click & collect order goes through the queue: sheet, scan, pick, pack, ready, resend, handover', async () => {
    const order = await placeOrder(t, net, [['SQ-SHIRT-M', 1]], { method: 'click_collect', location_id: net.sol.id });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    expect(f).toMatchObject({ location_id: net.sol.id, status: 'pending' });

    const open = await queue(net.solStaff, 'tab=open&kind=collect');
    expect(open.status).toBe(200);
    const item = open.body.items.find((x: { id: string }) => x.id === f!.id);
    expect(item).toMatchObject({ units: 1, location_name: 'Sol', promise: { kind: 'accept_by', late: false } });
    expect((await queue(net.solStaff, 'tab=open&kind=ship')).body.items.map((x: { id: string }) => x.id)).not.toContain(
      f!.id,
    );
    // past the SLA the promise is late (the app shows it red)
    clock.advance(3 * 3600_000);
    const late = (await queue(net.solStaff, 'tab=open')).body.items.find((x: { id: string }) => x.id === f!.id);
    expect(late.promise.late).toBe(true);

    const sheet = await t.request('GET', `/v1/fulfillments/${f!.id}/sheet`, { token: net.solStaff });
    expect(sheet.status).toBe(200);
    expect(sheet.body.lines[0]).toMatchObject({
      sku: 'SQ-SHIRT-M',
      gtin: SHIRT_GTIN,
      size: 'M',
      product_name: 'Linen shirt',
      unit_price: 3990,
    });
    expect(sheet.body.order).toMatchObject({ id: order.id, delivery_method: 'click_collect' });

    expect((await act(t, f!.id, { action: 'accept' }, net.solStaff)).status).toBe(200);
    const accepted = (await queue(net.solStaff, 'tab=open')).body.items.find((x: { id: string }) => x.id === f!.id);
    expect(accepted.promise.kind).toBe('collect_by');

    // scanning: the right GTIN is its line, a wrong one is refused on the spot
    const right = await t.request('GET', `/v1/fulfillments/${f!.id}/scan?code=${SHIRT_GTIN}`, { token: net.solStaff });
    expect(right.body).toMatchObject({ sku: 'SQ-SHIRT-M', size: 'M', quantity: 1 });
    const bySku = await t.request('GET', `/v1/fulfillments/${f!.id}/scan?code=sq-shirt-m`, { token: net.solStaff });
    expect(bySku.body.sku).toBe('SQ-SHIRT-M');
    const wrong = await t.request('GET', `/v1/fulfillments/${f!.id}/scan?code=${TROUSERS_GTIN}`, {
      token: net.solStaff,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('wrong_item');
    // and the pick itself refuses an item that is not in the task
    const badPick = await act(
      t,
      f!.id,
      { action: 'pick', lines: [{ sku: 'SQ-TROUSERS-42', quantity: 1 }] },
      net.solStaff,
    );
    expect(badPick.status).toBe(400);

    expect(
      (await act(t, f!.id, { action: 'pick', lines: [{ sku: 'SQ-SHIRT-M', quantity: 1 }] }, net.solStaff)).status,
    ).toBe(200);
    // pack details belong to pack: sent with another action they are refused, not ignored
    expect((await act(t, f!.id, { action: 'ready', parcels: 1 }, net.solStaff)).status).toBe(400);
    const packed = await act(t, f!.id, { action: 'pack', parcels: 1, weight_g: 450 }, net.solStaff);
    expect(packed.body).toMatchObject({ status: 'packed', parcels: 1, weight_g: 450 });
    expect((await act(t, f!.id, { action: 'ready' }, net.solStaff)).body.status).toBe('ready_for_pickup');
    expect((await queue(net.solStaff, 'tab=ready')).body.items.map((x: { id: string }) => x.id)).toContain(f!.id);

    const code = await pickupCodeMailed(t, f!.id);
    const resent = await t.request('POST', `/v1/fulfillments/${f!.id}/pickup-notification`, { token: net.solStaff });
    expect(resent.status).toBe(200);
    const ready = await events('fulfillment.ready_for_pickup', f!.id);
    expect(ready).toHaveLength(2);
    const payloads = ready.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
    expect(payloads).toContainEqual(expect.objectContaining({ pickup_code: code, resent: true }));
    expect(
      (await t.request('GET', `/v1/fulfillments/${f!.id}/sheet`, { token: net.solStaff })).body.pickup_notified_at,
    ).not.toBeNull();

    expect((await act(t, f!.id, { action: 'handover', pickup_code: code }, net.solStaff)).body.status).toBe(
      'handed_over',
    );
    expect((await queue(net.solStaff, 'tab=completed')).body.items.map((x: { id: string }) => x.id)).toContain(f!.id);
    // nothing to resend once collected
    const after = await t.request('POST', `/v1/fulfillments/${f!.id}/pickup-notification`, { token: net.solStaff });
    expect(after.status).toBe(409);
  });

  it('rejecting one line of two keeps the other here and answers where the refused line went', async () => {
    const order = await placeOrder(
      t,
      net,
      [
        ['SQ-SHIRT-M', 1],
        ['SQ-TROUSERS-42', 1],
      ],
      { method: 'click_collect', location_id: net.sol.id },
    );
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    expect(f!.lines).toHaveLength(2);
    const solTrousersBefore = (await t.omnia.services.inventory.stock('SQ-TROUSERS-42')).levels.find(
      (l) => l.location_id === net.sol.id,
    )!;

    // a line that is not in the task, or more units than it has: refused, nothing changed
    const tooMany = await act(
      t,
      f!.id,
      { action: 'reject', reason: 'damaged', lines: [{ sku: 'SQ-TROUSERS-42', quantity: 2 }] },
      net.solStaff,
    );
    expect(tooMany.status).toBe(400);
    expect((await t.omnia.services.fulfillment.get(f!.id)).status).toBe('pending');

    const res = await act(
      t,
      f!.id,
      { action: 'reject', reason: 'damaged', lines: [{ sku: 'SQ-TROUSERS-42', quantity: 1 }] },
      net.solStaff,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', lines: [{ sku: 'SQ-SHIRT-M', quantity: 1 }] });
    expect(res.body.resourced).toHaveLength(1);
    expect(res.body.resourced[0].tasks).toEqual([
      expect.objectContaining({
        location_id: net.gran.id,
        location_name: 'Gran Vía',
        lines: [expect.objectContaining({ sku: 'SQ-TROUSERS-42', quantity: 1 })],
      }),
    ]);
    // the trousers' hold left Sol; the shirt's stays
    const solTrousers = (await t.omnia.services.inventory.stock('SQ-TROUSERS-42')).levels.find(
      (l) => l.location_id === net.sol.id,
    )!;
    expect(solTrousers.reserved).toBe(solTrousersBefore.reserved - 1);

    const sheet = await t.request('GET', `/v1/fulfillments/${f!.id}/sheet`, { token: net.solStaff });
    const where = sheet.body.elsewhere.map(
      (e: { location_name: string; status: string; reject_reason: string | null }) => [
        e.location_name,
        e.status,
        e.reject_reason,
      ],
    );
    expect(where).toEqual(
      expect.arrayContaining([
        ['Sol', 'rejected', 'damaged'],
        ['Gran Vía', 'pending', null],
      ]),
    );
    // the refusal is in Sol's completed tab; the rest of the order stays in its open tab
    const completed = (await queue(net.solStaff, 'tab=completed')).body.items;
    expect(
      completed.some((x: { order_id: string; status: string }) => x.order_id === order.id && x.status === 'rejected'),
    ).toBe(true);
    const rejectedEvents = await t.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('type', '=', 'fulfillment.rejected')
      .execute();
    expect(rejectedEvents.length).toBeGreaterThan(0);
  });

  it('a ship-from-store order records parcels, weight, carrier and tracking', async () => {
    const order = await placeOrder(t, net, [['SQ-SHIRT-M', 2]], { method: 'home', address: HOME });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    expect(f!.location_id).toBe(net.sol.id);
    expect((await queue(net.solStaff, 'tab=open&kind=ship')).body.items.map((x: { id: string }) => x.id)).toContain(
      f!.id,
    );
    const sheet = await t.request('GET', `/v1/fulfillments/${f!.id}/sheet`, { token: net.solStaff });
    expect(sheet.body.order.ship_to).toMatchObject({ city: 'Madrid', postal_code: '28004' });
    for (const body of [{ action: 'accept' }, { action: 'pick' }, { action: 'pack', parcels: 2, weight_g: 1200 }])
      expect((await act(t, f!.id, body, net.solStaff)).status).toBe(200);
    expect((await act(t, f!.id, { action: 'ship', carrier: 'SEUR' }, net.solStaff)).status).toBe(400); // no tracking
    const shipped = await act(t, f!.id, { action: 'ship', carrier: 'SEUR', tracking: 'SE123' }, net.solStaff);
    expect(shipped.body).toMatchObject({
      status: 'shipped',
      carrier: 'SEUR',
      tracking: 'SE123',
      parcels: 2,
      weight_g: 1200,
    });
  });

  it('a gift order’s sheet carries no prices, and its message', async () => {
    const cart = await t.request('POST', '/v1/carts', { token: net.web, body: {} });
    await t.request('POST', `/v1/carts/${cart.body.id}/items`, {
      token: net.web,
      body: { sku: 'SQ-SHIRT-M', quantity: 1 },
    });
    const placed = await t.request('POST', `/v1/carts/${cart.body.id}/checkout`, {
      token: net.web,
      body: {
        delivery: { method: 'click_collect', location_id: net.sol.id },
        email: 'gift@example.com',
        gift: { message: 'Happy birthday' },
        payment: { provider: 'test', card_number: '4242 4242 4242 4242' },
      },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await drain(t);
    const [f] = await t.omnia.services.fulfillment.ofOrder(placed.body.id);
    const sheet = await t.request('GET', `/v1/fulfillments/${f!.id}/sheet`, { token: net.solStaff });
    expect(sheet.body).toMatchObject({ gift: true, gift_message: 'Happy birthday' });
    expect(sheet.body.lines.map((l: { unit_price: number | null }) => l.unit_price)).toEqual([null]);
    const item = (await queue(net.solStaff, 'tab=open')).body.items.find((x: { id: string }) => x.id === f!.id);
    expect(item.gift).toBe(true);
  });

  it('everything is limited to the associate’s store', async () => {
    const order = await placeOrder(t, net, [['SQ-SHIRT-M', 1]], { method: 'click_collect', location_id: net.sol.id });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    // another store's associate: its queue never shows Sol's task; naming Sol is refused
    expect((await queue(net.granStaff, 'tab=open')).body.items.map((x: { id: string }) => x.id)).not.toContain(f!.id);
    expect((await queue(net.granStaff, `tab=open&location_id=${net.sol.id}`)).status).toBe(403);
    expect((await t.request('GET', `/v1/fulfillments/${f!.id}/sheet`, { token: net.granStaff })).status).toBe(403);
    expect((await t.request('GET', `/v1/fulfillments/${f!.id}/scan?code=X`, { token: net.granStaff })).status).toBe(
      403,
    );
    expect((await act(t, f!.id, { action: 'accept' }, net.granStaff)).status).toBe(403);
    expect(
      (await t.request('POST', `/v1/fulfillments/${f!.id}/pickup-notification`, { token: net.granStaff })).status,
    ).toBe(403);
    // an unknown tab is a 400 problem
    const bad = await queue(net.solStaff, 'tab=later');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
  });

  it('a double submit with one Idempotency-Key accepts once and replays the answer', async () => {
    const order = await placeOrder(t, net, [['SQ-SHIRT-M', 1]], { method: 'click_collect', location_id: net.sol.id });
    const [f] = await t.omnia.services.fulfillment.ofOrder(order.id);
    const send = () =>
      t.request('POST', `/v1/fulfillments/${f!.id}/actions`, {
        token: net.solStaff,
        body: { action: 'accept' },
        headers: { 'idempotency-key': `task:${f!.id}:accept` },
      });
    const [a, b] = [await send(), await send()];
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toEqual(a.body);
    expect(await events('fulfillment.accepted', f!.id)).toHaveLength(1);
    // without the key the second accept is refused by the state machine (what the key spares the associate)
    expect((await act(t, f!.id, { action: 'accept' }, net.solStaff)).status).toBe(409);

    // the same for a reject of some lines: one split, one re-sourcing
    const two = await placeOrder(
      t,
      net,
      [
        ['SQ-SHIRT-M', 1],
        ['SQ-TROUSERS-42', 1],
      ],
      { method: 'click_collect', location_id: net.sol.id },
    );
    const [g] = await t.omnia.services.fulfillment.ofOrder(two.id);
    const reject = () =>
      t.request('POST', `/v1/fulfillments/${g!.id}/actions`, {
        token: net.solStaff,
        body: { action: 'reject', reason: 'stained', lines: [{ sku: 'SQ-TROUSERS-42', quantity: 1 }] },
        headers: { 'idempotency-key': `task:${g!.id}:reject` },
      });
    const [r1, r2] = [await reject(), await reject()];
    expect(r1.status).toBe(200);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(await t.omnia.services.fulfillment.ofOrder(two.id)).toHaveLength(3); // kept, refused, re-sourced
    const resend = () =>
      t.request('POST', `/v1/fulfillments/${g!.id}/pickup-notification`, {
        token: net.solStaff,
        headers: { 'idempotency-key': `task:${g!.id}:resend` },
      });
    expect((await resend()).status).toBe(409); // not ready: a final 4xx
  });
});
