/**
 * The roll-up rows of a COPY batch travel as array literals built in the process (events-rollup.ts
 * `arrayLiteral`) instead of the driver's per-element escaping: every text must come back from the
 * database exactly as sent — quotes, backslashes, braces, commas, the word NULL, spaces, tabs,
 * newlines, non-ASCII — nulls as nulls, numbers exact (ints and epoch milliseconds as float8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { arrayLiteral } from '../../src/customers/events-rollup.js';

const TEXTS = [
  'cus_plain',
  'NULL',
  'null',
  '',
  ' ',
  'a,b',
  '{x}',
  'say "hi"',
  'back\\slash',
  '\\"',
  'tab\there',
  'line\nbreak',
  'é 😀',
  "it's",
];

describe('arrayLiteral', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives back every text, null and number as sent', async () => {
    const texts = [...TEXTS, null, 'last'];
    const nums = [0, 1, -7, 2147483647, 1_780_000_000_123, 1_780_000_000_123.5];
    const r = await sql<{ t: (string | null)[]; i: number[]; f: number[] }>`select ${arrayLiteral(texts)}::text[] as t,
      ${arrayLiteral(nums.slice(0, 4))}::int[] as i, ${arrayLiteral(nums.slice(4))}::float8[] as f`.execute(t.db);
    expect(r.rows[0]).toEqual({ t: texts, i: nums.slice(0, 4), f: nums.slice(4) });
  });

  it('gives back columns without nulls, with and without a text to escape', async () => {
    const plain = ['cus_1', 'NULL', 'a,b', '{x}', ' ', ''];
    const awkward = [...plain, 'say "hi"'];
    const slash = [...plain, 'back\\slash'];
    const r = await sql<{ p: string[]; a: string[]; s: string[] }>`select ${arrayLiteral(plain)}::text[] as p,
      ${arrayLiteral(awkward)}::text[] as a, ${arrayLiteral(slash)}::text[] as s`.execute(t.db);
    expect(r.rows[0]).toEqual({ p: plain, a: awkward, s: slash });
  });

  it('writes an empty column as an empty array', async () => {
    const r = await sql<{ n: number }>`select cardinality(${arrayLiteral([])}::text[]) as n`.execute(t.db);
    expect(r.rows[0]!.n).toBe(0);
  });
});
