import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { ensurePartitions } from './events-store.js';
import { customerChecks } from './doctor.js';
import { CustomersService } from './service.js';
import { ManualClock } from '../platform/clock.js';

describe('customers storage', () => {
  let db: TestDatabase;
  let svc: CustomersService;
  const clock = new ManualClock('2026-06-01T00:00:00Z');
  beforeAll(async () => {
    db = await createTestDatabase();
    svc = new CustomersService(db.db, clock, {
      channel: async (c) => (c === 'web' ? { code: 'web', type: 'web' } : undefined),
      issueCustomerToken: () => ({ token: 't', expires_at: '' }),
    });
  });
  afterAll(async () => db?.close());

  it('creates the coming months’ event partitions once', async () => {
    expect(await ensurePartitions(db.db, new Date('2027-11-01T00:00:00Z'), 4)).toEqual([
      'customer_events_202801',
      'customer_events_202802',
    ]);
    expect(await ensurePartitions(db.db, new Date('2027-11-01T00:00:00Z'), 4)).toEqual([]);
    await sql`insert into customer_events (id, ts, type, channel, channel_kind, properties, received_at) values ('x', '2028-02-10T00:00:00Z', 'search', 'web', 'online', '{}', now())`.execute(
      db.db,
    );
    const where = await sql<{
      p: string;
    }>`select tableoid::regclass::text as p from customer_events where id = 'x'`.execute(db.db);
    expect(where.rows[0]!.p).toBe('customer_events_202802');
  });

  it('doctor proves the graph and roll-ups, and catches a tampered roll-up', async () => {
    const a = await svc.identify({ identifiers: { email: 'doc@example.com' }, channel: 'web' });
    const b = await svc.identify({ identifiers: { loyalty_card: 'DOC-1' }, channel: 'web' });
    await svc.ingest(
      [
        {
          type: 'search',
          timestamp: clock.now().toISOString(),
          customer_id: b.customer_id,
          properties: { query: 'q' },
        },
      ],
      { defaultChannel: 'web', source: 't' },
    );
    await svc.merge(a.customer_id, b.customer_id, 'test');
    for (const c of customerChecks) expect((await c.run(db.db, clock.now())).status).toBe('ok');
    await sql`update customer_daily set events = events + 1`.execute(db.db);
    const rollups = await customerChecks[1]!.run(db.db, clock.now());
    expect(rollups.status).toBe('fail');
  });
});
