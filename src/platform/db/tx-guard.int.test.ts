import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, onPostgres, type TestDatabase } from '../../../test/helpers/db.js';
import { inTx, inBackground } from './tx.js';
import { TxGuardError } from './tx-guard.js';
import { connect } from './connect.js';

/** A promise and its resolver, to order steps across two async chains without timers. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** Lets every queued callback and I/O completion run a few times over. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

async function count(db: TestDatabase['db'] | Parameters<Parameters<typeof inTx>[2]>[0]): Promise<number> {
  const r = await sql<{ c: number }>`select count(*)::int as c from guard_t`.execute(db);
  return r.rows[0]!.c;
}

describe(`transactions are passed explicitly (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await sql`create table guard_t (n int)`.execute(t.db);
  });
  afterAll(() => t.close());

  it('refuses a read through the pool inside a transaction, naming the fix, and rolls the transaction back', async () => {
    const attempt = inTx(t.db, undefined, async (trx) => {
      await sql`insert into guard_t values (1)`.execute(trx);
      return count(t.db); // should have been count(trx)
    });
    await expect(attempt).rejects.toThrow(TxGuardError);
    await expect(attempt).rejects.toThrow('inside a transaction: pass { trx }');
    expect(await count(t.db)).toBe(0);
  });

  it('refuses a second transaction opened from inside one, and reads through trx are served', async () => {
    const seen = await inTx(t.db, undefined, async (trx) => {
      await sql`insert into guard_t values (2)`.execute(trx);
      await expect(t.db.transaction().execute(async () => undefined)).rejects.toThrow(TxGuardError);
      return inTx(t.db, trx, (joined) => count(joined)); // joining with { trx } is the way
    });
    expect(seen).toBe(1);
    await sql`delete from guard_t`.execute(t.db);
  });

  it('runs background work started inside a transaction outside it: it never sees the uncommitted row', async () => {
    let background: Promise<number> = Promise.resolve(-1);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await sql`insert into guard_t values (3)`.execute(trx);
        background = inBackground(() => count(t.db));
        await settle();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // On PGlite the read waited for the connection (the rollback); on PostgreSQL it ran on another one.
    expect(await background).toBe(0);
  });

  it('does not run a concurrent read from outside inside the open transaction', async () => {
    const inserted = gate();
    const finish = gate();
    const tx = t.db.transaction().execute(async (trx) => {
      await sql`insert into guard_t values (4)`.execute(trx);
      inserted.open();
      await finish.opened;
    });
    await inserted.opened;
    let outsideResult: number | undefined;
    const outside = count(t.db).then((c) => (outsideResult = c));
    await settle();
    if (onPostgres) {
      // Another pooled connection: it runs now and does not see the uncommitted row.
      await outside;
      expect(outsideResult).toBe(0);
    } else {
      // One connection: the read waits for the commit rather than running inside the transaction.
      expect(outsideResult).toBeUndefined();
    }
    finish.open();
    await tx;
    await outside;
    expect(outsideResult).toBe(onPostgres ? 0 : 1);
    await sql`delete from guard_t`.execute(t.db);
  });
});

describe('the guard trace (config txGuardTrace, passed to connect)', () => {
  it('prints the stack of each refusal when on, and nothing when off', async () => {
    const printed: unknown[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args[0]));
    try {
      for (const txGuardTrace of [true, false]) {
        const d = await connect({ txGuardTrace });
        try {
          const attempt = d.db.transaction().execute(() => sql`select 1`.execute(d.db));
          await expect(attempt).rejects.toThrow(TxGuardError);
        } finally {
          await d.close();
        }
        const stacks = printed.splice(0).filter((p) => typeof p === 'string' && p.startsWith('TxGuardError'));
        expect(stacks).toHaveLength(txGuardTrace ? 1 : 0);
        if (txGuardTrace) expect(stacks[0]).toContain('inside a transaction: pass { trx }');
      }
    } finally {
      spy.mockRestore();
    }
  });
});
