/**
 * The checkout's debit decides, not its early read: a balance spent between checkout's read phase and
 * its transaction makes the conditional debit refuse with insufficient_credit, and everything the
 * transaction wrote before it is rolled back. The restore gives back exactly what an order spent, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ManualClock } from '../../src/platform/clock.js';
import { StoreCreditService, StoreCreditSpending } from '../../src/payments/index.js';

describe('store credit spending: the debit in the transaction and the restore', () => {
  let database: TestDatabase;
  let credit: StoreCreditService;
  let spending: StoreCreditSpending;

  beforeAll(async () => {
    database = await createTestDatabase();
    const clock = new ManualClock('2026-06-10T10:00:00Z');
    credit = new StoreCreditService(database.db, clock);
    spending = new StoreCreditSpending(database.db, clock, credit);
  });
  afterAll(async () => database?.close());

  it('a balance spent after the read phase: the debit refuses and the transaction writes nothing', async () => {
    const { account, code } = await credit.issue({
      to: { gift_card: true },
      currency: 'EUR',
      amount: 1000,
      reason: 'gift_return',
      reference: 'rtn_debit',
    });
    const spends = await spending.resolve([{ method: 'gift_card', code: code!, amount: 800 }], {
      customer_id: null,
      currency: 'EUR',
      total: 2000,
    });
    expect(spends).toEqual([{ method: 'gift_card', account_id: account.id, amount: 800, code_last4: code!.slice(-4) }]);
    await credit.spend(account.id, 500, 'ord_meanwhile'); // another till got there first
    const attempt = database.db.transaction().execute(async (trx) => {
      await credit.spend(account.id, 100, 'ord_first_write', { trx }); // something the transaction wrote before
      await spending.debit(spends, 'ord_late', { trx });
    });
    await expect(attempt).rejects.toMatchObject({
      type: 'insufficient_credit',
      extras: { errors: [{ field: 'credits/0/amount', message: 'more than the balance' }] },
    });
    expect((await credit.get(account.id)).balance.amount).toBe(500);
    expect((await credit.ledger(account.id)).map((e) => e.reference)).toEqual(['rtn_debit', 'ord_meanwhile']);
  });

  it('restore gives back what the order spent net of earlier reversals, once', async () => {
    const { account, code } = await credit.issue({
      to: { gift_card: true },
      currency: 'EUR',
      amount: 3000,
      reason: 'gift_return',
      reference: 'rtn_restore',
    });
    const spends = await spending.resolve([{ method: 'gift_card', code: code!, amount: 1200 }], {
      customer_id: null,
      currency: 'EUR',
      total: 1200,
    });
    await database.db.transaction().execute((trx) => spending.debit(spends, 'ord_r', { trx }));
    await credit.spend(account.id, 300, 'ord_other');
    expect(await spending.spentOn('ord_r')).toEqual([{ account_id: account.id, amount: 1200 }]);
    expect(await spending.restore('ord_r')).toBe(1);
    expect(await spending.restore('ord_r')).toBe(0);
    expect((await credit.get(account.id)).balance.amount).toBe(2700);
    expect((await credit.ledger(account.id)).map((e) => [e.amount, e.reason, e.reference])).toEqual([
      [3000, 'gift_return', 'rtn_restore'],
      [-1200, 'spend', 'ord_r'],
      [-300, 'spend', 'ord_other'],
      [1200, 'checkout_reversal', 'ord_r'],
    ]);
    expect(await credit.ledgerMismatches()).toEqual([]);
  });

  it('refuses a gift card in another currency and a customer without a balance in the cart’s currency', async () => {
    const { code } = await credit.issue({
      to: { gift_card: true },
      currency: 'GBP',
      amount: 1000,
      reason: 'gift_return',
      reference: 'rtn_gbp',
    });
    await expect(
      spending.resolve([{ method: 'gift_card', code: code!, amount: 100 }], {
        customer_id: null,
        currency: 'EUR',
        total: 1000,
      }),
    ).rejects.toMatchObject({ type: 'unprocessable', extras: { errors: [{ field: 'credits/0/code' }] } });
    await expect(
      spending.resolve([{ method: 'store_credit', amount: 100 }], {
        customer_id: 'cus_none',
        currency: 'EUR',
        total: 1000,
      }),
    ).rejects.toMatchObject({ type: 'unprocessable', extras: { errors: [{ field: 'credits/0/method' }] } });
  });
});
