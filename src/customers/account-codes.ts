/**
 * The one-time codes of accounts (issue 16), split from account-service.ts (house rule: files under
 * ~400 lines): issuing a code (one live code per address, mailed after commit through the outbox) and
 * checking one (a wrong guess counted and committed before the refusal, so the attempt limit holds).
 * AccountService's register, verify and password reset use it.
 */
import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { newId } from '../platform/ids.js';
import { emit } from '../platform/events/outbox.js';
import { AppError } from '../platform/http/problems.js';
import * as store from './account-store.js';
import { CODE_TTL_MS, codeMatches, codeUsable, hashCode, newCode, type CodePurpose } from './account-rules.js';
import './account-events.js';

/** What the codes need of the account service's dependencies (AccountDeps). */
export interface CodeDeps {
  /** The server secret (HMAC of codes) and the sealing of a code until its mail has left. */
  keys: { current: { secret: string }; seal(plain: string): string };
  nudge?: () => void;
}

/** A code to issue: for what, to whom, and what the account it may create is to hold. */
export interface CodeRequest {
  purpose: CodePurpose;
  email: string;
  channelId: string;
  customerId: string | null;
  passwordHash: string | null;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  mail: boolean;
}

/** The one refusal for a wrong, expired or used-up code. */
export const invalidCode = () =>
  new AppError('invalid_code', 'the code is wrong, expired or used up; ask for a new one');

export class AccountCodes {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: CodeDeps,
  ) {}

  /** One live code per address: a new one retires the older ones. The mail leaves after commit. */
  async issue(c: CodeRequest): Promise<void> {
    const at = this.clock.now();
    const id = newId('acc', at.getTime());
    const code = newCode();
    await inTx(this.db, undefined, async (trx) => {
      await store.retireOpenCodes(trx, c.email, at);
      await store.insertCode(trx, {
        id,
        purpose: c.purpose,
        email: c.email,
        channel_id: c.channelId,
        customer_id: c.customerId,
        code_hash: hashCode(this.deps.keys.current.secret, id, code),
        code_sealed: c.mail ? this.deps.keys.seal(code) : null,
        password_hash: c.passwordHash,
        first_name: c.first_name,
        last_name: c.last_name,
        locale: c.locale,
        attempts: 0,
        expires_at: new Date(at.getTime() + CODE_TTL_MS),
        used_at: null,
        created_at: at,
      });
      if (c.mail)
        await emit(
          trx,
          { type: 'customer.account_code_requested', aggregateId: id, payload: { code_id: id, purpose: c.purpose } },
          at,
        );
    });
    this.deps.nudge?.();
  }

  /**
   * Checks a code in its own transaction: a wrong guess is counted (and committed) before the
   * refusal, so the attempt limit holds; the right one runs `onValid` in the same transaction.
   */
  async check<T>(
    email: string,
    code: string,
    purposes: CodePurpose[],
    onValid: (trx: Tx, row: store.CodeRow) => Promise<T>,
  ): Promise<T> {
    const now = this.clock.now();
    const out = await inTx(this.db, undefined, async (trx) => {
      const row = await store.latestCode(trx, email, purposes);
      if (!row || !codeUsable(row, now, purposes)) return { ok: false as const };
      if (!codeMatches(this.deps.keys.current.secret, row.id, code, row.code_hash)) {
        await store.countAttempt(trx, row.id);
        return { ok: false as const };
      }
      await store.markUsed(trx, row.id, now);
      return { ok: true as const, value: await onValid(trx, row) };
    });
    if (!out.ok) throw invalidCode();
    this.deps.nudge?.();
    return out.value;
  }
}
