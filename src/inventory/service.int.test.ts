import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { setupRetail, type Retail } from '../../test/inventory/fixtures.js';
import { ManualClock } from '../platform/clock.js';
import { runChecks } from '../platform/doctor.js';
import { NetworkService } from '../network/index.js';
import { CatalogService } from '../catalog/index.js';
import { InventoryService } from './service.js';
import { inventoryChecks } from './doctor.js';

describe('inventory service: demo seed, composed transactions, events, doctor', () => {
  let d: TestDatabase;
  let r: Retail;
  let inv: InventoryService;
  const clock = new ManualClock('2026-06-01T08:00:00Z');
  const doctor = async () =>
    Object.fromEntries((await runChecks(d.db, inventoryChecks, clock.now())).map((c) => [c.name, c.result.status]));

  beforeAll(async () => {
    d = await createTestDatabase();
    const network = new NetworkService(d.db, clock);
    const catalog = new CatalogService(d.db, clock, network);
    inv = new InventoryService({ db: d.db, clock, network, catalog });
    await network.createChannel({ code: 'web', type: 'web', name: 'Web' });
    r = await setupRetail({ network, catalog }, { stores: 4, skus: 30, prefix: 'sv' });
  });
  afterAll(async () => d?.close());

  it('seeds uneven, deterministic demo stock on every SKU × stock-holding location, with its ledger', async () => {
    const { rows } = await inv.seedDemoStock({ seed: 7, skus: r.skus });
    expect(rows).toBe(r.skus.length * 5); // 4 stores + the warehouse; the pickup point holds none
    const q = await sql<{
      n: number;
      empty: number;
      distinct_q: number;
    }>`select count(*)::int as n, count(*) filter (where on_hand = 0)::int as empty, count(distinct on_hand)::int as distinct_q from stock_levels`.execute(
      d.db,
    );
    expect(q.rows[0]!.empty).toBeGreaterThan(0);
    expect(q.rows[0]!.distinct_q).toBeGreaterThan(5);
    expect(
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from stock_levels where location_id = ${r.pickup.id}`.execute(d.db)
      ).rows[0]!.n,
    ).toBe(0);
    const first = (await inv.stock(r.skus[0]!)).levels.map((l) => l.on_hand);
    expect(await inv.seedDemoStock({ seed: 7, skus: r.skus })).toEqual({ rows: 0 }); // idempotent
    expect((await inv.stock(r.skus[0]!)).levels.map((l) => l.on_hand)).toEqual(first);
    expect(Object.values(await doctor()).every((s) => s === 'ok')).toBe(true);
  });

  it('joins the caller’s transaction: a rolled-back checkout leaves no reservation and no stock change', async () => {
    const sku = r.skus[0]!;
    // The demo seed's stock hangs on the location ids (random): receive what the reservation needs.
    await inv.recordMovement({ sku, location_id: r.stores[0]!.id, type: 'receipt', quantity: 5 });
    await inv.recordMovement({ sku: r.skus[1]!, location_id: r.stores[0]!.id, type: 'receipt', quantity: 5 });
    const before = await inv.stock(sku);
    await expect(
      d.db.transaction().execute(async (trx) => {
        const res = await inv.reserve(
          {
            channel: 'web',
            lines: [
              { sku, quantity: 2 },
              { sku: r.skus[1]!, quantity: 1 },
            ],
            ttl_seconds: 60,
            reference: 'cart-x',
          },
          { trx },
        );
        expect(res.status).toBe('active');
        throw new Error('payment failed');
      }),
    ).rejects.toThrow('payment failed');
    expect(await inv.stock(sku)).toEqual(before);
    expect(
      (await sql<{ n: number }>`select count(*)::int as n from reservations where reference = 'cart-x'`.execute(d.db))
        .rows[0]!.n,
    ).toBe(0);
  });

  it('writes inventory.changed with availability per channel and reservation events to the outbox', async () => {
    const sku = r.skus[2]!;
    await inv.recordMovement({ sku, location_id: r.stores[1]!.id, type: 'receipt', quantity: 9 });
    const res = await inv.reserve({
      channel: 'web',
      lines: [{ sku, quantity: 4, location_id: r.stores[1]!.id }],
      ttl_seconds: 60,
      reference: 'ev',
    });
    await inv.release(res.id);
    const ev = await sql<{
      type: string;
      payload: any;
    }>`select type, payload from outbox where aggregate_id in (${sku}, ${res.id}) order by seq`.execute(d.db);
    const types = ev.rows.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['inventory.changed', 'reservation.created', 'reservation.released']));
    const changed = ev.rows
      .filter((e) => e.type === 'inventory.changed' && e.payload.location_id === r.stores[1]!.id)
      .map((e) => e.payload);
    const afterReserve = changed.find((p) => p.reserved === 4);
    expect(afterReserve).toMatchObject({ sku, on_hand: expect.any(Number), reserved: 4 });
    // web keeps no safety stock of its own and no buffer: it may promise what the location has free
    expect(afterReserve.availability).toEqual({ web: afterReserve.available });
    expect(changed.at(-1).reserved).toBe(0);
  });

  it('doctor finds a broken ledger, a reserved figure without reservations, and an overdue reservation', async () => {
    const sku = r.skus[3]!;
    await inv.recordMovement({ sku, location_id: r.stores[2]!.id, type: 'receipt', quantity: 3 });
    await inv.reserve({
      channel: 'web',
      lines: [{ sku, quantity: 1, location_id: r.stores[2]!.id }],
      ttl_seconds: 1,
      reference: 'old',
    });
    expect(Object.values(await doctor()).every((s) => s === 'ok')).toBe(true);
    clock.advance(120_000);
    expect((await doctor())['inventory: no overdue active reservation']).toBe('fail');
    await inv.expireDue();
    await sql`update stock_levels set on_hand = on_hand + 1, reserved = reserved + 1 where sku = ${sku} and location_id = ${r.stores[2]!.id}`.execute(
      d.db,
    );
    const broken = await doctor();
    expect(broken['inventory: on-hand equals the ledger']).toBe('fail');
    expect(broken['inventory: reserved equals active reservations']).toBe('fail');
    expect(broken['inventory: no overdue active reservation']).toBe('ok');
    await sql`update stock_levels set on_hand = on_hand - 1, reserved = reserved - 1 where sku = ${sku} and location_id = ${r.stores[2]!.id}`.execute(
      d.db,
    );
    expect(Object.values(await doctor()).every((s) => s === 'ok')).toBe(true);
  });

  it('books customer returns and damage in the ledger, refusing an on-hand past int4', async () => {
    const sku = r.skus[4]!;
    const loc = r.stores[3]!.id;
    await inv.recordMovement({ sku, location_id: loc, type: 'receipt', quantity: 2 });
    const base = (await inv.stock(sku)).levels.find((l) => l.location_id === loc)!.on_hand;
    expect((await inv.receiveReturn({ sku, location_id: loc, quantity: 1, reference: 'ret_1' })).on_hand).toBe(
      base + 1,
    );
    expect((await inv.damage({ sku, location_id: loc, quantity: 2, reason: 'water' })).level.on_hand).toBe(base - 1);
    const types = (await inv.movements(sku, { location_id: loc })).items.map((m) => [m.type, m.quantity]);
    expect(types.slice(0, 2)).toEqual([
      ['damage', -2],
      ['return', 1],
    ]);
    await expect(
      inv.receiveReturn({ sku, location_id: loc, quantity: 2147483647, reference: 'ret_2' }),
    ).rejects.toMatchObject({ type: 'validation_failed' });
    expect((await inv.stock(sku)).levels.find((l) => l.location_id === loc)!.on_hand).toBe(base - 1);
  });
});
