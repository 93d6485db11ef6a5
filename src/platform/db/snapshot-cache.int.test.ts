import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { ManualClock } from '../clock.js';
import { SnapshotCache } from './snapshot-cache.js';

/** Lets every queued callback (the background refresh and its install) run a few times over. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('SnapshotCache ages on the injected clock', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  /** A cache whose n-th load answers n, counting its loads. */
  function counting(clock: ManualClock): { cache: SnapshotCache<number>; loads: () => number } {
    let n = 0;
    const cache = new SnapshotCache(t.db, clock, () => Promise.resolve(++n), 1000);
    return { cache, loads: () => n };
  }

  it('serves the cached value while the clock stands still, however long it is asked', async () => {
    const clock = new ManualClock();
    const { cache, loads } = counting(clock);
    expect(await cache.get()).toBe(1);
    clock.advance(1000); // exactly the max age: not older than it yet
    for (let i = 0; i < 3; i++) expect(await cache.get()).toBe(1);
    await settle();
    expect(loads()).toBe(1);
  });

  it('once the clock moves past the max age: serves the stale value once, refreshes in the background, then the new one', async () => {
    const clock = new ManualClock();
    const { cache, loads } = counting(clock);
    expect(await cache.get()).toBe(1);
    clock.advance(1001);
    expect(await cache.get()).toBe(1); // stale-while-revalidate: no caller waits for the refresh
    await settle();
    expect(loads()).toBe(2);
    expect(await cache.get()).toBe(2);
    await settle();
    expect(loads()).toBe(2); // fresh again on the same clock
  });

  it('reloads after invalidate() with the clock frozen', async () => {
    const clock = new ManualClock();
    const { cache } = counting(clock);
    expect(await cache.get()).toBe(1);
    cache.invalidate();
    expect(await cache.get()).toBe(2);
  });
});
