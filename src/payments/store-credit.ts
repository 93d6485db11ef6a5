/**
 * Store credit as balances: one account per customer and currency, or a gift card (a bearer code,
 * no customer: a gift's recipient has no account). Every change is a ledger row written with the
 * balance update in the caller's transaction. The balance never goes below zero: the column has a
 * CHECK, and a spend is one conditional decrement (`… where balance_minor >= $amount`), never
 * read-compute-write, so two checkouts spending the same credit at once cannot both succeed.
 * Issue 16 point 7 (spending at checkout) builds on `spend`.
 */
import { sql, type Selectable } from 'kysely';
import type { Db, Executor } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { AppError, problems } from '../platform/http/problems.js';
import { hashCode, normaliseCode, readableCode } from '../platform/codes.js';
import type { StoreCreditAccountsTable } from './store-credit-tables.js';
import './store-credit-tables.js';

type AccountRow = Selectable<StoreCreditAccountsTable>;
type Opts = { trx?: Executor | undefined };

export interface StoreCreditAccount {
  id: string;
  customer_id: string | null;
  /** A gift card: spendable by whoever holds its code. */
  gift_card: boolean;
  /** The code's last four characters, to tell cards apart (the code itself is shown once). */
  code_last4: string | null;
  balance: { amount: number; currency: string };
  created_at: string;
}

export interface StoreCreditEntry {
  id: string;
  amount: number;
  balance_after: number;
  reason: string;
  reference: string | null;
  created_at: string;
}

export interface IssueCredit {
  /** A customer's own account (created on first credit), or a new gift card with a fresh code. */
  to: { customer_id: string } | { gift_card: true };
  currency: string;
  amount: number;
  /** Why: `return` (a return refunded as credit), `gift_return` (a gift's recipient returned it), … */
  reason: string;
  /** What caused it (a return id): with the reason, credit is issued once per reference. */
  reference: string;
}

const GIFT_CARD_PREFIX = 'GC';

function toAccount(r: AccountRow): StoreCreditAccount {
  return {
    id: r.id,
    customer_id: r.customer_id,
    gift_card: r.code_hash !== null,
    code_last4: r.code_last4,
    balance: { amount: Number(r.balance_minor), currency: r.currency },
    created_at: r.created_at.toISOString(),
  };
}

export class StoreCreditService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Credits an account (a new gift card answers its code, once). */
  async issue(input: IssueCredit, opts: Opts = {}): Promise<{ account: StoreCreditAccount; code: string | null }> {
    if (!Number.isInteger(input.amount) || input.amount <= 0)
      throw problems.field('amount', 'store credit is a positive whole number of minor units');
    return inTx(this.db, opts.trx, async (trx) => {
      const now = this.clock.now();
      let code: string | null = null;
      let accountId: string;
      if ('customer_id' in input.to) {
        const id = newId('sca', now.getTime());
        // One account per customer and currency: created on first credit, raced safely by the unique index.
        await sql`insert into store_credit_accounts (id, customer_id, currency, balance_minor, created_at, updated_at)
          values (${id}, ${input.to.customer_id}, ${input.currency}, 0, ${now}, ${now})
          on conflict (customer_id, currency) where customer_id is not null and code_hash is null do nothing`.execute(
          trx,
        );
        const row = await trx
          .selectFrom('store_credit_accounts')
          .select('id')
          .where('customer_id', '=', input.to.customer_id)
          .where('currency', '=', input.currency)
          .where('code_hash', 'is', null)
          .executeTakeFirstOrThrow();
        accountId = row.id;
      } else {
        code = readableCode(GIFT_CARD_PREFIX);
        accountId = newId('sca', now.getTime());
        await trx
          .insertInto('store_credit_accounts')
          .values({
            id: accountId,
            customer_id: null,
            code_hash: hashCode(code),
            code_last4: code.slice(-4),
            currency: input.currency,
            balance_minor: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      const account = await this.move(trx, accountId, input.amount, input.reason, input.reference, now);
      return { account, code };
    });
  }

  /**
   * Spends credit: one conditional decrement, refused (409, nothing written) when the balance is short.
   * The caller's transaction holds the row lock until it commits, so concurrent spends queue on it.
   */
  async spend(accountId: string, amount: number, reference: string, opts: Opts = {}): Promise<StoreCreditAccount> {
    if (!Number.isInteger(amount) || amount <= 0)
      throw problems.field('amount', 'a spend is a positive whole number of minor units');
    return inTx(this.db, opts.trx, (trx) => this.move(trx, accountId, -amount, 'spend', reference, this.clock.now()));
  }

  private async move(
    trx: Executor,
    accountId: string,
    amount: number,
    reason: string,
    reference: string,
    now: Date,
  ): Promise<StoreCreditAccount> {
    let q = trx
      .updateTable('store_credit_accounts')
      .set({ balance_minor: sql`balance_minor + ${amount}`, updated_at: now })
      .where('id', '=', accountId);
    if (amount < 0) q = q.where('balance_minor', '>=', -amount);
    const row = await q.returningAll().executeTakeFirst();
    if (!row) {
      const exists = await trx
        .selectFrom('store_credit_accounts')
        .select('id')
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (!exists) throw problems.notFound('store credit account', accountId);
      throw new AppError('conflict', `store credit account ${accountId} holds less than ${-amount}`, {
        errors: [{ field: 'amount', message: 'more than the balance' }],
      });
    }
    await trx
      .insertInto('store_credit_ledger')
      .values({
        id: newId('sce', now.getTime()),
        account_id: accountId,
        amount_minor: amount,
        balance_after: row.balance_minor,
        reason,
        reference,
        created_at: now,
      })
      .execute();
    return toAccount(row);
  }

  async get(id: string, opts: Opts = {}): Promise<StoreCreditAccount> {
    const r = await (opts.trx ?? this.db)
      .selectFrom('store_credit_accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw problems.notFound('store credit account', id);
    return toAccount(r);
  }

  /** A gift card by its code; an unknown code is a 404 like any other (the code is the only secret). */
  async byCode(code: string, opts: Opts = {}): Promise<StoreCreditAccount> {
    const r = await (opts.trx ?? this.db)
      .selectFrom('store_credit_accounts')
      .selectAll()
      .where('code_hash', '=', hashCode(code))
      .executeTakeFirst();
    if (!r) throw problems.notFound('gift card', `…${normaliseCode(code).slice(-4)}`);
    return toAccount(r);
  }

  /** A customer's own accounts (one per currency). */
  async ofCustomer(customerId: string, opts: Opts = {}): Promise<StoreCreditAccount[]> {
    const rows = await (opts.trx ?? this.db)
      .selectFrom('store_credit_accounts')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('code_hash', 'is', null)
      .orderBy('currency')
      .execute();
    return rows.map(toAccount);
  }

  async ledger(accountId: string, opts: Opts = {}): Promise<StoreCreditEntry[]> {
    const rows = await (opts.trx ?? this.db)
      .selectFrom('store_credit_ledger')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      amount: Number(r.amount_minor),
      balance_after: Number(r.balance_after),
      reason: r.reason,
      reference: r.reference,
      created_at: r.created_at.toISOString(),
    }));
  }

  /** Doctor: accounts whose balance is not the sum of their ledger. */
  ledgerMismatches(db: Executor = this.db): Promise<{ id: string }[]> {
    return ledgerMismatches(db);
  }
}

/** Accounts whose balance is not the sum of their ledger (the doctor's check; empty when sound). */
export async function ledgerMismatches(db: Executor): Promise<{ id: string }[]> {
  const r = await sql<{ id: string }>`
    select a.id from store_credit_accounts a left join store_credit_ledger l on l.account_id = a.id
    group by a.id, a.balance_minor having coalesce(sum(l.amount_minor), 0) <> a.balance_minor limit 20`.execute(db);
  return r.rows;
}
