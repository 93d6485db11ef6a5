/**
 * Store credit never goes below zero under concurrent spends (PostgreSQL: real connections and row
 * locks). A gift card of 10.00 and ten spends of 3.00 at once, each in its own transaction that holds
 * on a moment after spending: exactly three succeed, the others are refused with nothing written, and
 * the balance is the ledger's sum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { StoreCreditService, storeCreditChecks } from '../../src/payments/index.js';
import { runChecks } from '../../src/platform/doctor.js';

describe('store credit under concurrent spends (PostgreSQL)', () => {
  let database: TestDatabase;
  let credit: StoreCreditService;

  beforeAll(async () => {
    database = await createTestDatabase({ forcePg: true, poolSize: 12 });
    credit = new StoreCreditService(database.db, new ManualClock('2026-06-10T10:00:00Z'));
  });
  afterAll(async () => database?.close());

  it('ten spends of 300 against 1000: three succeed, the balance is 100 and matches the ledger', async () => {
    const { account, code } = await credit.issue({
      to: { gift_card: true },
      currency: 'EUR',
      amount: 1000,
      reason: 'gift_return',
      reference: 'rtn_race',
    });
    expect(code).toMatch(/^GC-/);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          const after = await credit.spend(account.id, 300, `ord_race_${i}`, { trx });
          await sql`select pg_sleep(0.05)`.execute(trx); // hold the row lock a while: the others queue on it
          return after;
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(3);
    expect(refused.map((r) => (r as PromiseRejectedResult).reason.type)).toEqual(Array(7).fill('conflict'));
    expect((await credit.byCode(code!.toLowerCase())).balance).toEqual({ amount: 100, currency: 'EUR' });
    const ledger = await credit.ledger(account.id);
    expect(ledger.map((e) => e.amount).sort((a, b) => a - b)).toEqual([-300, -300, -300, 1000]);
    expect(ledger.every((e) => e.balance_after >= 0)).toBe(true);
    expect(await credit.ledgerMismatches()).toEqual([]);
    const [doctor] = await runChecks(database.db, storeCreditChecks, new Date());
    expect(doctor!.result.status).toBe('ok');
    // A balance moved behind the ledger's back is what the doctor exists to catch.
    await sql`update store_credit_accounts set balance_minor = balance_minor + 1 where id = ${account.id}`.execute(
      database.db,
    );
    const [bad] = await runChecks(database.db, storeCreditChecks, new Date());
    expect(bad!.result).toMatchObject({ status: 'fail', samples: [{ id: account.id }] });
  });

  it('credits a customer once per reference, into one account per currency', async () => {
    const first = await credit.issue({
      to: { customer_id: 'cus_1' },
      currency: 'EUR',
      amount: 500,
      reason: 'return',
      reference: 'rtn_1',
    });
    const second = await credit.issue({
      to: { customer_id: 'cus_1' },
      currency: 'EUR',
      amount: 250,
      reason: 'return',
      reference: 'rtn_2',
    });
    expect(second.account.id).toBe(first.account.id);
    expect(second.account.balance.amount).toBe(750);
    expect(second.code).toBeNull();
    await expect(
      credit.issue({
        to: { customer_id: 'cus_1' },
        currency: 'EUR',
        amount: 250,
        reason: 'return',
        reference: 'rtn_2',
      }),
    ).rejects.toThrow();
    expect((await credit.ofCustomer('cus_1')).map((a) => a.balance.amount)).toEqual([750]);
    await expect(credit.spend(first.account.id, 751, 'ord_x')).rejects.toMatchObject({ type: 'conflict' });
    await expect(credit.spend(first.account.id, 0, 'ord_x')).rejects.toMatchObject({ type: 'validation_failed' });
  });
});
