/**
 * Sourcing an `order.placed` through fulfillment's inbox in few statements (eighth session): the claim
 * reads the order's last attempt and today's packages at the capacity-limited locations; the decision,
 * its tasks and their events are one statement. What must hold: the events and rows as before, a
 * daily capacity still counted, and a failure anywhere in the item leaves nothing of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { Location } from '../../src/network/index.js';
import { drain, HOME, placeOrder, product, receive, setupNetwork, type Net } from './fixtures.js';

describe('sourcing from the inbox: the claim reads, one statement writes', () => {
  let t: TestApp;
  let net: Net;
  let corner: Location;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  const db = () => t.database.db;
  const outboxOf = async (orderId: string) =>
    (
      await sql<{ type: string; aggregate_id: string; payload: unknown }>`
        select type, aggregate_id, payload from outbox
        where type like 'fulfillment.%' and (payload->>'order_id' = ${orderId}) order by seq`.execute(db())
    ).rows.map((r) => ({ ...r, payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as any }));

  beforeAll(async () => {
    t = await startTestApp({ clock });
    net = await setupNetwork(t);
    // a store that takes one package a day, the only one holding LAMP
    const [made] = await t.omnia.services.network.createLocations([
      {
        code: 'f-corner',
        type: 'store',
        name: 'Corner',
        lat: 40.43,
        lng: -3.7,
        address: { line1: 'Calle Sol 2', city: 'Madrid', postal_code: '28010', country: 'ES' },
        capabilities: ['pickup', 'ship_from_store'],
        daily_capacity: 1,
      },
    ]);
    corner = made!;
    await product(t, 'tee', [{ sku: 'S-TEE', price: 2000 }]);
    await product(t, 'cap', [{ sku: 'S-CAP', price: 1500 }]);
    await product(t, 'lamp', [{ sku: 'S-LAMP', price: 3000 }]);
    await receive(t, 'S-TEE', net.warehouse, 20);
    await receive(t, 'S-CAP', net.sol, 5);
    await receive(t, 'S-LAMP', corner, 5);
  });
  afterAll(async () => t?.close());

  it('writes the decision, the tasks and their events in order, with the payloads of the rows', async () => {
    const order = await placeOrder(
      t,
      net,
      [
        ['S-TEE', 1],
        ['S-CAP', 2],
      ],
      { method: 'home', address: HOME },
    );
    const tasks = await t.omnia.services.fulfillment.ofOrder(order.id);
    expect(tasks).toHaveLength(2);
    const [decision] = await t.omnia.services.fulfillment.decisions(order.id);
    expect(decision).toMatchObject({ attempt: 1, trigger: 'order_placed', unsourced: [] });
    const rows = await db()
      .selectFrom('fulfillments')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('id')
      .execute();
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'pending', decision_id: decision!.id, pickup_code: null, transfer_id: null });
      expect(Array.isArray(r.lines)).toBe(true); // jsonb array, not a JSON string
      expect(r.created_at.getTime()).toBe(clock.now().getTime());
      expect(r.updated_at.getTime()).toBe(clock.now().getTime());
      expect(r.reservation_id).toMatch(/^res_/);
    }
    const events = await outboxOf(order.id);
    expect(events.map((e) => e.type)).toEqual(['fulfillment.sourced', 'fulfillment.created', 'fulfillment.created']);
    expect(events[0]!.payload).toEqual({
      order_id: order.id,
      decision_id: decision!.id,
      attempt: 1,
      trigger: 'order_placed',
      cost: decision!.cost,
      fulfillment_ids: expect.arrayContaining(tasks.map((f) => f.id)),
      unsourced: [],
      reason: decision!.explanation.reason,
    });
    expect(events.slice(1).map((e) => e.aggregate_id)).toEqual(events[0]!.payload.fulfillment_ids);
    for (const e of events.slice(1)) {
      const r = rows.find((x) => x.id === e.aggregate_id)!;
      expect(e.payload).toEqual({
        id: r.id,
        order_id: order.id,
        location_id: r.location_id,
        method: 'home',
        destination_location_id: null,
        lines: r.lines,
        sla_deadline: r.sla_deadline.toISOString(),
        customer_id: r.customer_id,
      });
    }
  });

  it("counts a location's packages of the day against its daily capacity", async () => {
    const first = await placeOrder(t, net, [['S-LAMP', 1]], { method: 'home', address: HOME });
    expect((await t.omnia.services.fulfillment.ofOrder(first.id)).map((f) => f.location_id)).toEqual([corner.id]);
    // Corner has taken its one package today: the next order cannot go there (nowhere else holds it).
    const second = await placeOrder(t, net, [['S-LAMP', 1]], { method: 'home', address: HOME });
    expect(await t.omnia.services.fulfillment.ofOrder(second.id)).toEqual([]);
    const events = await outboxOf(second.id);
    expect(events.map((e) => e.type)).toEqual(['fulfillment.sourced', 'fulfillment.unsourced']);
    expect(events[1]!.payload.lines).toEqual([{ line_id: second.lines[0]!.line_id, sku: 'S-LAMP', quantity: 1 }]);
    // A new day: the capacity is free again (a redelivered event changes nothing: already sourced).
    clock.advance(24 * 3600_000);
    const third = await placeOrder(t, net, [['S-LAMP', 1]], { method: 'home', address: HOME });
    expect((await t.omnia.services.fulfillment.ofOrder(third.id)).map((f) => f.location_id)).toEqual([corner.id]);
  });

  it('a failure inside the item leaves none of it: no decision, task or event, the hold kept, the item back', async () => {
    // The outbox refuses fulfillment.created: the one statement fails after its decision and task rows.
    await sql`create function refuse_created() returns trigger language plpgsql as $$
      begin
        if new.type = 'fulfillment.created' then raise exception 'outbox refused %', new.type; end if;
        return new;
      end $$`.execute(db());
    await sql`create trigger refuse_created before insert on outbox for each row execute function refuse_created()`.execute(
      db(),
    );
    let order: Awaited<ReturnType<typeof placeOrder>>;
    try {
      order = await placeOrder(t, net, [['S-TEE', 2]], { method: 'home', address: HOME });
      const inbox = await sql<{ attempts: number; last_error: string }>`
        select attempts, last_error from fulfillment_inbox where payload->>'order_id' = ${order.id}`.execute(db());
      expect(inbox.rows).toEqual([{ attempts: 1, last_error: 'outbox refused fulfillment.created' }]);
      expect(await t.omnia.services.fulfillment.decisions(order.id)).toEqual([]);
      expect(await t.omnia.services.fulfillment.ofOrder(order.id)).toEqual([]);
      expect(await outboxOf(order.id)).toEqual([]);
    } finally {
      await sql`drop trigger refuse_created on outbox`.execute(db());
      await sql`drop function refuse_created()`.execute(db());
    }
    // the checkout's hold is untouched: still active, the units still reserved at the warehouse
    const placed = await sql<{ reservation_id: string }>`
      select payload->>'reservation_id' as reservation_id from outbox
      where type = 'order.placed' and payload->>'order_id' = ${order.id}`.execute(db());
    const hold = await t.omnia.services.inventory.getReservation(placed.rows[0]!.reservation_id);
    expect(hold).toMatchObject({
      status: 'active',
      lines: [{ sku: 'S-TEE', location_id: net.warehouse.id, quantity: 2 }],
    });
    // After its back-off the item is worked again, once.
    clock.advance(2000);
    await drain(t);
    expect((await t.omnia.services.fulfillment.decisions(order.id)).map((d) => d.attempt)).toEqual([1]);
    expect(await t.omnia.services.fulfillment.ofOrder(order.id)).toHaveLength(1);
    expect((await outboxOf(order.id)).map((e) => e.type)).toEqual(['fulfillment.sourced', 'fulfillment.created']);
    const left = await sql<{ n: number }>`select count(*)::int as n from fulfillment_inbox`.execute(db());
    expect(left.rows[0]!.n).toBe(0);
  });
});
