/**
 * Admission to the first (open) transaction: a FIFO queue in front of at most `limit` open
 * transactions per process. FIFO, so it cannot starve: a waiting checkout is admitted before any that
 * came after it, and a slot is handed straight to the head of the queue (no barging). It is a split
 * of the pool by purpose: the open transactions hold at most `limit` connections (composeServices
 * sets half of OMNIA_DB_POOL), so the reads of the other requests (cart views, the prepare phase,
 * availability) always find the rest of the pool, and a checkout waiting here holds no connection and
 * no lock. Why a bound at all: a transaction never reads through the pool (tx-guard.ts refuses it in
 * tests), so it cannot wait on itself, but unbounded, 64 open transactions would take every
 * connection and queue the cheap reads behind their stock row locks (measured before issue 11: the
 * 64-client run stalled). The provider call and the settle transaction are outside it.
 */
export class FifoAdmission {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
