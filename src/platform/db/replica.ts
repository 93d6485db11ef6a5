/**
 * Read routing to a PostgreSQL streaming replica (`DATABASE_READ_URL`, docs/scaling.md "A read replica").
 *
 * Only reads that tolerate a little lag ask for `reader()`: availability, product pages and lists,
 * the agents' customer search and 360. Everything transactional keeps using the primary (`ctx.db`).
 *
 * Read-your-writes, two mechanisms:
 *  - in this process, exact: after a commit a caller depends on, `wrote(key)` (a cart id, 'catalog')
 *    records the primary's WAL position (`pg_current_wal_lsn()`, read after the commit, so at or past
 *    its commit record). A later `reader(key)` uses the replica only once its replayed position
 *    (`pg_last_wal_replay_lsn()`) has reached it; until then the primary answers.
 *  - across processes (no sticky sessions), bounded: a caller passes when its object was last
 *    written (`writtenAt`, e.g. the cart's updated_at). Within `stickyMs` of that the primary answers.
 *    This is sound because the replica is used at all only while its lag is under `maxLagMs`
 *    (the probe below), and stickyMs = maxLagMs + 2 probe periods covers the probe's granularity.
 *
 * The probe (every `probeMs`): samples the primary's WAL position and the replica's replayed one.
 * The replica is "behind" when it has not replayed a primary position sampled more than maxLagMs ago,
 * and "down" when it does not answer; either way every read goes to the primary until it recovers.
 */
import type { Db } from './schema.js';
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../clock.js';
import { inBackground } from './tx-guard.js';

export interface ReadRouterOptions {
  /** The replica is used only while it has replayed what the primary wrote this long ago (default 1000). */
  maxLagMs?: number;
  /** How often the lag probe runs (default 200). */
  probeMs?: number;
  /** Keys remembered for read-your-writes in this process (oldest forgotten first; default 10,000). */
  maxKeys?: number;
  /**
   * The injected clock, which wrote the `writtenAt` timestamps callers pass (a cart's updated_at).
   * The lag probe measures on monotonic time instead: a frozen test clock must not hide a lag.
   */
  clock?: Clock;
}

export interface ReadRouterStats {
  /** Reads sent to the replica. */
  replica: number;
  /** Reads sent to the primary because of the caller's own recent write. */
  ownWrite: number;
  /** Reads sent to the primary because the replica was behind or down. */
  unhealthy: number;
}

/** '16/B374D848' → a comparable number (64 bits: 32 high, 32 low). */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

const MAX_SAMPLES = 1000;

interface Mark {
  /** The primary's WAL position after the write; undefined while it is being read or when it failed. */
  lsn: Promise<bigint | undefined>;
}

export class ReadRouter {
  readonly stats: ReadRouterStats = { replica: 0, ownWrite: 0, unhealthy: 0 };
  readonly maxLagMs: number;
  readonly stickyMs: number;
  private readonly probeMs: number;
  private readonly clock: Clock;
  /** Keys written in this process, most recent kept (a bounded set, not a cache: no expiry). */
  private readonly marks: LRUCache<string, Mark>;
  /** Primary WAL positions sampled by the probe, oldest first. */
  private samples: { at: number; lsn: bigint }[] = [];
  private replayed = -1n;
  private healthy = false;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;

  constructor(
    readonly primary: Db,
    readonly replica: Db | undefined,
    opts: ReadRouterOptions = {},
  ) {
    this.maxLagMs = opts.maxLagMs ?? 1000;
    this.probeMs = opts.probeMs ?? 200;
    this.stickyMs = this.maxLagMs + 2 * this.probeMs;
    this.clock = opts.clock ?? systemClock;
    this.marks = new LRUCache<string, Mark>({ max: opts.maxKeys ?? 10_000 });
  }

  get enabled(): boolean {
    return this.replica !== undefined;
  }

  /** Starts the lag probe; resolves after the first probe, so a healthy replica is used at once. */
  async start(): Promise<void> {
    if (!this.replica || this.timer) return;
    await this.probe();
    this.timer = setInterval(() => void this.probe(), this.probeMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether reads without a recent own write go to the replica now. */
  get replicaUsable(): boolean {
    return this.healthy;
  }

  /**
   * Call after a commit that later reads by `key` must see. Returns at once; the WAL position is read
   * in the background and a `reader(key)` meanwhile waits for it.
   */
  wrote(key: string): void {
    if (!this.replica) return;
    const lsn = inBackground(() =>
      sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`
        .execute(this.primary)
        .then((r) => parseLsn(r.rows[0]!.lsn))
        .catch(() => undefined),
    );
    this.marks.set(key, { lsn });
  }

  /**
   * Where a lag-tolerant read goes. `key`: what the caller may just have written in this process;
   * `writtenAt`: when that object was last written by anyone (another process included).
   */
  async reader(opts: { key?: string | undefined; writtenAt?: Date | undefined } = {}): Promise<Db> {
    if (!this.replica) return this.primary;
    if (!this.healthy) return this.toPrimary('unhealthy');
    const mark = opts.key !== undefined ? this.marks.get(opts.key) : undefined;
    if (mark) {
      const lsn = await mark.lsn;
      if (lsn === undefined) this.marks.delete(opts.key!); // the primary did not answer: no position to wait for
      // Kept once replayed (replay only moves forward, so the check stays cheap): while the key is
      // known here, its position decides, not the cross-process window below.
      if (lsn === undefined || !(await this.hasReplayed(lsn))) return this.toPrimary('ownWrite');
    } else if (opts.writtenAt && this.clock.now().getTime() - opts.writtenAt.getTime() < this.stickyMs) {
      return this.toPrimary('ownWrite');
    }
    this.stats.replica++;
    return this.replica;
  }

  private toPrimary(why: 'ownWrite' | 'unhealthy'): Db {
    this.stats[why]++;
    return this.primary;
  }

  /** True when the replica has replayed `lsn`: from the last probe, else asked once more. */
  private async hasReplayed(lsn: bigint): Promise<boolean> {
    if (this.replayed >= lsn) return true;
    const now = await this.replayedLsn().catch(() => undefined);
    if (now !== undefined && now > this.replayed) this.replayed = now;
    return this.replayed >= lsn;
  }

  private async replayedLsn(): Promise<bigint | undefined> {
    const r = await inBackground(() =>
      sql<{ lsn: string | null }>`select pg_last_wal_replay_lsn()::text as lsn`.execute(this.replica!),
    );
    const lsn = r.rows[0]?.lsn;
    // Null: the server is not in recovery (DATABASE_READ_URL points at a primary): it lags nothing.
    return lsn ? parseLsn(lsn) : undefined;
  }

  /** One probe at a time; a slow one is not stacked on. */
  probe(): Promise<void> {
    this.probing ??= this.probeOnce().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probeOnce(): Promise<void> {
    const at = performance.now();
    try {
      const [p, replayed] = await Promise.all([
        inBackground(() => sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(this.primary)),
        this.replayedLsn(),
      ]);
      const primaryLsn = parseLsn(p.rows[0]!.lsn);
      if (replayed === undefined) {
        this.replayed = primaryLsn; // not a standby: always current
        this.healthy = true;
        return;
      }
      if (replayed > this.replayed) this.replayed = replayed;
      this.samples.push({ at, lsn: primaryLsn });
      // Behind: a position the primary had more than maxLagMs ago is not replayed yet.
      this.samples = this.samples.filter((s) => s.lsn > this.replayed);
      // A replica paused for hours must not grow this without bound: thin it, keeping the oldest
      // (which decides the lag) — later ones dropped only make the lag look younger by a probe or two.
      if (this.samples.length > MAX_SAMPLES) this.samples = this.samples.filter((_, i) => i === 0 || i % 2 === 1);
      const oldest = this.samples[0];
      this.healthy = !oldest || at - oldest.at <= this.maxLagMs;
    } catch {
      this.healthy = false;
    }
  }
}
