/**
 * The one expiring in-memory cache (over lru-cache): entries live `ttlMs` on the injected clock, so a
 * test that moves a ManualClock sees them expire, and at most `max` entries are kept (least recently
 * used out first). For small per-process caches whose staleness is bounded by the TTL; a cache of a
 * whole table that must refresh in the background is `SnapshotCache` (platform/db/snapshot-cache.ts).
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from './clock.js';

export interface ExpiringCacheOptions {
  ttlMs: number;
  max: number;
}

/** Any value but null and undefined (lru-cache's own bound: a miss is `undefined`). */
export type Present = NonNullable<unknown>;

export class ExpiringCache<K extends Present, V extends Present> {
  private readonly lru: LRUCache<K, V>;

  constructor(clock: Clock, opts: ExpiringCacheOptions) {
    this.lru = new LRUCache<K, V>({
      max: opts.max,
      ttl: opts.ttlMs,
      // Read the clock on every check (lru-cache otherwise reuses a reading for 1 ms of real time,
      // which a test's clock jump would slip through).
      ttlResolution: 0,
      perf: { now: () => clock.now().getTime() },
    });
  }

  get(key: K): V | undefined {
    return this.lru.get(key);
  }

  has(key: K): boolean {
    return this.lru.has(key);
  }

  set(key: K, value: V): void {
    this.lru.set(key, value);
  }

  delete(key: K): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}
