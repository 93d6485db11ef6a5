/**
 * The checkout batcher's transaction semantics on a real database (PGlite, and PostgreSQL with
 * OMNIA_TEST_DB=pg): one transaction, a savepoint per job, a refusal undoes only its own job's
 * writes, a crash mid-batch leaves nothing of the batch and its jobs run again singly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { CheckoutBatcher, type BatchJob } from '../../src/carts/checkout-batch.js';
import { FifoAdmission } from '../../src/carts/admission.js';
import { AppError } from '../../src/platform/http/problems.js';
import type { Tx } from '../../src/platform/db/schema.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create table batch_probe (job text not null, step int not null)`.execute(database.db);
});
afterAll(async () => database?.close());

const rows = async (prefix: string) =>
  (
    await sql<{
      job: string;
      step: number;
    }>`select job, step from batch_probe where job like ${prefix + '%'} order by job, step`.execute(database.db)
  ).rows.map((r) => `${r.job}.${r.step}`);

/** A job that writes two rows, failing between them as `fail` says. */
function job(name: string, fail?: (attempt: number) => Error | null): BatchJob<string> & { attempts: number } {
  const j = {
    attempts: 0,
    scope: { cartId: name, skus: ['SKU-' + name.slice(-1)], coupons: [], creditAccounts: [], customerId: null },
    run: async (trx: Tx) => {
      j.attempts++;
      await sql`insert into batch_probe values (${name}, 1)`.execute(trx);
      const e = fail?.(j.attempts);
      if (e) throw e;
      await sql`insert into batch_probe values (${name}, 2)`.execute(trx);
      return name;
    },
  };
  return j;
}

/** A lone job that holds the batcher busy until `release` is called, so the next ones queue into one batch. */
function blocker(name: string) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const j: BatchJob<string> = {
    scope: { cartId: name, skus: [], coupons: [], creditAccounts: [], customerId: null },
    run: async (trx) => {
      await held;
      await sql`insert into batch_probe values (${name}, 1)`.execute(trx);
      return name;
    },
  };
  return { j, release };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

function batcher(every = true) {
  const gate = new FifoAdmission(4);
  return new CheckoutBatcher<string>(database.db, (fn) => gate.run(fn), 2, every);
}

describe('CheckoutBatcher on a real database', () => {
  it('runs a lone job at once, in its own transaction, with no batch', async () => {
    const b = batcher();
    await expect(b.submit(job('lone-a'))).resolves.toBe('lone-a');
    expect(await rows('lone-')).toEqual(['lone-a.1', 'lone-a.2']);
    expect(b.stats).toEqual({ submitted: 1, batches: 0, batched: 0, fallbacks: 0 });
  });

  it('takes the jobs that wait for a running one as one batch; a refusal undoes only its own writes', async () => {
    const b = batcher();
    const first = blocker('ref-0');
    const p0 = b.submit(first.j);
    await tick();
    const refusal = new AppError('insufficient_stock', 'short');
    const jobs = [job('ref-1'), job('ref-2', () => refusal), job('ref-3')];
    const ps = jobs.map((j) => b.submit(j));
    await tick();
    first.release();
    await p0;
    const settled = await Promise.allSettled(ps);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBe(refusal);
    // ref-2 wrote its first row before refusing: rolled back to its savepoint, the others kept.
    expect(await rows('ref-')).toEqual(['ref-0.1', 'ref-1.1', 'ref-1.2', 'ref-3.1', 'ref-3.2']);
    expect(b.stats).toEqual({ submitted: 4, batches: 1, batched: 3, fallbacks: 0 });
    expect(jobs.map((j) => j.attempts)).toEqual([1, 1, 1]);
  });

  it('a refusal by an SQL error (the transaction aborted) is undone to its savepoint too', async () => {
    const b = batcher();
    const first = blocker('sql-0');
    const p0 = b.submit(first.j);
    await tick();
    const bad: BatchJob<string> = {
      scope: { cartId: 'sql-2', skus: [], coupons: [], creditAccounts: [], customerId: null },
      run: async (trx) => {
        await sql`insert into batch_probe values ('sql-2', 1)`.execute(trx);
        try {
          await sql`insert into batch_probe values ('sql-2', null)`.execute(trx); // not null: aborts the transaction
        } catch {
          throw new AppError('conflict', 'refused after a failed statement');
        }
        return 'never';
      },
    };
    const ps = [b.submit(job('sql-1')), b.submit(bad), b.submit(job('sql-3'))];
    await tick();
    first.release();
    await p0;
    const settled = await Promise.allSettled(ps);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await rows('sql-')).toEqual(['sql-0.1', 'sql-1.1', 'sql-1.2', 'sql-3.1', 'sql-3.2']);
    expect(b.stats.batches).toBe(1);
  });

  it('a crash mid-batch leaves nothing of the batch; its jobs run again one by one', async () => {
    const b = batcher();
    const first = blocker('crash-0');
    const p0 = b.submit(first.j);
    await tick();
    // crash-2 throws a plain error (a bug, a lost connection) on its first run only.
    const jobs = [job('crash-1'), job('crash-2', (n) => (n === 1 ? new Error('boom') : null)), job('crash-3')];
    const ps = jobs.map((j) => b.submit(j));
    await tick();
    first.release();
    await p0;
    expect(await Promise.all(ps)).toEqual(['crash-1', 'crash-2', 'crash-3']);
    // each job's rows once: the batch's writes (crash-1's, crash-2's first row) were rolled back
    expect(await rows('crash-')).toEqual([
      'crash-0.1',
      'crash-1.1',
      'crash-1.2',
      'crash-2.1',
      'crash-2.2',
      'crash-3.1',
      'crash-3.2',
    ]);
    expect(b.stats).toEqual({ submitted: 4, batches: 0, batched: 0, fallbacks: 1 });
    expect(jobs.map((j) => j.attempts)).toEqual([2, 2, 1]);
  });

  it('a job that fails alone too rejects only its own promise after the fallback', async () => {
    const b = batcher();
    const first = blocker('fail-0');
    const p0 = b.submit(first.j);
    await tick();
    const boom = new Error('always');
    const ps = [job('fail-1'), job('fail-2', () => boom)].map((j) => b.submit(j));
    await tick();
    first.release();
    await p0;
    const settled = await Promise.allSettled(ps);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect((settled[1] as PromiseRejectedResult).reason).toBe(boom);
    expect(await rows('fail-')).toEqual(['fail-0.1', 'fail-1.1', 'fail-1.2']);
  });

  it('batching only under pressure: spread SKUs run alone side by side, a shared SKU is batched', async () => {
    const b = batcher(false);
    const spread = ['sp-a', 'sp-b', 'sp-c', 'sp-d', 'sp-e'].map((n) => job(n));
    expect(await Promise.all(spread.map((j) => b.submit(j)))).toEqual(['sp-a', 'sp-b', 'sp-c', 'sp-d', 'sp-e']);
    expect(b.stats.batched).toBe(0);
    const shared = (n: string) => ({ ...job(n), scope: { ...job(n).scope, skus: ['HOT'] } });
    const first = blocker('hot-0');
    const p0 = b.submit({ ...first.j, scope: { ...first.j.scope, skus: ['HOT'] } });
    await tick();
    const ps = ['hot-1', 'hot-2', 'hot-3', 'hot-4', 'hot-5'].map((n) => b.submit(shared(n)));
    await tick();
    first.release();
    await p0;
    expect(await Promise.all(ps)).toEqual(['hot-1', 'hot-2', 'hot-3', 'hot-4', 'hot-5']);
    // hot-0..2 ran alone (1 to 3 wanted HOT); hot-3 queued with nothing in flight and went at once
    // (a batch of one); hot-4 and hot-5 waited for it and were taken together.
    expect([b.stats.batches, b.stats.batched]).toEqual([1, 2]);
    expect(await rows('hot-')).toHaveLength(1 + 5 * 2);
  });
});
