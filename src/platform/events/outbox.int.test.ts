/**
 * The outbox insert (outbox.ts emit): one statement for any number of events, rows in the list's
 * order, payloads stored exactly as sent (quotes, backslashes, newlines, non-ASCII, nested JSON),
 * a missing aggregate id stored as null, and the same text for every batch length (so it is prepared).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { inTx } from '../db/tx.js';
import { emit, type DomainEvent } from './outbox.js';

describe('emit: events into the outbox', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  const rows = () =>
    t.db
      .selectFrom('outbox')
      .select(['seq', 'id', 'type', 'aggregate_id', 'payload', 'created_at'])
      .orderBy('seq')
      .execute();

  it('stores every event in the list’s order with its payload as sent', async () => {
    const at = new Date('2026-12-01T10:00:00.123Z');
    const payloads = [
      { text: 'say "hi"\\n and \\\\ a backslash', n: 1 },
      { text: 'línea\nnueva\tñ €', nested: { a: [1, 2, { b: null }] } },
      { empty: '', braces: '{}', comma: 'a,b', quote: "'" },
    ];
    const events = payloads.map((payload, i) => ({
      type: `test.e${i}`,
      ...(i === 1 ? {} : { aggregateId: `agg_${i}` }),
      payload,
    })) as unknown as DomainEvent[];
    await inTx(t.db, undefined, (trx) => emit(trx, events, at));
    const got = await rows();
    expect(got.map((r) => r.type)).toEqual(['test.e0', 'test.e1', 'test.e2']);
    expect(got.map((r) => r.aggregate_id)).toEqual(['agg_0', null, 'agg_2']);
    expect(got.map((r) => r.payload)).toEqual(payloads);
    expect(got.every((r) => new Date(r.created_at).getTime() === at.getTime())).toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(3);
  });

  it('keeps the order of a long list and of one event alone, and nothing of a rolled-back transaction', async () => {
    const before = (await rows()).length;
    const many = Array.from({ length: 250 }, (_, i) => ({
      type: 'test.many',
      payload: { i },
    })) as unknown as DomainEvent[];
    await inTx(t.db, undefined, (trx) => emit(trx, many, new Date()));
    await inTx(t.db, undefined, (trx) =>
      emit(trx, { type: 'test.one', aggregateId: 'x', payload: { one: true } } as unknown as DomainEvent, new Date()),
    );
    await expect(
      inTx(t.db, undefined, async (trx) => {
        await emit(trx, many.slice(0, 3), new Date());
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = (await rows()).slice(before);
    expect(after.map((r) => (r.payload as { i?: number }).i ?? -1)).toEqual([
      ...Array.from({ length: 250 }, (_, i) => i),
      -1,
    ]);
    expect(after.at(-1)).toMatchObject({ type: 'test.one', aggregate_id: 'x', payload: { one: true } });
  });
});
