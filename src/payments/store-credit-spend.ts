/**
 * Spending store credit at checkout (issue 16 point 7), on StoreCreditService's accounts and ledger:
 *   - `resolve` (checkout's read phase): the tenders become accounts — the customer's own balance in
 *     the cart's currency, or a gift card by its code — refused before anything is written;
 *   - `debit` (inside checkout's one transaction): one conditional decrement per account
 *     (`balance_minor >= amount`, StoreCreditService.spend), a ledger row `spend` referencing the
 *     order. A short balance aborts the whole transaction: no order, reservation or payment remains;
 *   - `restore` (when the order is cancelled — a declined card, a reconciliation, a staff cancel):
 *     every spend for the order comes back as a ledger row `checkout_reversal`, once per account
 *     (the ledger's unique index on reason and reference is the backstop).
 * Store credit is a database write, not an outside call, so it belongs in the transaction.
 */
import { sql } from 'kysely';
import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { AppError } from '../platform/http/problems.js';
import { normaliseCode } from '../platform/codes.js';
import type { StoreCreditService } from './store-credit.js';
import { tenderErrors, type CreditTender } from './store-credit-spend-rules.js';

export type { CreditTender } from './store-credit-spend-rules.js';
export { remainderAfterCredit } from './store-credit-spend-rules.js';

/** A tender resolved to its account (what the transaction debits). */
export interface CreditSpend {
  method: CreditTender['method'];
  account_id: string;
  amount: number;
  /** A gift card's last four characters (for receipts; the code is never kept). */
  code_last4: string | null;
}

export const REVERSAL_REASON = 'checkout_reversal';
const SPEND_REASON = 'spend';

type Opts = { trx?: Executor | undefined };

function short(i: number, detail: string): AppError {
  return new AppError('insufficient_credit', detail, {
    errors: [{ field: `credits/${i}/amount`, message: 'more than the balance' }],
  });
}

export class StoreCreditSpending {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly credit: StoreCreditService,
  ) {}

  /**
   * Checkout's read phase: accounts for the tenders, or a refusal (422 for what is wrong on its face,
   * 409 insufficient_credit for a balance already short). The balance read here is only an early
   * answer; the conditional debit in the transaction decides.
   */
  async resolve(
    tenders: CreditTender[],
    ctx: { customer_id: string | null; currency: string; total: number },
  ): Promise<CreditSpend[]> {
    const errors = tenderErrors(tenders, ctx.total, { customer: ctx.customer_id !== null, normalise: normaliseCode });
    if (errors.length) throw new AppError('unprocessable', errors[0]!.message, { errors });
    const spends: CreditSpend[] = [];
    for (const [i, t] of tenders.entries()) {
      const refuse = (field: string, message: string) =>
        new AppError('unprocessable', message, { errors: [{ field: `credits/${i}/${field}`, message }] });
      const account =
        t.method === 'store_credit'
          ? (await this.credit.ofCustomer(ctx.customer_id!)).find((a) => a.balance.currency === ctx.currency)
          : await this.credit.byCode(t.code).catch(() => undefined);
      if (!account)
        throw t.method === 'store_credit'
          ? refuse('method', `this customer has no store credit in ${ctx.currency}`)
          : refuse('code', 'no gift card has this code');
      if (account.balance.currency !== ctx.currency)
        throw refuse('code', `this gift card is in ${account.balance.currency}, the cart in ${ctx.currency}`);
      if (account.balance.amount < t.amount)
        throw short(i, `the ${t.method.replace('_', ' ')} holds ${account.balance.amount}, less than ${t.amount}`);
      spends.push({ method: t.method, account_id: account.id, amount: t.amount, code_last4: account.code_last4 });
    }
    return spends;
  }

  /** Inside the checkout transaction: the conditional debits (a concurrent spend that won makes this one 409). */
  async debit(spends: CreditSpend[], orderId: string, opts: { trx: Executor }): Promise<void> {
    for (const [i, s] of spends.entries()) {
      try {
        await this.credit.spend(s.account_id, s.amount, orderId, { trx: opts.trx });
      } catch (e) {
        if (e instanceof AppError && e.type === 'conflict')
          throw short(i, `the ${s.method.replace('_', ' ')} no longer holds ${s.amount}: it was spent meanwhile`);
        throw e;
      }
    }
  }

  /** An order's spends, per account, net of what was already given back. */
  async spentOn(orderId: string, opts: Opts = {}): Promise<{ account_id: string; amount: number }[]> {
    const r = await sql<{ account_id: string; spent: string | number; restored: string | number }>`
      select account_id,
        -coalesce(sum(amount_minor) filter (where reason = ${SPEND_REASON}), 0) as spent,
        coalesce(sum(amount_minor) filter (where reason = ${REVERSAL_REASON}), 0) as restored
      from store_credit_ledger where reference = ${orderId} group by account_id order by account_id`.execute(
      opts.trx ?? this.db,
    );
    return r.rows
      .map((x) => ({ account_id: x.account_id, amount: Number(x.spent) - Number(x.restored) }))
      .filter((x) => x.amount > 0);
  }

  /**
   * The order was cancelled before it was paid in full: its credit comes back, as ledger rows in the
   * caller's transaction (the one that cancels the order and releases its stock). Idempotent.
   */
  async restore(orderId: string, opts: Opts = {}): Promise<number> {
    return inTx(this.db, opts.trx, async (trx) => {
      const due = await this.spentOn(orderId, { trx });
      const now = this.clock.now();
      for (const d of due) {
        const row = await trx
          .updateTable('store_credit_accounts')
          .set({ balance_minor: sql`balance_minor + ${d.amount}`, updated_at: now })
          .where('id', '=', d.account_id)
          .returning('balance_minor')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('store_credit_ledger')
          .values({
            id: newId('sce', now.getTime()),
            account_id: d.account_id,
            amount_minor: d.amount,
            balance_after: row.balance_minor,
            reason: REVERSAL_REASON,
            reference: orderId,
            created_at: now,
          })
          .execute();
      }
      return due.length;
    });
  }
}
