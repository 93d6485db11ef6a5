/**
 * Live delivery of conversations to readers connected to THIS process (server-sent event streams).
 *
 * The database is the source of truth: a reader is only ever woken, and then reads what is new after
 * the last seq it sent. Two wake-ups:
 * - `touched(id)`: a change committed by this process wakes its readers at once;
 * - a poll: while anyone listens here, the versions of the followed conversations are read every
 *   `pollMs` (one indexed probe for all of them), and a changed version wakes its readers. That is how
 *   a message posted to another process reaches a reader of this one, on any database, with no
 *   broker; the cost is one small query per process per interval, only while streams are open.
 * A lost wake-up costs at most one interval, never a message.
 */
export class LiveHub {
  private readonly readers = new Map<string, Set<() => void>>();
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly versions: (ids: string[]) => Promise<Map<string, number>>,
    private readonly pollMs: number,
  ) {}

  /** Follows a conversation; `wake` is called on every change seen. Returns the unsubscribe. */
  subscribe(id: string, version: number, wake: () => void): () => void {
    let set = this.readers.get(id);
    if (!set) this.readers.set(id, (set = new Set()));
    set.add(wake);
    if (!this.seen.has(id) || this.seen.get(id)! < version) this.seen.set(id, version);
    this.timer ??= setInterval(() => void this.poll(), this.pollMs).unref();
    return () => {
      set.delete(wake);
      if (set.size === 0) {
        this.readers.delete(id);
        this.seen.delete(id);
      }
      if (this.readers.size === 0) this.stop();
    };
  }

  /** A change committed here: wake this process's readers without waiting for the poll. */
  touched(id: string): void {
    for (const wake of this.readers.get(id) ?? []) wake();
  }

  get followed(): number {
    return this.readers.size;
  }

  async poll(): Promise<void> {
    if (this.polling || this.readers.size === 0) return;
    this.polling = true;
    try {
      const now = await this.versions([...this.readers.keys()]);
      for (const [id, version] of now) {
        if (version > (this.seen.get(id) ?? -1)) {
          this.seen.set(id, version);
          this.touched(id);
        }
      }
      // A conversation gone (erased) wakes its readers too: their read fails and ends the stream.
      for (const id of this.readers.keys()) if (!now.has(id)) this.touched(id);
    } catch {
      // The database is away for a moment: the next poll tries again; readers keep their place.
    } finally {
      this.polling = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
