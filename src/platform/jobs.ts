import type { Logger } from './log.js';
import { inBackground } from './db/tx-guard.js';

/**
 * Periodic background work in this process. Jobs must be safe to run in several processes at once:
 * they claim rows with `FOR UPDATE SKIP LOCKED` (and, for work done after commit, lease them by pushing
 * their next attempt ahead, as event deliveries do), never assume they are alone. A job that finds work runs again at once; one that finds none sleeps its interval.
 */
export interface Job {
  name: string;
  intervalMs: number;
  /** Returns how much work it did; > 0 means "run again soon". */
  run(): Promise<number>;
}

export class JobRunner {
  private readonly jobs: Job[] = [];
  private timers = new Map<string, NodeJS.Timeout>();
  private running = new Map<string, Promise<void>>();
  private stopped = true;

  constructor(private readonly log: Logger) {}

  add(job: Job): void {
    this.jobs.push(job);
  }

  list(): readonly Job[] {
    return this.jobs;
  }

  start(): void {
    this.stopped = false;
    for (const job of this.jobs) this.schedule(job, 0);
  }

  /** Runs a job now (if it is not already running), e.g. when an event says there is work. */
  kick(name: string): void {
    const job = this.jobs.find((j) => j.name === name);
    if (job && !this.stopped && !this.running.has(name)) this.schedule(job, 0);
  }

  private schedule(job: Job, delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(job.name));
    // A job kicked from inside a transaction's callback is not part of it (see db/tx-guard.ts).
    this.timers.set(
      job.name,
      inBackground(() =>
        setTimeout(() => {
          const p = job
            .run()
            .then((did) => this.schedule(job, did > 0 ? 0 : job.intervalMs))
            .catch((err) => {
              this.log.error({ err, job: job.name }, 'job failed');
              this.schedule(job, job.intervalMs);
            })
            .finally(() => this.running.delete(job.name));
          this.running.set(job.name, p);
        }, delay),
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
