import { describe, expect, it } from 'vitest';
import { MAX_PARAMS, namingQuery, StatementNames } from './prepared.js';

describe('StatementNames', () => {
  it('names a text from its third use on, with the same name every time', () => {
    const names = new StatementNames();
    expect(names.nameOf('select $1')).toBeUndefined();
    expect(names.nameOf('select $1')).toBeUndefined();
    const name = names.nameOf('select $1');
    expect(name).toMatch(/^omnia_g0_s0$/);
    expect(names.nameOf('select $1')).toBe(name);
    expect(names.nameOf('select $2')).toBeUndefined();
  });

  it('names at most maxNamed texts; the rest keep going out unnamed', () => {
    const names = new StatementNames(2, 1);
    expect(names.nameOf('a')).toBe('omnia_g0_s0');
    expect(names.nameOf('b')).toBe('omnia_g0_s1');
    expect(names.nameOf('c')).toBeUndefined();
    expect(names.nameOf('c')).toBeUndefined();
    expect(names.nameOf('a')).toBe('omnia_g0_s0');
    expect(names.size).toBe(2);
  });

  it('forgets its counts of unnamed texts when too many one-off texts were seen', () => {
    const names = new StatementNames(10, 2, 3);
    names.nameOf('x');
    for (const t of ['1', '2', '3']) names.nameOf(t); // the fourth distinct text clears the counts
    expect(names.nameOf('x')).toBeUndefined();
    expect(names.nameOf('x')).toBe('omnia_g0_s0');
  });

  it('renames every text under a new generation after forget()', () => {
    const names = new StatementNames(10, 1);
    expect(names.nameOf('a')).toBe('omnia_g0_s0');
    names.forget();
    expect(names.nameOf('a')).toBe('omnia_g1_s0');
  });
});

describe('namingQuery', () => {
  const calls: unknown[][] = [];
  const query = (...args: unknown[]) => {
    calls.push(args);
    return Promise.resolve({ rows: [] });
  };
  it('sends a named text with values as a config object, and everything else unchanged', async () => {
    calls.length = 0;
    const q = namingQuery(query, new StatementNames(10, 1));
    await q('select $1', [1]);
    await q('begin', []);
    const stream = { submit() {} };
    await q(stream);
    await q('select $1', [2], () => undefined);
    const many = Array.from({ length: MAX_PARAMS + 1 }, (_, i) => i);
    await q('select many', many);
    expect(calls).toEqual([
      [{ name: 'omnia_g0_s0', text: 'select $1', values: [1] }],
      ['begin', []],
      [stream],
      ['select $1', [2], expect.any(Function)],
      ['select many', many],
    ]);
  });

  it('starts a new generation when PostgreSQL says the cached plan changed its result type', async () => {
    const names = new StatementNames(10, 1);
    const failing = () =>
      Promise.reject(Object.assign(new Error('cached plan must not change result type'), { code: '0A000' }));
    await expect(namingQuery(failing, names)('select * from t where id = $1', [1])).rejects.toThrow(/cached plan/);
    expect(names.nameOf('select * from t where id = $1')).toBe('omnia_g1_s0');
    const other = () => Promise.reject(Object.assign(new Error('boom'), { code: '22012' }));
    await expect(namingQuery(other, names)('select 1/$1', [0])).rejects.toThrow('boom');
    expect(names.nameOf('select * from t where id = $1')).toBe('omnia_g1_s0');
  });
});
