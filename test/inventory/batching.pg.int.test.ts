import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { AppError } from '../../src/platform/http/problems.js';
import { runChecks } from '../../src/platform/doctor.js';
import { InventoryService, inventoryChecks } from '../../src/inventory/index.js';
import { twoInventoryProcesses, type Retail } from './fixtures.js';

/** The hot-SKU batcher and the expiry job under real concurrency (PostgreSQL). */
describe('coalesced reservations and the shared expiry job (PostgreSQL)', () => {
  let d: TestDatabase;
  let r: Retail;
  const clock = new ManualClock('2026-05-01T12:00:00Z');
  let one: InventoryService;
  let two: InventoryService;

  beforeAll(async () => {
    ({ d, r, one, two } = await twoInventoryProcesses(clock, { stores: 2, skus: 6, prefix: 'bt' }));
  });
  afterAll(async () => d?.close());

  const doctorOk = async () => {
    const res = await runChecks(d.db, inventoryChecks, clock.now());
    expect(res.filter((c) => c.result.status !== 'ok')).toEqual([]);
  };

  it('grants FIFO what fits, all-or-none per request, never past the ATP, across SKUs in one batch', async () => {
    const [hot, other] = r.skus;
    await one.recordMovement({ sku: hot!, location_id: r.stores[0]!.id, type: 'receipt', quantity: 51 }); // 50 promisable (safety 1)
    await one.recordMovement({ sku: other!, location_id: r.stores[1]!.id, type: 'receipt', quantity: 11 });
    const asks = Array.from({ length: 240 }, (_, i) => ({
      svc: i % 2 ? one : two,
      sku: i % 3 === 0 ? other! : hot!,
      qty: 1 + (i % 4),
    }));
    const results = await Promise.allSettled(
      asks.map((a, i) =>
        a.svc.reserve({
          channel: 'web',
          lines: [{ sku: a.sku, quantity: a.qty }],
          ttl_seconds: 300,
          reference: `b-${i}`,
        }),
      ),
    );
    const granted = (sku: string) =>
      results.reduce((n, x, i) => n + (x.status === 'fulfilled' && asks[i]!.sku === sku ? asks[i]!.qty : 0), 0);
    for (const x of results)
      if (x.status === 'rejected') expect((x.reason as AppError).type).toBe('insufficient_stock');
    // every unit that could be promised went out (small asks fill the gaps), and not one more
    expect(granted(hot!)).toBe(50);
    expect(granted(other!)).toBe(10);
    const reserved = await sql<{
      sku: string;
      n: number;
    }>`select sku, sum(reserved)::int as n from stock_levels where sku in (${hot!}, ${other!}) group by sku order by sku`.execute(
      d.db,
    );
    expect(Object.fromEntries(reserved.rows.map((x) => [x.sku, x.n]))).toEqual({ [hot!]: 50, [other!]: 10 });
    const events = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox where type = 'reservation.created'`.execute(d.db);
    expect(events.rows[0]!.n).toBe(results.filter((x) => x.status === 'fulfilled').length);
    await doctorOk();
  });

  it('in a batch, refuses an unknown SKU by name without holding back the others', async () => {
    const sku = r.skus[4]!;
    await one.recordMovement({ sku, location_id: r.stores[0]!.id, type: 'receipt', quantity: 31 }); // 30 promisable (safety 1)
    const asks = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 'NO-SUCH-SKU' : sku));
    const results = await Promise.allSettled(
      asks.map((s, i) =>
        one.reserve({ channel: 'web', lines: [{ sku: s, quantity: 1 }], ttl_seconds: 300, reference: `u-${i}` }),
      ),
    );
    results.forEach((x, i) => {
      if (asks[i] === 'NO-SUCH-SKU')
        expect(x.status === 'rejected' && (x.reason as AppError).type).toBe('validation_failed');
      else expect(x.status).toBe('fulfilled');
    });
    await doctorOk();
  });

  it('answers "sold out" from memory, and a receipt in this process lifts it at once', async () => {
    const sku = r.skus[2]!;
    await one.recordMovement({ sku, location_id: r.stores[0]!.id, type: 'receipt', quantity: 2 });
    await one.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: 'last' });
    await expect(
      one.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: 'late' }),
    ).rejects.toMatchObject({ type: 'insufficient_stock' });
    // the hint is set: the row is not read (a direct SQL change is invisible until the hint lapses)
    await sql`update stock_levels set on_hand = on_hand + 1 where sku = ${sku} and location_id = ${r.stores[0]!.id}`.execute(
      d.db,
    );
    await sql`insert into stock_movements (sku, location_id, type, quantity, on_hand_after, actor, created_at) values (${sku}, ${r.stores[0]!.id}, 'adjustment', 1, 3, 'test', now())`.execute(
      d.db,
    );
    await expect(
      one.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: 'hinted' }),
    ).rejects.toMatchObject({ type: 'insufficient_stock' });
    clock.advance(1000); // past the hint's TTL: the row is read again
    expect(
      (await one.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: 'after-ttl' }))
        .status,
    ).toBe('active');
    await expect(
      one.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 300, reference: 'sold-again' }),
    ).rejects.toMatchObject({ type: 'insufficient_stock' });
    await one.recordMovement({ sku, location_id: r.stores[0]!.id, type: 'receipt', quantity: 1 });
    expect(
      (
        await one.reserve({
          channel: 'web',
          lines: [{ sku, quantity: 1 }],
          ttl_seconds: 300,
          reference: 'after-receipt',
        })
      ).status,
    ).toBe('active');
    await doctorOk();
  });

  it('expires overdue reservations once, with two job runners racing', async () => {
    const sku = r.skus[3]!;
    await one.recordMovement({ sku, location_id: r.stores[1]!.id, type: 'receipt', quantity: 100 });
    const made = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        one.reserve({ channel: 'web', lines: [{ sku, quantity: 1 }], ttl_seconds: 10, reference: `exp-${i}` }, {}),
      ),
    );
    expect(made).toHaveLength(60);
    clock.advance(11_000);
    let total = 0;
    const runner = async (svc: InventoryService) => {
      for (;;) {
        const n = await svc.expireDue(7);
        total += n;
        if (n === 0) return;
      }
    };
    await Promise.all([runner(one), runner(two), runner(one), runner(two)]);
    expect(total).toBe(60);
    const events = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox where type = 'reservation.expired'`.execute(d.db);
    expect(events.rows[0]!.n).toBe(60);
    const level = await one.stock(sku);
    expect(level.levels.find((l) => l.location_id === r.stores[1]!.id)!.reserved).toBe(0);
    await doctorOk();
  });
});
