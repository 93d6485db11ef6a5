/**
 * Once a SKU is sold out for a channel, the hot-SKU path answers "nothing available" from memory for
 * HINT_TTL_MS without touching the row (batcher.ts). A hint only ever causes a rejection, never a
 * grant; stock increases in this process drop it at once, increases in other processes are seen
 * within HINT_TTL_MS (on the injected clock).
 */
import type { Clock } from '../platform/clock.js';
import { ExpiringCache } from '../platform/cache.js';

export const HINT_TTL_MS = 200;
const MAX_HINTS_PER_CHANNEL = 100_000;

export class SoldOutHints {
  /** One cache per channel (a handful): dropping a SKU's hints visits each. */
  private readonly byChannel = new Map<string, ExpiringCache<string, true>>();
  constructor(private readonly clock: Clock) {}

  isSoldOut(channelId: string, sku: string): boolean {
    return this.byChannel.get(channelId)?.has(sku) ?? false;
  }

  markSoldOut(channelId: string, sku: string): void {
    let hints = this.byChannel.get(channelId);
    if (!hints)
      this.byChannel.set(
        channelId,
        (hints = new ExpiringCache(this.clock, { ttlMs: HINT_TTL_MS, max: MAX_HINTS_PER_CHANNEL })),
      );
    hints.set(sku, true);
  }

  invalidate(sku: string): void {
    for (const hints of this.byChannel.values()) hints.delete(sku);
  }
}
